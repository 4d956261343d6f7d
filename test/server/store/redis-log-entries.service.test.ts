// The shared log holds each batch's body as it arrived, with its duplicates' indexes beside it
// (server/store/redis-log-entry.ts): another instance, and a start that replays the log, take
// exactly the events the instance that took the batch accepted as new, normalised as it did.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { bearer } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { postEvents, queueOf } from '../../helpers/http.js';
import { RedisServer } from '../../helpers/redis-server.js';
import { Cluster, stateOf, untilStateIs, withoutSeq } from '../../helpers/redis-cluster.js';

const at = (time: string) => `2026-11-26T${time}:00Z`;

let redis: RedisServer;
let admin: Redis;
let cluster: Cluster;

beforeAll(async () => {
  redis = await RedisServer.start();
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

afterEach(async () => {
  await cluster.closeAll();
  await redis.flush();
});

it('another instance and a start take the new events of a batch only, as the taking instance normalised them', async () => {
  cluster = new Cluster(() => redis.url, at('10:00'));
  const a = await cluster.start();
  const b = await cluster.start();

  // E-1 twice in one batch: the second (T-1 in l2, newer) is a duplicate and must not move T-1 on any instance.
  // T-2 as sent needs normalising: its status in capitals, its queue with a bidi control.
  const batch = [
    ticketEvent({ id: 'T-1', queue: 'l1', createdAt: at('09:30'), updatedAt: at('09:30') }, { id: 'E-1' }),
    ticketEvent({ id: 'T-1', queue: 'l2', createdAt: at('09:30'), updatedAt: at('09:50') }, { id: 'E-1' }),
    { ...ticketEvent({ id: 'T-2', queue: 'l3\u202e', createdAt: at('09:40'), updatedAt: at('09:40') }, { id: 'E-2' }), type: 'TICKET' },
  ];
  batch[2]!.ticket.status = 'OPEN' as 'open';
  const body = JSON.stringify(batch);
  const answer = await a.t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...bearer('ingest'), 'content-type': 'application/json' },
    payload: body,
  });
  expect(answer.statusCode).toBe(202);
  expect(answer.json()).toMatchObject({ accepted: 2, duplicates: 1, rejected: [] });
  // The same again as NDJSON: all three are duplicates now, and nothing is logged.
  const ndjson = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n');
  const again = await a.t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...bearer('ingest'), 'content-type': 'application/x-ndjson' },
    payload: ndjson(batch),
  });
  expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
  // A new NDJSON batch, taken by B this time.
  const t3 = ticketEvent({ id: 'T-3', queue: 'l1', createdAt: at('09:45'), updatedAt: at('09:45') }, { id: 'E-3' });
  const fromB = await b.t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...bearer('ingest'), 'content-type': 'application/x-ndjson' },
    payload: ndjson([t3]),
  });
  expect(fromB.json()).toMatchObject({ accepted: 1, duplicates: 0 });

  // The log: the bodies as they arrived, the duplicate's index beside the first, the format beside the second.
  const entries = await admin.xrange('wf:events', '-', '+');
  expect(entries).toHaveLength(2);
  const fields = entries.map(([, flat]) => new Map(flat.flatMap((value, i) => (i % 2 === 0 ? [[value, flat[i + 1]!] as const] : []))));
  expect(fields[0]!.get('e')).toBe(body);
  expect(fields[0]!.get('d')).toBe('2');
  expect(fields[0]!.has('f')).toBe(false);
  expect(fields[1]!.get('e')).toBe(ndjson([t3]));
  expect(fields[1]!.get('f')).toBe('ndjson');
  expect(fields[1]!.has('d')).toBe(false);

  const onA = await stateOf(a);
  expect([queueOf(onA, 'l1').open, queueOf(onA, 'l2').open, queueOf(onA, 'l3').open]).toEqual([2, 0, 1]);
  await untilStateIs(b, withoutSeq(onA), 2_000);

  // A start before any checkpoint replays both entries: the same state again.
  const c = await cluster.start();
  expect(withoutSeq(await stateOf(c))).toEqual(withoutSeq(onA));
  // And the ids are known there: a retry through C is a duplicate.
  expect(await postEvents(c.t.app, [batch[0]])).toMatchObject({ accepted: 0, duplicates: 1 });
});
