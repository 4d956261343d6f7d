// The event ids an embedded server keeps for deduplication across a restart (seen_ids, written
// by the checkpoint): each accepted id once, a duplicate's not again, so that the table holds
// what the window needs and no more.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { postEvents } from '../../helpers/http.js';

const opened: TestApp[] = [];

afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

function savedIds(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'watchfloor.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT ids FROM seen_ids ORDER BY seq').all() as { ids: string }[]).flatMap((row) => row.ids.split('\n'));
  } finally {
    db.close();
  }
}

describe('seen_ids after a checkpoint', () => {
  it('holds each accepted event id once', async () => {
    const test = await startTestApp();
    opened.push(test);
    const first = [1, 2, 3].map((n) => ticketEvent({ id: `t-${n}`, queue: 'l1', subject: `caf\u00e9 \u2019${n}` }, { id: `ev-${n}` }));
    const second = [first[1]!, ticketEvent({ id: 't-4', queue: 'l1' }, { id: 'ev-4' })];
    expect(await postEvents(test.app, first)).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(await postEvents(test.app, second)).toMatchObject({ accepted: 1, duplicates: 1 });
    // The close checkpoints: the ids go to seen_ids.
    await test.close();
    opened.splice(0);
    expect(savedIds(test.dataDir).sort()).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);
  });
});
