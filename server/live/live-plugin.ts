// The live channel (docs/contract.md#live-channel): socket.io on the app's HTTP server (with the
// Redis adapter in distributed mode, so every instance's walls hear every instance), the hub that
// speaks `/live`, and the feed that hands it what changed in the model. The clock ticks here: the
// model learns the time every CLOCK_TICK_MS (breaches, at-risk, a queue's oldest wait, midnight)
// and the screens hear what that changed. The store probe also tells the walls, at once, when the
// store stops taking events.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server as SocketServer } from 'socket.io';
import { sharedDeltaParser } from './shared-delta-encoder.js';
import { LIVE_NAMESPACE } from '../../contract/live-events.js';
import { secureEngineResponses } from '../http/security-headers.js';
import { StoreHealthMonitor } from '../store/store-health.js';
import { LiveFeed } from './live-feed.js';
import { LiveHub } from './live-hub.js';
import { connectFanout } from './redis-fanout.js';

/** How often the SLA clock is advanced: well inside the 1 s a breach may take to show. */
const CLOCK_TICK_MS = 250;
/** How often the store's reachability is checked for the walls. */
const STORE_PROBE_MS = 2_000;

declare module 'fastify' {
  interface FastifyInstance {
    io: SocketServer;
    hub: LiveHub;
    liveFeed: LiveFeed;
    /** The store probe (slow, down, refusing writes, lost data), for /healthz and the walls. */
    storeHealth: StoreHealthMonitor;
    /** Advances the model's clock to now (SLA breaches, at-risk, midnight); the screens hear what changed with the next slot. */
    tick(): void;
  }
}

export const livePlugin = fp(
  async (app: FastifyInstance) => {
    const { config, tokens, model, ingest, store, dashboards, now, live } = app;
    const fanout = config.redisUrl === null ? null : await connectFanout(config.redisUrl, app.log, config.redisKeyPrefix);
    // onClose: after io.close (preClose) no client is left to reach through it.
    if (fanout !== null) app.addHook('onClose', async () => fanout.close());

    const io = new SocketServer(app.server, {
      ...(fanout === null ? {} : { adapter: fanout.adapter }),
      serveClient: false,
      // Deltas serialised once per slot, not once per connection (shared-delta-encoder.ts).
      parser: sharedDeltaParser,
      // A TV behind a flaky network should learn within ~15 s that the server is gone.
      pingInterval: 10_000,
      pingTimeout: 5_000,
      maxHttpBufferSize: 64 * 1024,
    });
    secureEngineResponses(io.engine);
    const hub = new LiveHub({
      io,
      tokens,
      // A whole state for a connection that has nothing yet or fell behind: a read, that tells nobody else.
      snapshot: () => {
        const at = now();
        model.advance(at);
        return model.snapshot(at);
      },
      dashboards,
      now,
      distributed: fanout !== null,
      agentList: () => model.agentList(),
      log: app.log,
    });
    // A connection made while the live state is still being restored waits here (the screen says
    // it is connecting) and gets its first state once the model is whole: never half of one.
    io.of(LIVE_NAMESPACE).use((_socket, next) => {
      if (live.ready) next();
      else void live.whenLive.then(() => next());
    });
    const feed = new LiveFeed({ model, hub, now });
    ingest.onApply(() => feed.notify());
    // Walls hear at once when the store stops taking events (down, out of memory, lost data).
    const storeHealth = new StoreHealthMonitor(store, (status) => hub.setStoreHealth(status.ok), app.log);

    app.decorate('io', io);
    app.decorate('hub', hub);
    app.decorate('liveFeed', feed);
    app.decorate('storeHealth', storeHealth);
    app.decorate('tick', () => feed.tick());

    const clock = setInterval(() => {
      if (live.ready) feed.tick();
    }, CLOCK_TICK_MS);
    clock.unref();
    // Walls must learn that the numbers stopped moving when the store is gone (Redis down): the
    // connection to this server stays live, so nothing else would tell them.
    const storeProbe = setInterval(() => void storeHealth.check(), STORE_PROBE_MS);
    storeProbe.unref();
    void storeHealth.check();

    // preClose, not onClose: Fastify's close waits for the HTTP server, and an open websocket
    // keeps it open, so the live connections must go first.
    app.addHook('preClose', async () => {
      clearInterval(clock);
      clearInterval(storeProbe);
      feed.close();
      hub.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    });
  },
  { name: 'live', dependencies: ['config', 'store', 'model', 'dashboards'] },
);
