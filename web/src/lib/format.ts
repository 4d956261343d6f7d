// How the numbers of SPEC 6 are written on a screen read from five metres away.

const DASH = '—';

/** 45 → "45s", 1260 → "21m 00s", 14400 → "4h 00m"; null → "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
}

/** 0.934 → "93%"; null → "—". */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? DASH : `${Math.round(ratio * 100)}%`;
}

export function formatCount(count: number | null): string {
  return count === null ? DASH : String(count);
}

/** A wall clock time, "10:05:03", in the browser's zone. */
export function formatTime(date: Date | null): string {
  if (date === null) return DASH;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
