// The Jira reconciliation poller against a fake of Jira's enhanced search on a real local HTTP
// server: pages by nextPageToken, the site's SLA fields asked for by id, Retry-After, and the
// stored cursor after a restart on the same DATA_DIR (between searches, and in the middle of one).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TestApp } from '../../../helpers/app.js';
import { FakeJira, jiraIssue, type SearchBody } from '../../../helpers/fake-jira.js';
import { getTickets } from '../../../helpers/http.js';
import { PollerApps } from '../poller-apps.js';

const MINUTE = 60_000;
const FAKE = { email: 'ops@acme.example', token: 'jira-api-token-1', pageSize: 2 };
let fake: FakeJira;
let apps: PollerApps;
/** The real clock: the search bound is relative ("-90m"), and Jira (the fake) reads it on its own clock. */
let base = Date.now();

beforeEach(async () => {
  base = Date.now();
  fake = await FakeJira.start(FAKE);
  apps = new PollerApps(() => ({ env: { ...fake.env } }));
});

afterEach(async () => {
  await apps.closeAll();
  await fake.close();
});

const pollNow = (app: TestApp) => app.app.connectors.poller('jira')!.pollNow();
const boundMinutes = (body: SearchBody): number => Number(/updated >= "-(\d+)m"/.exec(body.jql)![1]);

/** Five issues updated 50, 40, 30, 20 and 10 minutes ago, each first-response due an hour after. */
function fiveIssues(): void {
  for (let n = 1; n <= 5; n++) {
    const updatedMs = base - (60 - n * 10) * MINUTE;
    fake.put(jiraIssue({ n, updatedMs, createdMs: updatedMs, dueMs: updatedMs + 60 * MINUTE }));
  }
}

/** Five issues, and an instance that applied the first page of its search and died asking for the second: its DATA_DIR. */
async function diedMidSearch(): Promise<string> {
  fiveIssues();
  const dataDir = tempDir('watchfloor-jira-poll-');
  const first = await apps.start({ dataDir });
  fake.failPageTokens = true;
  await expect(pollNow(first)).rejects.toThrow();
  await apps.stop(first);
  return dataDir;
}

describe('Jira poller', () => {
  it('pages by nextPageToken through JIRA_JQL bounded to the last day, asking for the SLA fields by id', async () => {
    fiveIssues();
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ polled: true, pages: 3, records: 5, accepted: 5, duplicates: 0, rejected: 0, ignored: 0 });
    const bodies = fake.searchBodies();
    expect(bodies.map((body) => body.nextPageToken ?? null)).toEqual([null, 'page-1', 'page-2']);
    // First start: 24 h back (1440 min) plus the 2-minute margin; the same JQL on every page.
    expect(bodies[0]!.jql).toMatch(/^\(project = ITS\) AND updated >= "-144[23]m" ORDER BY updated ASC$/);
    expect(new Set(bodies.map((body) => body.jql)).size).toBe(1);
    expect(bodies[0]!.fields).toEqual(expect.arrayContaining(['summary', 'status', 'updated', 'customfield_10010', 'customfield_10030', 'customfield_10031']));
    expect(bodies[0]!.fields).not.toContain('customfield_10099');
    const waiting = await getTickets(t.app, 'waiting');
    expect(waiting.map((row) => row.id).sort()).toEqual(['ITS-1', 'ITS-2', 'ITS-3', 'ITS-4', 'ITS-5']);
    expect(waiting.find((row) => row.id === 'ITS-5')!.firstResponseDueAt).toBe(new Date(base - 10 * MINUTE + 60 * MINUTE).toISOString());

    // Caught up: the next round searches from the newest update seen, with the margin.
    expect(await pollNow(t)).toMatchObject({ pages: 1, records: 1, accepted: 0, duplicates: 1 });
    expect(boundMinutes(fake.searchBodies()[3]!)).toBeGreaterThanOrEqual(12);
    expect(boundMinutes(fake.searchBodies()[3]!)).toBeLessThanOrEqual(13);
  });

  it('waits out a 429 per its Retry-After, then goes on', async () => {
    fiveIssues();
    fake.vendor.script(
      { method: 'POST', path: '/rest/api/3/search/jql' },
      { status: 429, headers: { 'retry-after': '7', 'ratelimit-reason': 'jira-burst-based' }, body: { errorMessages: ['Rate limit exceeded'] } },
    );
    const t = await apps.start();
    expect(await pollNow(t)).toMatchObject({ pages: 3, records: 5, accepted: 5 });
    expect(apps.sleeps).toContain(7_000);
  });

  it('resumes from the stored cursor after a restart on the same DATA_DIR', async () => {
    fiveIssues();
    const dataDir = tempDir('watchfloor-jira-poll-');
    const first = await apps.start({ dataDir });
    await pollNow(first);
    await apps.stop(first);

    fake.put(jiraIssue({ n: 6, updatedMs: base - 5 * MINUTE, dueMs: base + 55 * MINUTE }));
    const second = await apps.start({ dataDir });
    const before = fake.searchBodies().length;
    // Only what changed since the newest update seen (10 minutes ago) is searched for: ITS-5 again (margin) and ITS-6.
    expect(await pollNow(second)).toMatchObject({ pages: 1, records: 2 });
    const resumed = fake.searchBodies()[before]!;
    expect(resumed.nextPageToken).toBeUndefined();
    expect(boundMinutes(resumed)).toBeLessThanOrEqual(13);
    expect((await getTickets(second.app, 'waiting')).map((row) => row.id)).toContain('ITS-6');
  });

  it('resumes in the middle of a search with the stored page token', async () => {
    const dataDir = await diedMidSearch();

    fake.failPageTokens = false;
    const second = await apps.start({ dataDir });
    const before = fake.searchBodies().length;
    // Page 1 was applied and its cursor stored: the search goes on from page 2.
    expect(await pollNow(second)).toMatchObject({ pages: 2, records: 3, accepted: 3 });
    expect(fake.searchBodies()[before]!.nextPageToken).toBe('page-1');
    // ITS-1 and ITS-2 came with page 1 before the restart, and were kept.
    expect((await getTickets(second.app, 'waiting')).map((row) => row.id).sort()).toEqual(['ITS-1', 'ITS-2', 'ITS-3', 'ITS-4', 'ITS-5']);
  });

  it('starts the search again from the last update seen when the stored page token has expired', async () => {
    const dataDir = await diedMidSearch();

    // A fresh fake with the same issues: it never handed out that token (Jira: 400).
    const issues = fake.issues;
    await fake.close();
    fake = await FakeJira.start(FAKE);
    fake.put(...issues);
    const second = await apps.start({ dataDir });
    const result = await pollNow(second);
    const bodies = fake.searchBodies();
    expect(bodies[0]!.nextPageToken).toBe('page-1');
    expect(bodies[1]!.nextPageToken).toBeUndefined();
    // From ITS-2 (40 minutes ago, the newest seen) on: ITS-2 again, then ITS-3..5.
    expect(boundMinutes(bodies[1]!)).toBeLessThanOrEqual(43);
    expect(result).toMatchObject({ records: 4, accepted: 3, duplicates: 1 });
  });
});
