// socket.io's Redis adapter (distributed mode, docs/contract.md#configuration): a broadcast through the namespace on one
// instance reaches the clients of every instance. The live numbers do not need it: every instance
// applies every event from the shared log and sends deltas to its own sockets (`socket.emit`, each
// with the connection's own seq, which the adapter does not touch). It carries cross-instance
// messages: wall commands (docs/contract.md#wall-control) and anything else sent with `namespace.emit`/`to(room)`.
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { connectRedis, type RedisLog } from '../store/redis-connection.js';

export interface RedisFanout {
  adapter: ReturnType<typeof createAdapter>;
  close(): void;
}

/**
 * The adapter's channel prefix under REDIS_KEY_PREFIX: socket.io's own (`socket.io`) for the default
 * `wf:`, so that instances of the previous version still hear this one, else the prefix before it.
 */
export const adapterKey = (prefix: string): string => (prefix === 'wf:' ? 'socket.io' : `${prefix}socket.io`);

export async function connectFanout(url: string, log: RedisLog & { error(object: object, message: string): void }, prefix = 'wf:'): Promise<RedisFanout> {
  const pub = await connectRedis(url, 'pubsub', log);
  let sub: Redis;
  try {
    sub = await connectRedis(url, 'pubsub', log);
  } catch (error) {
    pub.disconnect();
    throw error;
  }
  let closing = false;
  // The adapter drops the promises of its Redis calls; one rejected at shutdown (or with the
  // offline queue flushed) would be an unhandled rejection, which ends a Node process.
  for (const client of [pub, sub]) {
    for (const name of ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
      const original = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const result = original(...args);
        result.catch((error: unknown) => {
          // An unsubscribe still in flight when we disconnect at shutdown is no news.
          if (!closing) log.error({ err: error, redis: 'pubsub' }, `socket.io adapter: ${name} failed`);
        });
        return result;
      };
    }
  }
  return {
    adapter: createAdapter(pub, sub, { key: adapterKey(prefix) }),
    close() {
      closing = true;
      pub.disconnect();
      sub.disconnect();
    },
  };
}
