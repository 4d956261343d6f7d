// The event ids a Redis-backed instance has seen committed recently, kept in memory for one
// purpose: should Redis lose its data, the dedup keys (`<p>seen:<id>`) go with it, and the
// instances put back the ids they remember, so that a client re-sending an acknowledged batch
// still gets "duplicates". Redis holds the real dedup state; this is the spare copy.
//
// Bounded by age (the dedup window) and by count: ids arrive in chunks (one per minute), the
// oldest chunks go first. Beyond the cap, the oldest ids are forgotten early: after a loss,
// a re-sent batch older than those would be taken as new (its tickets are the same either way).

/** Ids per minute chunk before a new chunk starts anyway. */
const CHUNK_MS = 60_000;

interface Chunk {
  /** When the latest id of this chunk was added: every id in it is at most this recent. */
  lastMs: number;
  firstMs: number;
  ids: string[];
}

export class RecentIds {
  private readonly chunks: Chunk[] = [];
  private count = 0;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
  ) {}

  get size(): number {
    return this.count;
  }

  add(ids: Iterable<string>, atMs: number): void {
    let chunk = this.chunks.at(-1);
    if (chunk === undefined || atMs - chunk.firstMs >= CHUNK_MS) {
      chunk = { firstMs: atMs, lastMs: atMs, ids: [] };
      this.chunks.push(chunk);
    }
    const before = chunk.ids.length;
    for (const id of ids) chunk.ids.push(id);
    chunk.lastMs = Math.max(chunk.lastMs, atMs);
    this.count += chunk.ids.length - before;
    this.trim(atMs);
  }

  /**
   * Each remembered id with how long (ms) its dedup key should still live. Measured from the
   * latest id of its chunk: up to a minute longer than from the id's own commit, never shorter.
   */
  entries(nowMs: number): Array<[string, number]> {
    this.trim(nowMs);
    const out: Array<[string, number]> = [];
    for (const chunk of this.chunks) {
      const remaining = this.windowMs - (nowMs - chunk.lastMs);
      if (remaining <= 0) continue;
      for (const id of chunk.ids) out.push([id, remaining]);
    }
    return out;
  }

  private trim(nowMs: number): void {
    while (this.chunks.length > 0 && nowMs - this.chunks[0]!.lastMs > this.windowMs) this.count -= this.chunks.shift()!.ids.length;
    while (this.count > this.cap) {
      const oldest = this.chunks[0]!;
      const excess = this.count - this.cap;
      if (oldest.ids.length <= excess) {
        this.chunks.shift();
        this.count -= oldest.ids.length;
      } else {
        oldest.ids.splice(0, excess);
        this.count -= excess;
      }
    }
  }
}
