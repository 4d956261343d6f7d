// The access token of this screen. A wall URL is opened once with `?token=…` and then reloaded by
// the TV for weeks, sometimes without the query string (a kiosk's home page, a crash restore), so
// the token is remembered in localStorage and the URL's token, when present, always wins.

const STORAGE_KEY = 'watchfloor.token';

/** The token from `?token=` if present (and remembered), else the remembered one, else null. */
export function resolveToken(url: URL, storage: Storage | null = safeLocalStorage()): string | null {
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      storage?.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Quota or a disabled storage: the URL still works for this load.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

// Some TV browsers and private modes throw on the mere access of `localStorage`.
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage ?? null;
  } catch {
    return null;
  }
}
