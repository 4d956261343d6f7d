// One throwaway redis-server for a test file: started before its tests, stopped after them, with
// the ioredis connections the tests opened to it closed first. For store tests run on both stores.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisServer } from './redis-server.js';

export interface FileRedis {
  /** The running server (after beforeAll). */
  readonly server: RedisServer;
  /** A new connection, closed when the file's tests are done. */
  connect(): Redis;
}

export function redisForThisFile(): FileRedis {
  let server: RedisServer | null = null;
  const connections: Redis[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await server?.stop();
  });
  return {
    get server(): RedisServer {
      if (server === null) throw new Error('the Redis of this file starts in beforeAll');
      return server;
    },
    connect(): Redis {
      const connection = new Redis(this.server.url);
      connections.push(connection);
      return connection;
    },
  };
}
