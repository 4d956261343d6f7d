// How the live connection reaches the server. By default WebSocket first, long-polling where
// WebSocket fails. `?transport=websocket` in a screen's URL allows WebSocket only: behind a
// balancer without sticky sessions, polling cannot work (each request may reach another instance,
// which does not know the session), so trying it only turns one clear failure into endless errors.

export type LiveTransport = 'auto' | 'websocket';

/** The transport a page's URL asks for; anything else than `websocket` means the default. */
export function transportFromUrl(url: URL): LiveTransport {
  return url.searchParams.get('transport')?.trim().toLowerCase() === 'websocket' ? 'websocket' : 'auto';
}

/** The socket.io client options for a transport. */
export function transportOptions(transport: LiveTransport): { transports: Array<'websocket' | 'polling'>; tryAllTransports: boolean } {
  return transport === 'websocket'
    ? { transports: ['websocket'], tryAllTransports: false }
    : // Fall back to long-polling where a proxy blocks WebSocket, instead of failing the attempt.
      { transports: ['websocket', 'polling'], tryAllTransports: true };
}
