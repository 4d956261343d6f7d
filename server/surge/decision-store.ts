// What people decided about suggestions (declared, dismissed), kept so that a restart and every
// instance of a distributed deployment agree (docs/contract.md#surge-detection). The suggestions
// themselves are not stored: every instance sees every ticket and rebuilds the same clusters, with
// the same ids, from the tickets it holds. Embedded: a SQLite file under DATA_DIR. Redis: a stream
// every instance reads from where it left off.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Redis } from 'ioredis';

export interface SuggestionDecision {
  id: string;
  action: 'dismissed' | 'declared';
  by: string;
  at: number;
  reason: string | null;
  incidentId: string | null;
}

/** Decisions kept: far more than the suggestions a book holds (500), so none that matters is lost. */
const KEEP = 5_000;

export interface DecisionStore {
  /** Records a decision; resolves once stored. */
  record(decision: SuggestionDecision): Promise<void>;
  /** The decisions stored since the last call (the first call: all kept), oldest first. */
  read(): Promise<SuggestionDecision[]>;
  close(): Promise<void>;
}

function parseDecision(json: string): SuggestionDecision | null {
  try {
    const d = JSON.parse(json) as Partial<SuggestionDecision>;
    if (typeof d.id !== 'string' || (d.action !== 'dismissed' && d.action !== 'declared') || typeof d.by !== 'string' || typeof d.at !== 'number') return null;
    return {
      id: d.id,
      action: d.action,
      by: d.by,
      at: d.at,
      reason: typeof d.reason === 'string' ? d.reason : null,
      incidentId: typeof d.incidentId === 'string' ? d.incidentId : null,
    };
  } catch {
    return null;
  }
}

export class EmbeddedDecisionStore implements DecisionStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string]>;
  private readonly since: Database.Statement<[number], { seq: number; json: string }>;
  private readonly trim: Database.Statement<[number]>;
  private last = 0;

  constructor(options: { dataDir: string }) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'suggestions.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, json TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO decisions (json) VALUES (?)');
    this.since = this.db.prepare('SELECT seq, json FROM decisions WHERE seq > ? ORDER BY seq');
    this.trim = this.db.prepare('DELETE FROM decisions WHERE seq <= (SELECT max(seq) FROM decisions) - ?');
  }

  async record(decision: SuggestionDecision): Promise<void> {
    this.insert.run(JSON.stringify(decision));
    this.trim.run(KEEP);
  }

  async read(): Promise<SuggestionDecision[]> {
    const rows = this.since.all(this.last);
    if (rows.length > 0) this.last = rows[rows.length - 1]!.seq;
    return rows.map((row) => parseDecision(row.json)).filter((d): d is SuggestionDecision => d !== null);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class RedisDecisionStore implements DecisionStore {
  private last = '0-0';

  private readonly stream: string;

  /** `prefix`: REDIS_KEY_PREFIX. */
  constructor(
    private readonly redis: Redis,
    prefix = 'wf:',
  ) {
    this.stream = `${prefix}suggestions:decisions`;
  }

  async record(decision: SuggestionDecision): Promise<void> {
    await this.redis.xadd(this.stream, 'MAXLEN', '~', String(KEEP), '*', 'd', JSON.stringify(decision));
  }

  async read(): Promise<SuggestionDecision[]> {
    const entries = await this.redis.xrange(this.stream, `(${this.last}`, '+', 'COUNT', KEEP);
    const decisions: SuggestionDecision[] = [];
    for (const [id, fields] of entries) {
      this.last = id;
      const json = fields[fields.indexOf('d') + 1];
      const decision = json === undefined ? null : parseDecision(json);
      if (decision !== null) decisions.push(decision);
    }
    return decisions;
  }

  async close(): Promise<void> {
    // The connection is the shared store's; it closes it.
  }
}
