// A start that fails half-way closes what it opened. Here Redis takes the live store's and the
// live channel's connections, then refuses more (maxclients), so the incidents plugin cannot
// connect: buildApp must fail, and leave no connection of ours behind in Redis (the live store's,
// the socket.io adapter's, the incident store's first one), nor anything that keeps the process.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer | null = null;

afterEach(async () => {
  await redis?.stop();
  redis = null;
});

/** The names of the connections Redis holds, but the one asking. */
async function connectionsOf(url: string): Promise<string[]> {
  const client = new Redis(url, { connectionName: 'test-observer' });
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
    // The live store (command, reader), the adapter (two pubsub), incidents and alerts (command, pubsub each).
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
    await expect.poll(() => connectionsOf(redis!.url)).toEqual([]);
  });

  it('when Redis refuses the incident store, fails and closes the live store and the adapter it had opened', async () => {
    // Five: the live store's two, the adapter's two, the incident store's command connection;
    // its subscriber is refused, and start-up gives up after its 10 s wait.
    redis = await RedisServer.start({ args: ['--maxclients', '5'] });
    const started = Date.now();
    await expect(startTestApp({ env: { REDIS_URL: redis.url } })).rejects.toThrow(/did not answer within 10 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    await expect.poll(() => connectionsOf(redis!.url)).toEqual([]);
  });
});
