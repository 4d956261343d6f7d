// How the numbers of docs/contract.md#the-numbers are written on a screen read from five metres away.

const DASH = '—';

export interface DurationUnits {
  s: string;
  m: string;
  h: string;
}

const EN_UNITS: DurationUnits = { s: 's', m: 'm', h: 'h' };

/** 45 → "45s", 1260 → "21m 00s", 14400 → "4h 00m"; null → "—". Negative durations get a minus. */
export function formatDuration(seconds: number | null, units: DurationUnits = EN_UNITS): string {
  if (seconds === null || !Number.isFinite(seconds)) return DASH;
  // A real minus sign: the hyphen is too thin to read across a room.
  const sign = seconds < 0 ? '−' : '';
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${sign}${s}${units.s}`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}${units.m} ${pad(s % 60)}${units.s}`;
  return `${sign}${Math.floor(s / 3600)}${units.h} ${pad(Math.floor(s / 60) % 60)}${units.m}`;
}

/** 0.934 → "93%"; null → "—". */
export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? DASH : `${Math.round(ratio * 100)}%`;
}

export function formatCount(count: number | null): string {
  return count === null ? DASH : String(count);
}

/** A wall clock time, "10:05:03", in the browser's zone. */
export function formatTime(date: Date | null): string {
  if (date === null) return DASH;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "10:05", in the browser's zone. */
export function formatHourMinute(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
