// A checkpointed journal segment leaves the journal at once (renamed, never read again) and its
// file is removed in the background; one a crash left behind is removed at the next start.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalFile, readJournal, segmentFile } from '../../../server/store/journal-file.js';
import { tempDir } from '../../helpers/tokens.js';

const entry = (n: number) => ({ format: 'json' as const, raw: Buffer.from(JSON.stringify([{ id: `e-${n}` }])) });

describe('JournalFile.drop', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes the sealed segments out of the journal at once and removes their files by the close', async () => {
    const dir = path.join(tempDir('watchfloor-journal-'), 'journal');
    dirs.push(path.dirname(dir));
    const journal = new JournalFile(dir);
    journal.append(entry(1), 1);
    const sealed = journal.seal();
    journal.append(entry(2), 1);
    await journal.durable();
    journal.drop(sealed, new Set());
    // Not a segment any more: a restart now would replay only the batch after the seal.
    expect(fs.existsSync(segmentFile(dir, sealed))).toBe(false);
    expect(readJournal(dir).map((e) => e.raw.toString())).toEqual([entry(2).raw.toString()]);
    await journal.close();
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.dropped'))).toEqual([]);
  });

  it('removes a dropped segment a crash left behind when it starts', async () => {
    const dir = path.join(tempDir('watchfloor-journal-'), 'journal');
    dirs.push(path.dirname(dir));
    fs.mkdirSync(dir, { recursive: true });
    const leftover = `${segmentFile(dir, 1)}.dropped`;
    fs.writeFileSync(leftover, 'checkpointed before the crash');
    const journal = new JournalFile(dir);
    expect(readJournal(dir)).toEqual([]);
    await journal.close();
    expect(fs.existsSync(leftover)).toBe(false);
  });
});
