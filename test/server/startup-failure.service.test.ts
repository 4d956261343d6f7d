// A start that fails half-way closes what it opened. Here Redis takes the live store's and the
// incident store's connections, then refuses more (maxclients), so the alert store cannot
// connect: buildApp must fail, and leave no connection of ours behind in Redis (the live store's,
// the incident store's, the alert store's first one).
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer | null = null;

/** The server of the test under way. */
const url = (): string => {
  if (redis === null) throw new Error('no Redis started');
  return redis.url;
};

afterEach(async () => {
  await redis?.stop();
  redis = null;
});

/** The names of the connections Redis holds, but the one asking. */
async function connectionsOf(address: string): Promise<string[]> {
  // One try: at maxclients this very connection may be refused until the app's have gone (polled).
  const client = new Redis(address, { connectionName: 'test-observer', maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    const list = (await client.client('LIST')) as string;
    return list
      .split('\n')
      .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name !== '' && name !== 'test-observer')
      .sort();
  } finally {
    client.disconnect();
  }
}

describe('a start that fails half-way', () => {
  it('control: a start that succeeds holds its connections until close, and none after', async () => {
    redis = await RedisServer.start();
    const t = await startTestApp({ env: { REDIS_URL: redis.url } });
    // The live store (command, reader), incidents and alerts (command, pubsub each), the socket.io adapter (two pubsub).
    expect(await connectionsOf(redis.url)).toEqual([
      'watchfloor-command',
      'watchfloor-command',
      'watchfloor-command',
      'watchfloor-pubsub',
      'watchfloor-pubsub',
      'watchfloor-pubsub',
      'watchfloor-pubsub',
      'watchfloor-reader',
    ]);
    await t.close();
    await expect.poll(() => connectionsOf(url()), { timeout: 5_000 }).toEqual([]);
  });

  it('when Redis refuses the alert store, fails and closes the live store and the incident store it had opened', async () => {
    // Five: the live store's two, the incident store's two, the alert store's command connection;
    // its subscriber is refused, and start-up gives up after its 10 s wait.
    redis = await RedisServer.start({ args: ['--maxclients', '5'] });
    const started = Date.now();
    await expect(startTestApp({ env: { REDIS_URL: redis.url } })).rejects.toThrow(/did not answer within 10 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    await expect.poll(() => connectionsOf(url()), { timeout: 5_000 }).toEqual([]);
  });

  it('when Redis refuses the socket.io adapter, fails after the model, connectors and dashboards started, and closes every store', async () => {
    // Six: the three stores' two each; the adapter's first connection is refused. The model
    // plugin's final checkpoint runs on the way out, while its store is still open.
    redis = await RedisServer.start({ args: ['--maxclients', '6'] });
    await expect(startTestApp({ env: { REDIS_URL: redis.url } })).rejects.toThrow(/did not answer within 10 s/);
    await expect.poll(() => connectionsOf(url()), { timeout: 5_000 }).toEqual([]);
  });
});
