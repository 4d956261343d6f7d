// What the alert and incident stores share in distributed mode: a command connection with a
// second one to subscribe on (a subscribed connection can do nothing else), and following a change
// channel on it, with a signal when a reconnect may have lost messages.
import type { Redis } from 'ioredis';
import { connectRedis, type RedisLog } from './redis-connection.js';

/** Connects both, and hands them to `build`; on a failure nothing stays connected. */
export async function connectWithSubscriber<T>(
  url: string,
  log: RedisLog,
  build: (command: Redis, subscriber: Redis) => T,
  commandTimeoutMs?: number,
): Promise<T> {
  const command = await connectRedis(url, 'command', log, commandTimeoutMs);
  try {
    // Its own connection: a subscribed connection can do nothing else.
    const subscriber = await connectRedis(url, 'pubsub', log);
    return build(command, subscriber);
  } catch (error) {
    command.disconnect();
    throw error;
  }
}

export interface ChannelFollower {
  /** Names the store in the log line when subscribing fails ("alerts", "incidents"). */
  name: string;
  log: RedisLog;
  /** Each message published on the channel. */
  message: (text: string) => void;
  /** The subscription was cut and is back: what was published meanwhile is lost. */
  missed: () => void;
  /** True once the store is closed: a reconnect then is no news. */
  closed: () => boolean;
}

/** Subscribes `subscriber` to `channel` and passes what it hears to `follower`. */
export function followChannel(subscriber: Redis, channel: string, follower: ChannelFollower): void {
  subscriber.on('message', (from: string, text: string) => {
    if (from === channel) follower.message(text);
  });
  let subscribed = false;
  subscriber.on('ready', () => {
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is lost.
    if (subscribed && !follower.closed()) follower.missed();
  });
  subscriber.subscribe(channel).then(
    () => (subscribed = true),
    (error: unknown) => follower.log.warn({ err: error }, `${follower.name}: subscribing to changes failed; other instances’ changes show after a reconnect`),
  );
}
