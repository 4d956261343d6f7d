// Where pollers resume after a restart (CursorStore), and who may poll (the lease), in the two
// storage modes of docs/contract.md#configuration:
// - embedded: a table in `DATA_DIR/connectors.sqlite`; one process, so the lease is always ours;
// - Redis: the hash `wf:connectors:cursors` (vendor → cursor), and a lease per vendor
//   (`wf:connectors:lease:<vendor>`, SET NX PX, renewed by its holder every round and page), so
//   that of several instances exactly one polls a vendor at a time and another takes over within
//   the lease's time when that one dies. It uses the live store's command connection (a cursor
//   write is one command a page): no connection of its own to open, watch and close.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type { CursorStore, Vendor } from './types.js';

export interface PollerStateStore extends CursorStore {
  readonly kind: 'embedded' | 'redis';
  /** Takes or renews the vendor's lease for `ttlMs`; false: another instance holds it. */
  acquire(vendor: Vendor, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (a clean stop), if held. */
  release(vendor: Vendor): Promise<void>;
  close(): Promise<void>;
}

export class EmbeddedCursorStore implements PollerStateStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly getStatement;
  private readonly setStatement;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    // Its own file: the live store's database is checkpointed on its own schedule, and a cursor
    // write (one row, once a page) must not wait for it.
    this.db = new Database(path.join(dataDir, 'connectors.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS poll_cursors (vendor TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    this.getStatement = this.db.prepare<[string], { cursor: string }>('SELECT cursor FROM poll_cursors WHERE vendor = ?');
    this.setStatement = this.db.prepare<[string, string, number]>('INSERT OR REPLACE INTO poll_cursors (vendor, cursor, updated_at) VALUES (?, ?, ?)');
  }

  async get(vendor: Vendor): Promise<string | null> {
    return this.getStatement.get(vendor)?.cursor ?? null;
  }

  async set(vendor: Vendor, cursor: string): Promise<void> {
    this.setStatement.run(vendor, cursor, Date.now());
  }

  async acquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The keys under the default REDIS_KEY_PREFIX (`wf:`). */
export const CURSORS_KEY = 'wf:connectors:cursors';
export const leaseKey = (vendor: Vendor, prefix = 'wf:'): string => `${prefix}connectors:lease:${vendor}`;

/** Take the lease when free, renew it when ours; atomic, so two instances never both hold it. */
const ACQUIRE_LUA = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return 1`;
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisCursorStore implements PollerStateStore {
  readonly kind = 'redis' as const;
  /** This instance's name in the lease. */
  readonly holder = `${process.pid}-${randomBytes(6).toString('hex')}`;

  private readonly cursorsKey: string;

  /** `redis`: a command connection owned by someone else (the live store), who closes it. `prefix`: REDIS_KEY_PREFIX. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'wf:',
  ) {
    this.cursorsKey = `${prefix}connectors:cursors`;
  }

  async get(vendor: Vendor): Promise<string | null> {
    return this.redis.hget(this.cursorsKey, vendor);
  }

  async set(vendor: Vendor, cursor: string): Promise<void> {
    await this.redis.hset(this.cursorsKey, vendor, cursor);
  }

  async acquire(vendor: Vendor, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE_LUA, 1, leaseKey(vendor, this.prefix), this.holder, String(Math.ceil(ttlMs)))) === 1;
  }

  async release(vendor: Vendor): Promise<void> {
    await this.redis.eval(RELEASE_LUA, 1, leaseKey(vendor, this.prefix), this.holder);
  }

  async close(): Promise<void> {
    // The connection is not ours: the live store closes it, after the connectors stopped.
  }
}
