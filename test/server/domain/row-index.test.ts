// The ticket table's index of rows by (source, id) (server/domain/row-index.ts): open addressing
// with backward-shift deletion. Checked against a Map through long random churn, in a table small
// enough that probe runs wrap around its end and rows are deleted from the middle of runs.
import { describe, expect, it } from 'vitest';
import { RowIndex, type RowKeys } from '../../../server/domain/row-index.js';
import { mulberry32 } from '../../../server/simulator/random.js';

/** Keys as the ticket table holds them: columns by row, rows reused once freed. */
class Columns implements RowKeys {
  readonly source: number[] = [];
  readonly id: string[] = [];
  sourceNumberOf(row: number): number {
    return this.source[row]!;
  }
  idOf(row: number): string {
    return this.id[row]!;
  }
}

describe('the row index', () => {
  it('finds every row after 200,000 random inserts and deletes, as a Map does, and shrinks back when emptied', () => {
    const random = mulberry32(18);
    const columns = new Columns();
    const index = new RowIndex(columns);
    const reference = new Map<string, number>();
    const free: number[] = [];
    let rows = 0;
    // 3,000 possible ids over 3 sources: inserts often meet a key that is in, deletes one that is.
    const keyOf = (source: number, id: string): string => `${source}\u0000${id}`;
    for (let step = 0; step < 200_000; step++) {
      const source = Math.floor(random() * 3);
      const id = String(Math.floor(random() * 1_000));
      const key = keyOf(source, id);
      const found = index.find(source, id);
      expect(found).toBe(reference.get(key) ?? -1);
      if (found === -1 && random() < 0.6) {
        const row = free.pop() ?? rows++;
        columns.source[row] = source;
        columns.id[row] = id;
        index.add(row);
        reference.set(key, row);
      } else if (found !== -1) {
        index.delete(found);
        reference.delete(key);
        free.push(found);
      }
    }
    expect(index.size).toBe(reference.size);
    for (const [key, row] of reference) {
      const [source, id] = key.split('\u0000');
      expect(index.find(Number(source), id!)).toBe(row);
    }
    for (const row of [...reference.values()]) index.delete(row);
    expect(index.size).toBe(0);
    expect(index.find(0, '1')).toBe(-1);
  });

  it('tells sources apart: the same id under two sources is two rows', () => {
    const columns = new Columns();
    const index = new RowIndex(columns);
    columns.source.push(0, 1);
    columns.id.push('42', '42');
    index.add(0);
    index.add(1);
    expect(index.find(0, '42')).toBe(0);
    expect(index.find(1, '42')).toBe(1);
    expect(index.find(2, '42')).toBe(-1);
    index.delete(0);
    expect(index.find(0, '42')).toBe(-1);
    expect(index.find(1, '42')).toBe(1);
  });

  it('grows past a million rows and still finds each', () => {
    const columns = new Columns();
    const index = new RowIndex(columns);
    const n = 1_100_000;
    for (let row = 0; row < n; row++) {
      columns.source[row] = row % 2;
      columns.id[row] = String(100_000 + row);
      index.add(row);
    }
    for (let row = 0; row < n; row += 997) expect(index.find(row % 2, String(100_000 + row))).toBe(row);
    expect(index.find(1, '100000')).toBe(-1);
    expect(index.size).toBe(n);
  });
});
