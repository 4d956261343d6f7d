// The embedded alert store on a real SQLite file: the state and the history come back as saved,
// the history keeps only the newest entries, a retried save adds nothing twice, and the database
// itself refuses to change or drop a kept entry.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertHistoryEntry } from '../../../contract/alerts.js';
import type { AlertEngineState } from '../../../server/alerts/engine.js';
import { ALERTS_DB_FILE, EmbeddedAlertStore } from '../../../server/store/embedded-alert-store.js';
import { tempDir } from '../../helpers/app.js';

const quiet = { info: () => {}, warn: () => {} };
const opened: EmbeddedAlertStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

function open(dataDir: string, keep?: number): EmbeddedAlertStore {
  const store = new EmbeddedAlertStore({ dataDir, log: quiet, ...(keep === undefined ? {} : { keep }) });
  opened.push(store);
  return store;
}

const entry = (n: number): AlertHistoryEntry => ({
  type: n % 2 === 1 ? 'fire' : 'clear',
  alertId: 'a',
  title: 'A',
  severity: 'warning',
  instance: Math.ceil(n / 2),
  at: new Date(n * 1000).toISOString(),
  value: n,
});
const stateAt = (recorded: number): AlertEngineState => ({
  slots: {
    a: {
      title: 'A',
      severity: 'warning',
      state: recorded % 2 === 1 ? 'firing' : 'cleared',
      since: recorded * 1000,
      firedAt: 0,
      instance: Math.ceil(recorded / 2),
      value: recorded,
      ack: null,
    },
  },
  lastEvents: { any: 5, bySource: { zendesk: 5 } },
  recorded,
});
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('embedded alert store', () => {
  it('loads nothing before the first save, then the state and the newest entries, oldest first', async () => {
    const dir = tempDir('watchfloor-alert-store-');
    const store = open(dir);
    expect(await store.lead()).toBe(true);
    expect(await store.load(1_000)).toBeNull();
    expect(await store.save({ state: stateAt(2), appended: [entry(1), entry(2)] })).toBe(true);
    expect(await store.save({ state: stateAt(3), appended: [entry(3)] })).toBe(true);
    await store.close();
    const again = open(dir);
    expect(await again.load(1_000)).toEqual({ ...stateAt(3), history: [entry(1), entry(2), entry(3)] });
    expect((await again.load(2))?.history).toEqual([entry(2), entry(3)]);
  });

  it('a retried save (entries it holds already) adds none twice', async () => {
    const store = open(tempDir('watchfloor-alert-store-'));
    await store.save({ state: stateAt(2), appended: [entry(1), entry(2)] });
    // The evaluator did not hear that its save went through, and sends entries 1–3.
    await store.save({ state: stateAt(3), appended: [entry(1), entry(2), entry(3)] });
    expect((await store.load(1_000))?.history).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('keeps the newest entries only, and the database refuses to change or drop a kept one', async () => {
    const dir = tempDir('watchfloor-alert-store-');
    const store = open(dir, 5);
    for (const n of range(1, 12)) await store.save({ state: stateAt(n), appended: [entry(n)] });
    expect((await store.load(1_000))?.history).toEqual(range(8, 12).map(entry));
    const db = new Database(path.join(dir, ALERTS_DB_FILE));
    try {
      expect(() => db.prepare("UPDATE alert_history SET entry = '{}' WHERE seq = 12").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM alert_history WHERE seq = 8').run()).toThrow(/newest alert history entries are kept/);
      expect(db.prepare('SELECT count(*) AS n FROM alert_history').get()).toEqual({ n: 5 });
    } finally {
      db.close();
    }
  });
});
