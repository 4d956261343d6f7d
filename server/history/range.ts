// The time range of a history request: `from`/`to` as ISO-8601, `now` or relative (`-6h`,
// `now-30m`), `step` in seconds (`60`) or with a unit (`30s`, `5m`, `1h`, `1d`). Pure: no I/O.
import { parseIsoTime } from '../domain/iso-time.js';

/** A chart is at most a few thousand pixels wide; more points only cost the TV. */
export const MAX_POINTS = 2_000;
/** The sampling period: a finer step only returns the same samples with gaps between. */
export const MIN_STEP_SEC = 10;
export const MAX_STEP_SEC = 7 * 24 * 3600;
/** With no step given, the first of these that fits in ~360 points (6 h at 1 min, 1 h at 10 s). */
const NICE_STEPS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];
const DEFAULT_POINTS = 360;
const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export interface HistoryRange {
  from: number;
  to: number;
  stepSec: number;
}

const TIME_FORMS = 'use ISO-8601 (2026-11-26T10:00:00Z), "now", or a time relative to now such as -6h, now-30m or +2h (units s, m, h, d, w)';

function duration(text: string): number | null {
  const match = /^(\d{1,6})([smhdw])$/.exec(text);
  return match === null ? null : Number(match[1]) * UNIT_SEC[match[2]!]!;
}

export function parseTime(name: string, raw: string, now: number): number | { error: string } {
  const text = raw.trim();
  if (text === 'now') return now;
  // `-4h` is 4 hours ago; `+2h` is 2 hours ahead (the forecast reads the future).
  const relative = /^(?:now)?([+-])(.+)$/.exec(text);
  if (relative !== null) {
    const seconds = duration(relative[2]!);
    if (seconds !== null) return relative[1] === '-' ? now - seconds * 1000 : now + seconds * 1000;
  }
  const absolute = parseIsoTime(text);
  if (!Number.isNaN(absolute)) return absolute;
  // A `+` in a query string arrives as a space; say so rather than leave the reader puzzled.
  const plus = /^ \S/.test(raw) ? ' (a + in a URL reads as a space: write %2B)' : '';
  return { error: `${name}: "${raw}" is not a time; ${TIME_FORMS}${plus}` };
}

export function parseStep(raw: string): number | { error: string } {
  const text = raw.trim();
  const seconds = /^\d{1,9}$/.test(text) ? Number(text) : duration(text);
  if (seconds === null) return { error: `step: "${raw}" is not a step; use seconds (60) or a duration such as 30s, 5m, 1h, 1d` };
  if (seconds < MIN_STEP_SEC || seconds > MAX_STEP_SEC) {
    return { error: `step: must be between ${formatStep(MIN_STEP_SEC)} and ${formatStep(MAX_STEP_SEC)}, got ${formatStep(seconds)}` };
  }
  return seconds;
}

/** 90 → "90s", 300 → "5m", 7200 → "2h". */
export function formatStep(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

function niceStepFor(rangeSec: number, points: number): number {
  const needed = rangeSec / points;
  return NICE_STEPS.find((step) => step >= needed) ?? Math.ceil(needed);
}

/** Resolves a request's `from`, `to` and `step` (defaults: the last hour, ~360 points). */
export function parseRange(query: { from?: string; to?: string; step?: string }, now: number): HistoryRange | { error: string } {
  const from = parseTime('from', query.from ?? '-1h', now);
  if (typeof from !== 'number') return from;
  const to = parseTime('to', query.to ?? 'now', now);
  if (typeof to !== 'number') return to;
  if (from >= to) return { error: `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})` };
  const rangeSec = (to - from) / 1000;
  if (query.step === undefined) return { from, to, stepSec: Math.min(MAX_STEP_SEC, niceStepFor(rangeSec, DEFAULT_POINTS)) };
  const stepSec = parseStep(query.step);
  if (typeof stepSec !== 'number') return stepSec;
  const points = Math.ceil(rangeSec / stepSec);
  if (points > MAX_POINTS) {
    const fits = niceStepFor(rangeSec, MAX_POINTS);
    const hint = fits <= MAX_STEP_SEC ? `use step=${formatStep(fits)} or more` : 'use a shorter range';
    return { error: `step: ${formatStep(stepSec)} over this range makes ${points} points; at most ${MAX_POINTS}: ${hint}` };
  }
  return { from, to, stepSec };
}
