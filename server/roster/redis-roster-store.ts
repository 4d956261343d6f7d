// The roster in distributed mode: one sorted set of shifts (JSON members) scored by start. An upload
// reads the neighbourhood under WATCH and writes in MULTI, retried when another instance wrote in
// between, so two supervisors' uploads never interleave.
import type { Redis } from 'ioredis';
import type { Shift, UploadedShift } from './roster.js';
import { NEIGHBOURHOOD_MS, planReplace, type RosterStore, type RosterWrite } from './roster-store.js';

const KEY = 'wf:roster';
const ATTEMPTS = 5;

const parse = (member: string): Shift => JSON.parse(member) as Shift;

export class RedisRosterStore implements RosterStore {
  readonly kind = 'redis' as const;

  /**
   * Takes a connection of its own (WATCH holds state on the connection; sharing it with other
   * commands would watch for them too); closes it with itself.
   */
  constructor(private readonly redis: Redis) {}

  async shifts(from: number, to: number): Promise<Shift[]> {
    const members = await this.redis.zrangebyscore(KEY, from - NEIGHBOURHOOD_MS, `(${to}`);
    return members.map(parse).filter((s) => s.end > from);
  }

  async replace(upload: readonly UploadedShift[]): Promise<RosterWrite> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const from = Math.min(...upload.map((s) => s.start));
      const to = Math.max(...upload.map((s) => s.end));
      await this.redis.watch(KEY);
      const neighbourhood = (await this.redis.zrangebyscore(KEY, from - NEIGHBOURHOOD_MS, `(${to + NEIGHBOURHOOD_MS}`)).map(parse);
      const plan = planReplace(neighbourhood, upload);
      if (!plan.ok) {
        await this.redis.unwatch();
        return plan;
      }
      const multi = this.redis.multi().zremrangebyscore(KEY, plan.from, `(${plan.to}`);
      for (const s of plan.write) multi.zadd(KEY, s.start, JSON.stringify({ agent: s.agent, line: s.line, start: s.start, end: s.end, breaks: s.breaks }));
      // null: the key changed since WATCH (another upload); read again and retry.
      if ((await multi.exec()) !== null) return { ok: true, stored: upload.length, replaced: plan.replaced };
    }
    throw new Error('the roster kept changing under this upload; try again');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
