// The demo's planning data, so that `npm run demo` shows the forecast and the staffing at once:
// 8 weeks of past arrivals per line (weekly and daily seasonality, holidays, noise) recorded as
// arrivals, and the 40 demo agents' shifts from eight weeks back to a week ahead as the roster.
//
// The history uses a fixed seed and ticket keys made of line, bucket and rank, so a restart records
// nothing twice; it ends at today's local midnight, where the live simulator's own tickets (counted
// by the real ingest path) take over.
import type { ArrivalsStore } from '../arrivals/arrivals-store.js';
import type { RosterStore } from '../roster/roster-store.js';
import type { UploadedShift } from '../roster/roster.js';
import { generateArrivalsHistory } from './arrivals-history.js';
import { LocalTime } from '../domain/local-time.js';
import { ROSTER } from './roster.js';

/** Per day on an ordinary weekday, as the live simulator sends them (measured: l1 ≈ 850, l2 ≈ 105, l3 ≈ 30). */
export const DEMO_VOLUMES: ReadonlyMap<string, { perDay: number }> = new Map([
  ['l1', { perDay: 820 }],
  ['l2', { perDay: 105 }],
  ['l3', { perDay: 30 }],
]);
const HISTORY_SEED = 20_261_202;
const HISTORY_DAYS = 56;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The roster reaches this far back, as the demo's report history does. */
const ROSTER_DAYS_BACK = 56;
/** One half-hour break in the middle of every shift. */
const BREAK_MS = 30 * 60_000;

export interface PlanningSeedOptions {
  arrivals: ArrivalsStore;
  roster: RosterStore;
  timeZone?: string;
  now: number;
}

export async function seedPlanning(options: PlanningSeedOptions): Promise<{ arrivals: number; shifts: number }> {
  const local = new LocalTime(options.timeZone);
  const today = local.midnightOf(options.now);
  const history = generateArrivalsHistory({ seed: HISTORY_SEED, endMs: today, days: HISTORY_DAYS, timeZone: options.timeZone, volumes: DEMO_VOLUMES });
  let arrivals = 0;
  for (const [line, buckets] of history.lines) {
    const batch = [];
    for (const [bucket, count] of buckets) {
      for (let rank = 0; rank < count; rank++) batch.push({ key: `demo-history/${line}/${bucket}/${rank}`, line, createdAt: bucket + rank });
    }
    await options.arrivals.record(batch, options.now);
    arrivals += batch.length;
  }

  const shifts: UploadedShift[] = [];
  let row = 1;
  // Eight weeks back (the reports' staffing hours: server/simulator/report-seed.ts) to a week ahead.
  for (let day = local.midnightOf(today - ROSTER_DAYS_BACK * DAY_MS + DAY_MS / 2); day < today + 8 * DAY_MS; day = local.nextMidnight(day)) {
    for (const person of ROSTER) {
      const start = day + person.shift.start * HOUR_MS;
      const end = day + person.shift.end * HOUR_MS;
      const middle = start + Math.floor((end - start) / 2 / BREAK_MS) * BREAK_MS;
      shifts.push({ agent: person.id, line: person.line, start, end, breaks: [{ start: middle, end: middle + BREAK_MS }], row: row++ });
    }
  }
  const written = await options.roster.replace(shifts);
  if (!written.ok) throw new Error(`demo roster refused: ${written.errors.join('; ')}`);
  return { arrivals, shifts: shifts.length };
}

/** The demo's planning data put into a running app, and its staffing plan brought up to date. */
export async function seedDemoPlanning(app: {
  arrivals: ArrivalsStore;
  roster: RosterStore;
  refreshStaffing(): Promise<void>;
  now(): number;
  config: { timeZone: string };
}): Promise<{ arrivals: number; shifts: number }> {
  const seeded = await seedPlanning({ arrivals: app.arrivals, roster: app.roster, timeZone: app.config.timeZone, now: app.now() });
  await app.refreshStaffing();
  return seeded;
}
