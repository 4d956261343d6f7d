// Two Watchfloor processes in distributed mode (one throwaway Redis) behind Debian's nginx, run
// with the shipped deploy/nginx/watchfloor.conf, as an operator would:
// - sticky (the file as shipped): pages, assets and the API answer through nginx; a live client
//   with socket.io's default transports (long-polling, then the upgrade to WebSocket) gets its
//   state and the events posted through nginx; killing the instance it is on moves it to the
//   other within seconds, and nginx skips the dead one for every request after;
// - round-robin (the same file without its hash line): a long-polling session meets "Session ID
//   unknown" and a default client never gets a state, while a WebSocket-only client (what a wall
//   opened with ?transport=websocket uses) connects and stays.
// nginx missing is a failure, not a skip: CI installs it.
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transportOptions } from '../../web/src/lib/live/transport.js';
import { ticketEvent, uniqueId } from '../helpers/events.js';
import { LiveRecorder, postEvents, sleep, TOKENS, waitFor } from '../helpers/live-client.js';
import { RedisServer } from '../helpers/redis-server.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { TOKEN_ENV, tempDir } from '../helpers/tokens.js';
import { NginxProxy } from './nginx-proxy.js';

interface Instance {
  server: ServerProcess;
  url: string;
  port: number;
}

// Two server processes start under tsx in this time even on a busy machine.
const STARTS = 120_000;

let redis: RedisServer;
let proxy: NginxProxy | null = null;
const clients: LiveRecorder[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await proxy?.stop();
  proxy = null;
  killServerProcesses();
  await redis.flush();
});

async function startInstances(count: number): Promise<Instance[]> {
  const servers = Array.from({ length: count }, () =>
    startServerProcess({ DATA_DIR: tempDir(), WATCHFLOOR_TOKENS: TOKEN_ENV, REDIS_URL: redis.url }, { maxOutput: 200_000 }),
  );
  const urls = await Promise.all(servers.map((server) => server.listening()));
  return servers.map((server, i) => ({ server, url: urls[i]!, port: Number(new URL(urls[i]!).port) }));
}

/** Live connections an instance holds, asked of it directly (not through nginx). */
async function liveClientsOn(instance: Instance): Promise<number> {
  const health = (await (await fetch(`${instance.url}/healthz`)).json()) as { liveClients: number };
  return health.liveClients;
}

function track(client: LiveRecorder): { disconnects: number; connectErrors: number } {
  const counts = { disconnects: 0, connectErrors: 0 };
  client.socket.on('disconnect', () => counts.disconnects++);
  client.socket.on('connect_error', () => counts.connectErrors++);
  clients.push(client);
  return counts;
}

const openQueueCount = (client: LiveRecorder, queue: string): number => client.view?.queues.find((q) => q.id === queue)?.open ?? 0;

/** One engine.io long-polling session by hand: the handshake, then `requests` POSTs with its sid. */
async function pollingSession(url: string, requests: number): Promise<Array<{ status: number; body: string }>> {
  const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  const text = await handshake.text();
  expect(handshake.status, text).toBe(200);
  const { sid } = JSON.parse(text.slice(1)) as { sid: string };
  const answers: Array<{ status: number; body: string }> = [];
  for (let i = 0; i < requests; i++) {
    // "6" is engine.io's noop packet: accepted and ignored by the instance that knows the session.
    const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, {
      method: 'POST',
      body: '6',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    answers.push({ status: response.status, body: await response.text() });
  }
  return answers;
}

describe('behind nginx with the shipped config', () => {
  it(
    'serves pages and the API, keeps a wall live, and moves it to the other instance when its own dies',
    async () => {
      const instances = await startInstances(2);
      proxy = await NginxProxy.start({ upstreams: instances.map((i) => i.port), sticky: true });

      const page = await fetch(`${proxy.url}/wall/support`, { headers: { 'accept-encoding': 'br' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-encoding')).toBe('br');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<!doctype html>');
      const state = await fetch(`${proxy.url}/api/v1/state`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
      expect(state.status).toBe(200);
      expect(await state.json()).toHaveProperty('queues');

      // Sticky: every request of a long-polling session reaches the instance that opened it.
      expect(await pollingSession(proxy.url, 6)).toEqual(Array.from({ length: 6 }, () => ({ status: 200, body: 'ok' })));

      // socket.io's defaults: long-polling first, then the upgrade, which needs nginx's Upgrade headers.
      const live = new LiveRecorder(proxy.url, TOKENS.viewer, {
        transports: ['polling', 'websocket'],
        reconnection: true,
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      const counts = track(live);
      await live.ready();
      await waitFor(() => live.socket.io.engine?.transport.name === 'websocket', 'the upgrade to WebSocket through nginx');

      expect(await postEvents(proxy.url, [ticketEvent({ id: uniqueId('T'), queue: 'nginx' })])).toMatchObject({ accepted: 1 });
      await waitFor(() => openQueueCount(live, 'nginx') === 1, 'the event posted through nginx on the wall');

      const held = await Promise.all(instances.map(liveClientsOn));
      expect([...held].sort()).toEqual([0, 1]);
      const own = instances[held.indexOf(1)]!;
      const other = instances[held.indexOf(0)]!;

      const statesBefore = live.states.length;
      const killedAt = performance.now();
      own.server.child.kill('SIGKILL');
      await own.server.exited;
      await waitFor(() => live.states.length > statesBefore, 'the whole state again, from the other instance', 5_000);
      const movedMs = performance.now() - killedAt;
      expect(movedMs).toBeLessThan(5_000);
      expect(counts.disconnects).toBe(1);
      expect(await liveClientsOn(other)).toBe(1);
      // What the dead instance took in is in Redis: the other one shows it.
      expect(openQueueCount(live, 'nginx')).toBe(1);

      // Every request after finds the live instance at once: the dead one is refused and skipped.
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        const answer = await fetch(`${proxy.url}${i % 2 === 0 ? '/' : '/api/v1/state'}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
        expect(answer.status).toBe(200);
        expect(performance.now() - started).toBeLessThan(1_000);
      }
      expect(await postEvents(proxy.url, [ticketEvent({ id: uniqueId('T'), queue: 'nginx' })])).toMatchObject({ accepted: 1 });
      await waitFor(() => openQueueCount(live, 'nginx') === 2, 'an event posted after the failover on the wall');
      expect(counts.disconnects).toBe(1);
    },
    STARTS,
  );
});

describe('behind nginx without sticky sessions (round-robin)', () => {
  it(
    'breaks long-polling, while a WebSocket-only client connects and stays',
    async () => {
      const instances = await startInstances(2);
      proxy = await NginxProxy.start({ upstreams: instances.map((i) => i.port), sticky: false });

      // Every other request of a session reaches the instance that does not know it. (Sequential
      // requests with nothing else in flight: round-robin alternates strictly, so this is certain;
      // a polling client beside other traffic may get lucky now and then, so it is not asserted.)
      const answers = await pollingSession(proxy.url, 4);
      expect(answers.filter((a) => a.status === 400 && a.body.includes('Session ID unknown')).length).toBeGreaterThanOrEqual(1);

      const websocketOnly = new LiveRecorder(proxy.url, TOKENS.viewer, { ...transportOptions('websocket'), reconnection: true });
      const steady = track(websocketOnly);
      await websocketOnly.ready();

      // Round-robin spreads these over both instances; the wall gets both either way.
      expect(await postEvents(proxy.url, [ticketEvent({ id: uniqueId('T'), queue: 'rr' })])).toMatchObject({ accepted: 1 });
      expect(await postEvents(proxy.url, [ticketEvent({ id: uniqueId('T'), queue: 'rr' })])).toMatchObject({ accepted: 1 });
      await waitFor(() => openQueueCount(websocketOnly, 'rr') === 2, 'both events on the WebSocket-only client');

      await sleep(3_000);
      expect(websocketOnly.socket.connected).toBe(true);
      expect(steady).toEqual({ disconnects: 0, connectErrors: 0 });
    },
    STARTS,
  );
});
