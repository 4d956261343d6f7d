// The demo's report history, so that `npm run demo` can run the weekly and monthly reports at once:
// for each of the last REPORT_DAYS days, a ticket for every arrival the planning seed recorded
// (the same keys), with first-response and resolution times, targets and ratings drawn per line,
// written as the day parts the ledger keeps; and each day's end counted with a plausible backlog.
// Seeded and keyed like the arrivals, so a restart writes the same figures again, not twice.
import type { ArrivalsStore } from '../arrivals/arrivals-store.js';
import type { Priority } from '../../contract/domain.js';
import type { Calendar } from '../domain/calendar.js';
import { emptyContribution } from '../domain/daily-stats.js';
import type { DailyStore, TicketParts } from '../reports/daily-store.js';
import { dayPartsOf } from '../reports/day-parts.js';
import { DEMO_VOLUMES } from './planning-seed.js';
import { chance, logNormal, mulberry32, weighted } from './random.js';

/** As far back as the planning seed's arrivals (8 weeks): last week's and last month's reports, against their previous periods. */
const REPORT_DAYS = 56;
const SEED = 20_261_203;
const MINUTE = 60;
const HOUR = 3_600;

interface LineHabits {
  /** Seconds: median and spread of the first response, and its target. */
  frt: { median: number; sigma: number; target: number };
  resolution: { median: number; sigma: number; target: number };
  backlogShare: number;
}

const HABITS: ReadonlyMap<string, LineHabits> = new Map([
  ['l1', { frt: { median: 12 * MINUTE, sigma: 0.8, target: HOUR }, resolution: { median: 4 * HOUR, sigma: 1, target: 24 * HOUR }, backlogShare: 0.12 }],
  ['l2', { frt: { median: 1.5 * HOUR, sigma: 0.7, target: 4 * HOUR }, resolution: { median: 20 * HOUR, sigma: 0.8, target: 72 * HOUR }, backlogShare: 0.6 }],
  ['l3', { frt: { median: 4 * HOUR, sigma: 0.6, target: 8 * HOUR }, resolution: { median: 60 * HOUR, sigma: 0.7, target: 168 * HOUR }, backlogShare: 1.5 }],
]);
const PRIORITY_SHARES: readonly (readonly [Priority, number])[] = [
  ['urgent', 0.05],
  ['high', 0.2],
  ['normal', 0.6],
  ['low', 0.15],
];

export interface ReportSeedApp {
  arrivals: ArrivalsStore;
  daily: { store: DailyStore; calendar: Calendar; closeDay(day: string, backlog: ReadonlyMap<string, number>): Promise<void> };
  now(): number;
}

export async function seedDemoReports(app: ReportSeedApp): Promise<{ days: number; tickets: number }> {
  const { calendar } = app.daily;
  const now = app.now();
  const random = mulberry32(SEED);
  let tickets = 0;
  for (let back = REPORT_DAYS; back >= 1; back--) {
    const day = calendar.dayKeyBefore(now, back);
    const start = calendar.startOf(day);
    const end = calendar.endOf(day);
    const backlog = new Map<string, number>();
    const batch: TicketParts[] = [];
    for (const [line, { perDay }] of DEMO_VOLUMES) {
      const habits = HABITS.get(line);
      if (habits === undefined) continue;
      for (const [bucket, count] of await app.arrivals.counts(line, start, end)) {
        for (let rank = 0; rank < count; rank++) {
          const created = bucket + rank;
          const frt = logNormal(random, { median: habits.frt.median, sigma: habits.frt.sigma, min: 30, max: 10 * habits.frt.target }) * 1000;
          const resolution = Math.max(
            frt,
            logNormal(random, { median: habits.resolution.median, sigma: habits.resolution.sigma, min: 600, max: 30 * 86_400 }) * 1000,
          );
          const c = emptyContribution();
          c.createdDay = calendar.dayKey(created);
          if (created + frt <= now) {
            c.firstResponseDay = calendar.dayKey(created + frt);
            c.firstResponseSec = frt / 1000;
          }
          if (created + habits.frt.target * 1000 <= now) {
            c.firstResponseTargetDay = calendar.dayKey(created + habits.frt.target * 1000);
            c.firstResponseTargetMet = frt <= habits.frt.target * 1000;
          }
          if (created + resolution <= now) {
            c.solvedDay = calendar.dayKey(created + resolution);
            c.resolutionSec = resolution / 1000;
            if (chance(random, 0.25)) {
              c.csatDay = c.solvedDay;
              c.csatGood = chance(random, 0.88);
            }
          }
          if (created + habits.resolution.target * 1000 <= now) {
            c.resolutionTargetDay = calendar.dayKey(created + habits.resolution.target * 1000);
            c.resolutionTargetMet = resolution <= habits.resolution.target * 1000;
          }
          batch.push({ key: `demo-history/${line}/${bucket}/${rank}`, parts: dayPartsOf(c, line, weighted(random, PRIORITY_SHARES)) });
        }
      }
      backlog.set(line, Math.round(perDay * habits.backlogShare * (0.85 + 0.3 * random())));
    }
    await app.daily.store.writeTickets(batch);
    await app.daily.closeDay(day, backlog);
    tickets += batch.length;
  }
  return { days: REPORT_DAYS, tickets };
}
