// The generation marker's verdict, without I/O: has Redis kept what this instance saw it keep?
//
// The marker (`<p>generation`, a hash) holds a random id, the count of commits made under it, and
// the count of re-seeds done. An instance remembers the id and the highest commit count it has
// seen. The marker gone: Redis lost its data (restarted without persistence, flushed). Another
// id: Redis lost or rolled back data and an instance set a new marker. The same id with a lower
// count: Redis went back (a failover to a replica that lagged, a restart from an older snapshot).
// The same id with more re-seeds: another instance re-seeded, and this one should take in the union.

export interface Marker {
  id: string | null;
  count: number;
  seeds: number;
}

export interface Loss {
  kind: 'vanished' | 'went-back' | 'changed';
  /** The marker's id as found ('' when missing): the re-seed records itself only if it is still there. */
  found: string;
  message: string;
}

export type Verdict = { kind: 'same' } | { kind: 'reseeded-elsewhere' } | { kind: 'lost'; loss: Loss };

/** HMGET id n s, as Redis answers it. */
export function parseMarker([id = null, count = null, seeds = null]: (string | null)[]): Marker {
  return { id, count: Number(count ?? 0), seeds: Number(seeds ?? 0) };
}

export class GenerationTracker {
  private known: { id: string; seeds: number } | null = null;
  private highest = 0;

  /** The marker's id this instance works under; null until it could be read or created. */
  get id(): string | null {
    return this.known?.id ?? null;
  }

  /** The highest commit count seen under the marker. */
  get highestCount(): number {
    return this.highest;
  }

  adopt(marker: { id: string; count: number; seeds: number }): void {
    this.known = { id: marker.id, seeds: marker.seeds };
    this.highest = Math.max(this.highest, marker.count);
  }

  /** A commit's answer: the marker's count after it. */
  sawCount(count: number): void {
    this.highest = Math.max(this.highest, count);
  }

  /** Compares the marker as read now with what this instance knows (which it must know). */
  judge(marker: Marker): Verdict {
    const known = this.known;
    if (known === null) throw new Error('no generation known yet');
    if (marker.id === null) {
      return {
        kind: 'lost',
        loss: { kind: 'vanished', found: '', message: 'Redis lost its data: the generation marker is gone (restarted without persistence, or flushed)' },
      };
    }
    if (marker.id !== known.id) {
      return {
        kind: 'lost',
        loss: {
          kind: 'changed',
          found: marker.id,
          message: 'Redis holds another generation of data than this instance knew: it lost or rolled back data (and another instance may be re-seeding it)',
        },
      };
    }
    if (marker.count < this.highest) {
      return {
        kind: 'lost',
        loss: {
          kind: 'went-back',
          found: marker.id,
          message: `Redis went back in time: ${this.highest - marker.count} commits this instance saw are gone (a failover to a replica that lagged, or an older snapshot)`,
        },
      };
    }
    this.highest = marker.count;
    if (marker.seeds === known.seeds) return { kind: 'same' };
    known.seeds = marker.seeds;
    return { kind: 'reseeded-elsewhere' };
  }
}
