// IndexedHeap carries the SLA clock and each queue's oldest wait; a wrong top means a breach
// shown late or a wrong oldest wait. Random operations are checked against a plain Map whose
// minimum is found by sorting, the obviously-correct (and slow) way.
import { describe, expect, it } from 'vitest';
import { IndexedHeap, RowPositions } from '../../../server/domain/indexed-heap.js';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function oracleMin(oracle: Map<number, number>): number | undefined {
  return [...oracle.values()].sort((a, b) => a - b)[0];
}

describe('IndexedHeap', () => {
  it('is empty at first', () => {
    const heap = new IndexedHeap();
    expect(heap.size).toBe(0);
    expect(heap.peekKey()).toBeUndefined();
    expect(heap.peekPriority()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    expect(heap.delete(7)).toBe(false);
  });

  it('moves a key up and down when its priority changes', () => {
    const heap = new IndexedHeap();
    heap.set(1, 30);
    heap.set(2, 20);
    heap.set(3, 10);
    expect(heap.peekKey()).toBe(3);
    heap.set(1, 5); // up
    expect(heap.peekKey()).toBe(1);
    heap.set(1, 40); // down
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([3, 2, 1, undefined]);
  });

  it('shares one positions array between heaps of disjoint rows without mistaking one heap’s row for the other’s', () => {
    const positions = new RowPositions();
    const a = new IndexedHeap(positions);
    const b = new IndexedHeap(positions);
    a.set(5, 10);
    b.set(9, 1);
    b.set(6, 2);
    expect(a.has(9)).toBe(false);
    expect(b.delete(5)).toBe(false);
    expect(a.size).toBe(1);
    // Row 5 moves to the other heap (a ticket moves queue): it leaves one, then joins the other.
    expect(a.delete(5)).toBe(true);
    b.set(5, 0);
    expect([b.pop(), b.pop(), b.pop()]).toEqual([5, 9, 6]);
    expect(a.pop()).toBeUndefined();
    // Rows far beyond the array's first size.
    a.set(100_000, 3);
    expect(a.has(100_000)).toBe(true);
  });

  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`agrees with a sorted-array oracle over 5,000 random operations (seed ${seed})`, () => {
      const next = random(seed);
      const heap = new IndexedHeap();
      const oracle = new Map<number, number>();
      // Few keys and few priorities, so updates, deletes of present keys and ties are common.
      const key = () => Math.floor(next() * 60);
      const priority = () => Math.floor(next() * 100);
      for (let step = 0; step < 5000; step++) {
        const op = next();
        if (op < 0.55) {
          const k = key();
          const p = priority();
          heap.set(k, p);
          oracle.set(k, p);
        } else if (op < 0.8) {
          const k = key();
          expect(heap.delete(k)).toBe(oracle.delete(k));
        } else {
          const min = oracleMin(oracle);
          const popped = heap.pop();
          if (min === undefined) {
            expect(popped).toBeUndefined();
          } else {
            // Any key holding the minimum priority is a right answer.
            expect(popped).toBeDefined();
            expect(oracle.get(popped!)).toBe(min);
            oracle.delete(popped!);
          }
        }
        expect(heap.size).toBe(oracle.size);
        expect(heap.peekPriority()).toBe(oracleMin(oracle));
        const top = heap.peekKey();
        if (top !== undefined) expect(oracle.get(top)).toBe(heap.peekPriority());
        for (const k of [key(), key()]) expect(heap.has(k)).toBe(oracle.has(k));
      }
      // Draining yields every remaining key in priority order.
      const drained: number[] = [];
      for (let k = heap.pop(); k !== undefined; k = heap.pop()) drained.push(oracle.get(k)!);
      expect(drained).toEqual([...oracle.values()].sort((a, b) => a - b));
    });
  }

  it('keeps its order through growing far past its first capacity and shrinking back as it drains', () => {
    const next = random(18);
    const heap = new IndexedHeap();
    const oracle = new Map<number, number>();
    for (let k = 0; k < 5_000; k++) {
      const p = Math.floor(next() * 1_000_000);
      heap.set(k, p);
      oracle.set(k, p);
    }
    // Drain most of it by deletes from anywhere, with re-prioritised rows among them.
    for (let k = 0; k < 5_000; k++) {
      if (k % 7 === 0) continue;
      if (k % 3 === 0) {
        const p = Math.floor(next() * 1_000_000);
        heap.set(k, p);
        oracle.set(k, p);
      }
      expect(heap.delete(k)).toBe(true);
      oracle.delete(k);
    }
    expect(heap.size).toBe(oracle.size);
    for (let k = 0; k < 5_000; k++) expect(heap.has(k)).toBe(oracle.has(k));
    const drained: number[] = [];
    for (let k = heap.pop(); k !== undefined; k = heap.pop()) drained.push(oracle.get(k)!);
    expect(drained).toEqual([...oracle.values()].sort((a, b) => a - b));
    expect(heap.peekKey()).toBeUndefined();
  });
});
