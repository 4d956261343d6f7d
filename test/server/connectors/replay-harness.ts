// What the replay tests (replay, jira-replay, freshdesk-replay) share: a real app with the shipped
// example mapping on a clock the replay moves, the check that a committed recording is its
// generator's output, and the check that a replay leaves the numbers its recording describes.
// What each vendor's recording describes (its retries, its stale rule, its statuses) stays in its
// own test file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CONNECTORS } from '../../../server/connectors/registry.js';
import { replay, type ReplayOptions, type ReplaySummary } from '../../../server/connectors/replay.js';
import type { LiveState } from '../../../contract/domain.js';
import { startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { getState, queueOf } from '../../helpers/http.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLE_MAPPING = path.join(root, 'dashboards/connectors.json');
export const START = Date.parse('2026-03-10T08:30:00Z');

/** One vendor's part of the shipped example mapping (dashboards/connectors.json). */
export function exampleMapping(vendor: string): { queues: Record<string, string>; defaultQueue: string } {
  return JSON.parse(fs.readFileSync(EXAMPLE_MAPPING, 'utf8'))[vendor] as { queues: Record<string, string>; defaultQueue: string };
}

/** A real app on a test clock (from START), with the shipped example mapping: the recordings' groups and agents are the demo's. */
export class ReplayApp {
  private constructor(
    readonly t: TestApp,
    /** The app reads the clock from its very start (the build), before this object exists. */
    private readonly time: { now: number },
  ) {}

  static async start(dirPrefix: string, env: Record<string, string>): Promise<ReplayApp> {
    const dashboardsDir = tempDir(dirPrefix);
    fs.copyFileSync(EXAMPLE_MAPPING, path.join(dashboardsDir, 'connectors.json'));
    const time = { now: START };
    const t = await startTestApp({ now: () => time.now, env: { DASHBOARDS_DIR: dashboardsDir, ...env } });
    return new ReplayApp(t, time);
  }

  /** The app's clock, in ms. */
  get clock(): number {
    return this.time.now;
  }

  set clock(ms: number) {
    this.time.now = ms;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** `npm run replay` into this app, on its clock: every wait of the recorded pace moves the app's clock too. */
  replay(options: Pick<ReplayOptions, 'deliveries' | 'secretFor' | 'speed' | 'run'>): Promise<ReplaySummary> {
    return replay({
      ...options,
      definitions: CONNECTORS,
      now: () => this.clock,
      sleep: async (ms) => {
        this.clock += ms;
      },
      send: async (vendor, headers, body) => {
        const response = await this.t.app.inject({ method: 'POST', url: `/api/v1/connectors/${vendor}`, headers, payload: body });
        return { status: response.statusCode, body: response.json() };
      },
    });
  }
}

/** The committed recording is byte for byte what its generator makes now, and has at least `minLines` deliveries. */
export function expectGeneratorOutput(file: string, recordingText: () => string, minLines: number): void {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toBe(recordingText());
  expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(minLines);
}

/** A ticket's last applied version, as the recording describes it. */
export interface ExpectedTicket {
  queue: string;
  open: boolean;
  solved: boolean;
}

export interface Expected {
  tickets: readonly ExpectedTicket[];
  /** Deliveries of an event already delivered (retries). */
  duplicates: number;
  /** Deliveries older than what was applied before them (late). */
  stale: number;
}

/**
 * Every delivery sent and accepted, the retries counted as duplicates and the late ones as stale
 * (the recording has retries); then the queues (`queues`, or every queue a ticket is in) and the
 * day's figures as the recording leaves them. Returns the live state for vendor-specific checks.
 */
export async function expectReplayed(options: {
  t: TestApp;
  summary: ReplaySummary;
  sent: number;
  expected: Expected;
  queues?: readonly string[];
}): Promise<LiveState> {
  const { expected } = options;
  expect(options.summary).toMatchObject({
    sent: options.sent,
    skipped: 0,
    failed: 0,
    rejected: 0,
    duplicates: expected.duplicates,
    stale: expected.stale,
    errors: [],
  });
  expect(expected.duplicates).toBeGreaterThan(0);

  const state = await getState(options.t.app);
  const tickets = expected.tickets;
  for (const queue of options.queues ?? new Set(tickets.map((v) => v.queue))) {
    expect(queueOf(state, queue).open, queue).toBe(tickets.filter((v) => v.queue === queue && v.open).length);
  }
  expect(state.kpis.createdToday).toBe(tickets.length);
  expect(state.kpis.solvedToday).toBe(tickets.filter((v) => v.solved).length);
  return state;
}
