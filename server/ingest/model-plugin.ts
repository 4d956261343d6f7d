// The live model and the one ingest path into it: restored from the store at start (the last
// checkpoint a slice at a time, then the journal replayed), folded back into the store every
// CHECKPOINT_MS and once more when the app closes. In distributed mode it follows what the other
// instances accept. With `restoreWhileListening` (the server process) the restore runs after the
// app is ready, so the server listens while it goes: until the model is whole, /healthz says
// "recovering" and the API answers 503 (see live-readiness.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LiveState } from '../../contract/domain.js';
import { LiveModel } from '../domain/live-model.js';
import { RedisStore } from '../store/redis-store.js';
import { IngestService } from './ingest-service.js';
import { LiveReadiness } from './live-readiness.js';
import { NewTicketsFeed } from './new-tickets-feed.js';

/** How often changed tickets and agents are folded out of the journal. */
const CHECKPOINT_MS = 5_000;
/** New tickets reach their listeners (arrivals, surge detection) within a second. */
const NEW_TICKETS_MS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    model: LiveModel;
    ingest: IngestService;
    /** The tickets new to the model, for the arrivals store and surge detection. */
    newTickets: NewTicketsFeed;
    /** Folds the tickets and agents changed since the last time into the store. */
    checkpoint(): Promise<void>;
    /** The whole state now (the model's clock advanced first), for a reader: nobody else is told. */
    currentState(): LiveState;
    /** Whether the model holds the whole restored state yet, and the promise to wait for it. */
    live: LiveReadiness;
  }
}

export interface ModelPluginOptions {
  /**
   * Restore after the app is ready rather than before: the server listens while a large state
   * goes back in (main.ts). Off by default, so that an app built by a test holds its state at once.
   */
  restoreWhileListening?: boolean;
}

export const modelPlugin = fp(
  async (app: FastifyInstance, options: ModelPluginOptions) => {
    const { config, store, now } = app;
    const model = new LiveModel({ atRiskMinutes: config.atRiskMinutes, collectArrivals: true, collectTicketDays: true });
    const ingest = new IngestService({ model, store, now });
    const remember = (ids: string[]): boolean[] => store.remember(ids, now());
    const live = new LiveReadiness(app.log);

    const checkpoint = (): Promise<void> => store.checkpoint(model.takeChanges(), now());
    app.decorate('model', model);
    app.decorate('ingest', ingest);
    app.decorate('live', live);
    const newTickets = new NewTicketsFeed(model);
    app.decorate('newTickets', newTickets);
    app.decorate('checkpoint', checkpoint);
    app.decorate('currentState', (): LiveState => {
      model.advance(now());
      return model.state(now());
    });

    // While the model is half a state, the API answers 503 (a load balancer keeps traffic away
    // by /healthz; helpdesks and pollers retry); pages and /healthz itself are served. By the
    // route matched, not the raw URL: every route under /api/v1/, whatever spelling reached it.
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (live.ready || request.routeOptions.url?.startsWith('/api/v1/') !== true) return;
      return reply
        .code(503)
        .header('retry-after', String(live.retryAfterSec()))
        .send({
          error: { code: 'recovering', message: `the server is restoring its live state after a restart (${live.describe()}); retry in a few seconds` },
        });
    });

    // After a loss of Redis's data, the instance puts its whole model back (see RedisStore): never
    // half of one. A loss found during the restore waits for it (the re-seed retries every second).
    if (store instanceof RedisStore) {
      store.reseedFrom(() => {
        if (!live.ready) throw new Error('the live state is still being restored; re-seeding once it is whole');
        return model.everything();
      });
    }

    let checkpoints: NodeJS.Timeout | null = null;
    let handing: NodeJS.Timeout | null = null;
    const restore = async (): Promise<void> => {
      const loaded = await store.load(now());
      const replayed = await ingest.restoreInSlices(loaded, remember, live);
      if (live.abandoned) return;
      // Distributed mode: what the other instances accept reaches this model (and its screens) too.
      store.follow({ events: (events) => ingest.applyFromLog(events), reload: (state) => void ingest.restore(state, remember) });
      // Checkpoints only from here: the tables are read during the restore, and a checkpoint of a
      // half-replayed model would drop journal segments whose batches are not applied yet.
      checkpoints = setInterval(() => {
        checkpoint().catch((error: unknown) => app.log.error({ err: error }, 'checkpoint failed; will retry'));
      }, CHECKPOINT_MS);
      checkpoints.unref();
      handing = setInterval(() => newTickets.drain(), NEW_TICKETS_MS);
      handing.unref();
      live.markLive({ agents: loaded.agents.length, replayedEvents: replayed });
    };

    if (options.restoreWhileListening === true) {
      // Started once the app is ready, not awaited: listen() goes ahead. A restore that fails
      // leaves the instance "recovering" for good; the process stops on it (main.ts).
      app.addHook('onReady', async () => {
        live.restoring = restore();
        live.restoring.catch((error: unknown) => app.log.fatal({ err: error }, 'restoring the live state failed'));
      });
    } else {
      await restore();
    }

    app.addHook('preClose', async () => {
      live.abandoned = !live.ready;
      if (checkpoints !== null) clearInterval(checkpoints);
      if (handing !== null) clearInterval(handing);
      await live.restoring.catch(() => undefined);
    });
    // Runs before the store's own onClose (registered earlier, so closed later).
    app.addHook('onClose', async () => {
      // Not after a restore that did not finish: the model is half a state, and the checkpoint
      // would drop journal segments it has not replayed. The next start reads the same again.
      if (!live.ready) return;
      try {
        await checkpoint();
      } catch (error) {
        // Nothing accepted is lost: the journal (embedded) or the log (Redis) still holds it.
        app.log.error({ err: error }, 'final checkpoint failed; the next start replays more');
      }
    });
  },
  { name: 'model', dependencies: ['config', 'store'] },
);
