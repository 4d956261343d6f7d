// The daily figures kept for reports (docs/contract.md#reports-to-management): their store (SQLite
// under DATA_DIR, or the shared Redis) and the ledger that keeps them, on a one-second beat:
//  - the tickets the model saw change are written as their day parts;
//  - on the first beat of a new local day, the day that ended gets its end-of-day counts;
//  - at start, days the server was down over get theirs rebuilt from the tickets;
//  - on close, what is collected is written, before the model's final checkpoint.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Calendar } from '../domain/calendar.js';
import { DailyLedger } from './daily-ledger.js';
import { DAILY_RETENTION_DAYS, type DailyStore } from './daily-store.js';
import { EmbeddedDailyStore } from './embedded-daily-store.js';
import { RedisDailyStore } from './redis-daily-store.js';

const BEAT_MS = 1_000;
const PRUNE_MS = 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    daily: {
      store: DailyStore;
      calendar: Calendar;
      /** Writes what the model collected so far (every second; tests call it to be sure). */
      flush(): Promise<void>;
      /** Runs the beat now: flush, and count the day that ended if one did (tests move the clock, then call it). */
      beat(): Promise<void>;
      /** Counts a past day's end with the backlog given (a history brought in from elsewhere: the demo's). */
      closeDay(day: string, backlog: ReadonlyMap<string, number>): Promise<void>;
    };
  }
}

export const dailyPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, model, now } = app;
    const store: DailyStore =
      app.sharedRedis === null ? new EmbeddedDailyStore({ dataDir: config.dataDir }) : new RedisDailyStore(app.sharedRedis, config.redisKeyPrefix);
    const calendar = new Calendar();
    const ledger = new DailyLedger({ store, model, calendar, staffing: app.staffing, log: app.log });
    let today = calendar.dayKey(now());

    let beating: Promise<void> | null = null;
    const beat = async (): Promise<void> => {
      while (beating !== null) await beating;
      beating = (async () => {
        await ledger.flush();
        const at = now();
        const day = calendar.dayKey(at);
        if (day === today) return;
        const ended = today;
        today = day;
        try {
          model.advance(at);
          await ledger.closeDay(ended, at);
        } catch (error) {
          app.log.warn({ err: error, day: ended }, 'daily figures: the end of the day was not counted; the next start rebuilds it');
        }
      })().finally(() => {
        beating = null;
      });
      await beating;
    };

    app.decorate('daily', { store, calendar, flush: () => ledger.flush(), beat, closeDay: (day, backlog) => ledger.closeDay(day, now(), backlog) });

    // Not before the model holds the whole restored state: a day closed on half of it would keep a wrong backlog.
    const timer = setInterval(() => {
      if (app.live.ready) void beat();
    }, BEAT_MS);
    timer.unref();
    const pruner = setInterval(() => {
      store
        .prune(calendar.dayKeyBefore(now(), DAILY_RETENTION_DAYS))
        .catch((error: unknown) => app.log.warn({ err: error }, 'daily figures: prune failed; the next one retries'));
    }, PRUNE_MS);
    pruner.unref();

    app.addHook('onReady', async () =>
      // The days the server was down over are rebuilt from the tickets: all of them, so once restored.
      app.live.onLive('the daily figures', async () => {
        today = calendar.dayKey(now());
        try {
          await ledger.backfill(now());
        } catch (error) {
          app.log.warn({ err: error }, 'daily figures: the days the server was down over were not rebuilt');
        }
      }),
    );
    app.addHook('preClose', async () => {
      clearInterval(timer);
      clearInterval(pruner);
      await beating;
    });
    // Registered after the model, so this runs before its final checkpoint.
    app.addHook('onClose', async () => {
      await ledger.flush();
      if (ledger.dropped > 0 || model.droppedTicketDays > 0) {
        app.log.warn({ dropped: ledger.dropped + model.droppedTicketDays }, 'daily figures: changes dropped while the store was unreachable');
      }
      await store.close();
    });
  },
  { name: 'daily', dependencies: ['config', 'store', 'model', 'staffing'] },
);
