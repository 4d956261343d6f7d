// The live model and the one ingest path into it: restored from the store at start (the last
// checkpoint, then the journal replayed), folded back into the store every CHECKPOINT_MS and once
// more when the app closes. In distributed mode it follows what the other instances accept.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LiveState } from '../../contract/domain.js';
import { LiveModel } from '../domain/live-model.js';
import { RedisStore } from '../store/redis-store.js';
import { IngestService } from './ingest-service.js';
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
  }
}

export const modelPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, store, now } = app;
    const model = new LiveModel({ atRiskMinutes: config.atRiskMinutes, collectArrivals: true, collectTicketDays: true });
    const ingest = new IngestService({ model, store, now });
    const remember = (ids: string[]): boolean[] => store.remember(ids, now());

    const loaded = await store.load(now());
    const replayed = ingest.restore(loaded, remember);
    if (loaded.tickets.length + replayed > 0) {
      app.log.info({ tickets: loaded.tickets.length, agents: loaded.agents.length, replayed }, 'restored live state');
    }
    // Distributed mode: what the other instances accept reaches this model (and its screens) too.
    store.follow({ events: (events) => ingest.applyFromLog(events), reload: (state) => void ingest.restore(state, remember) });
    // After a loss of Redis's data, the instance puts its whole model back (see RedisStore).
    if (store instanceof RedisStore) store.reseedFrom(() => model.everything());

    const checkpoint = (): Promise<void> => store.checkpoint(model.takeChanges(), now());
    app.decorate('model', model);
    app.decorate('ingest', ingest);
    const newTickets = new NewTicketsFeed(model);
    app.decorate('newTickets', newTickets);
    const handing = setInterval(() => newTickets.drain(), NEW_TICKETS_MS);
    handing.unref();
    app.decorate('checkpoint', checkpoint);
    app.decorate('currentState', (): LiveState => {
      model.advance(now());
      return model.state(now());
    });

    const checkpoints = setInterval(() => {
      checkpoint().catch((error: unknown) => app.log.error({ err: error }, 'checkpoint failed; will retry'));
    }, CHECKPOINT_MS);
    checkpoints.unref();
    app.addHook('preClose', async () => {
      clearInterval(checkpoints);
      clearInterval(handing);
    });
    // Runs before the store's own onClose (registered earlier, so closed later).
    app.addHook('onClose', async () => {
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
