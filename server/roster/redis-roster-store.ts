// The roster in distributed mode: one sorted set of shifts (JSON members) scored by start, and a
// version number. An upload reads the neighbourhood and the version, plans the merge, and writes
// with a script that applies it only if the version is unchanged (retrying otherwise), so two
// supervisors' uploads on two instances never interleave, on the shared command connection.
import type { Redis } from 'ioredis';
import { rangeOf, type Shift, type UploadedShift } from './roster.js';
import { NEIGHBOURHOOD_MS, planReplace, type RosterStore, type RosterWrite } from './roster-store.js';

const ATTEMPTS = 5;

// KEYS: roster, version. ARGV: expected version, from, to (exclusive), then score/member pairs.
const APPLY_IF_UNCHANGED = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[2], '(' .. ARGV[3])
for i = 4, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[2])
return 1`;

type Scripted = Redis & { wfRosterApply(roster: string, version: string, ...args: (string | number)[]): Promise<number> };

const parse = (member: string): Shift => JSON.parse(member) as Shift;

export class RedisRosterStore implements RosterStore {
  readonly kind = 'redis' as const;
  private readonly redis: Scripted;

  private readonly key: string;
  private readonly versionKey: string;

  /** Takes a command connection it does not own: whoever opened it closes it. `prefix`: REDIS_KEY_PREFIX. */
  constructor(redis: Redis, prefix = 'wf:') {
    this.key = `${prefix}roster`;
    this.versionKey = `${prefix}roster:version`;
    redis.defineCommand('wfRosterApply', { numberOfKeys: 2, lua: APPLY_IF_UNCHANGED });
    this.redis = redis as Scripted;
  }

  async shifts(from: number, to: number): Promise<Shift[]> {
    const members = await this.redis.zrangebyscore(this.key, from - NEIGHBOURHOOD_MS, `(${to}`);
    return members.map(parse).filter((s) => s.end > from);
  }

  async replace(upload: readonly UploadedShift[]): Promise<RosterWrite> {
    const { from, to } = rangeOf(upload);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [version, members] = await Promise.all([
        this.redis.get(this.versionKey),
        this.redis.zrangebyscore(this.key, from - NEIGHBOURHOOD_MS, `(${to + NEIGHBOURHOOD_MS}`),
      ]);
      const plan = planReplace(members.map(parse), upload);
      if (!plan.ok) return plan;
      const pairs = plan.write.flatMap((s) => [s.start, JSON.stringify({ agent: s.agent, line: s.line, start: s.start, end: s.end, breaks: s.breaks })]);
      if ((await this.redis.wfRosterApply(this.key, this.versionKey, version ?? '0', plan.from, plan.to, ...pairs)) === 1) {
        return { ok: true, stored: upload.length, replaced: plan.replaced };
      }
    }
    throw new Error('the roster kept changing under this upload; try again');
  }

  async close(): Promise<void> {}
}
