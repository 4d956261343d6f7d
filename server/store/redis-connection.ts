// ioredis connections of the distributed mode, one setting per use. Redis going away must never
// hang a request or end the process: commands fail fast (ingest answers 503 at once), and every
// connection reconnects by itself, for ever, so that everything resumes when Redis is back.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * - `command`: ingest, checkpoints, health. No offline queue and one retry: a command while Redis
 *   is down fails at once. No resending after a reconnect: a commit whose answer was lost may
 *   have run, and running it again would turn its events into "duplicates" (the store's log
 *   reader applies such an entry instead). The timeout covers a Redis that hangs rather than dies.
 * - `reader`: the blocking XREAD of the log; a read cut by a reconnect is simply sent again.
 * - `pubsub`: the socket.io adapter's. It drops the promises of its calls, so they queue while
 *   Redis is down rather than fail.
 */
export type RedisRole = 'command' | 'reader' | 'pubsub';

/** Reconnect delay: quick after a blip, then once a second, never giving up. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 100, 1_000);

/** How long start-up waits for Redis before it gives up (the process manager restarts us). */
const STARTUP_WAIT_MS = 10_000;

/**
 * How long a command may take before it counts as failed (`REDIS_COMMAND_TIMEOUT_MS`): no request
 * waits on Redis longer than this, and the store probe calls Redis "down" past it.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

function optionsFor(role: RedisRole, commandTimeoutMs: number): RedisOptions {
  const common: RedisOptions = { retryStrategy, connectionName: `watchfloor-${role}` };
  switch (role) {
    case 'command':
      return { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false, commandTimeout: commandTimeoutMs };
    case 'reader':
      // XREAD blocks for 1 s; beyond that plus the command timeout, Redis stopped answering.
      return { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: Math.max(5_000, 1_000 + commandTimeoutMs) };
    case 'pubsub':
      return { ...common, maxRetriesPerRequest: null };
  }
}

/** A connection of the given role, ready to use (or an error naming the unreachable Redis). */
export async function connectRedis(url: string, role: RedisRole, log: RedisLog, commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<Redis> {
  const client = new Redis(url, optionsFor(role, commandTimeoutMs));
  watchConnection(client, role, log);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis at ${safeUrl(url)} did not answer within ${STARTUP_WAIT_MS / 1000} s`)), STARTUP_WAIT_MS);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Logs a connection going down once (not on every reconnect attempt), and coming back. */
function watchConnection(client: Redis, role: RedisRole, log: RedisLog): void {
  let up = false;
  let lastError: string | null = null;
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  client.on('ready', () => {
    if (!up && lastError !== null) log.info({ redis: role }, 'Redis connection is back');
    up = true;
  });
  // 'reconnecting', not 'close': a close we asked for at shutdown is no news.
  client.on('reconnecting', () => {
    if (up) log.warn({ redis: role, error: lastError }, 'Redis connection lost; reconnecting');
    up = false;
  });
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
