// The pure parts behind /metrics: the capped label counts, the page kind of a live connection,
// the broadcast delay's clock, and the source label of an event as it came in.
import { describe, expect, it } from 'vitest';
import { BroadcastDelay } from '../../../server/metrics/broadcast-delay.js';
import { sourceLabelOf } from '../../../server/metrics/event-source.js';
import { LabelCounts, MAX_LABEL_VALUES, OTHER_LABEL } from '../../../server/metrics/label-counts.js';
import { countByPageKind, pageKindOf } from '../../../server/metrics/page-kind.js';

describe('LabelCounts', () => {
  it('keeps 50 label values, then counts new ones under "other"; known ones keep counting', () => {
    const counts = new LabelCounts<'accepted' | 'rejected'>();
    for (let i = 0; i < MAX_LABEL_VALUES; i++) counts.add(`source-${i}`, 'accepted');
    counts.add('source-50', 'accepted');
    counts.add('source-51', 'rejected', 3);
    counts.add('source-0', 'accepted', 2);
    expect(counts.get('source-0', 'accepted')).toBe(3);
    expect(counts.get('source-50', 'accepted')).toBe(0);
    expect(counts.get(OTHER_LABEL, 'accepted')).toBe(1);
    expect(counts.get(OTHER_LABEL, 'rejected')).toBe(3);
    const labels = new Set([...counts.entries()].map(([label]) => label));
    expect(labels.size).toBe(MAX_LABEL_VALUES + 1);
  });

  it('treats names as data: "__proto__" and "constructor" are sources like any other', () => {
    const counts = new LabelCounts<'accepted'>();
    counts.add('__proto__', 'accepted');
    counts.add('constructor', 'accepted', 2);
    expect([...counts.entries()]).toEqual([
      ['__proto__', 'accepted', 1],
      ['constructor', 'accepted', 2],
    ]);
  });
});

describe('pageKindOf', () => {
  it('a wall hello wins over the agents list (a wall with an agent board), the agents list over a named page', () => {
    expect(pageKindOf({ wall: true, watchingAgents: true, page: 'command' })).toBe('wall');
    expect(pageKindOf({ wall: false, watchingAgents: true, page: 'command' })).toBe('supervisor');
    expect(pageKindOf({ wall: false, watchingAgents: false, page: 'command' })).toBe('command');
    expect(pageKindOf({ wall: false, watchingAgents: false, page: null })).toBe('other');
  });

  it('counts an unknown page name as other: a client cannot add label values', () => {
    const counts = countByPageKind([
      { wall: false, watchingAgents: false, page: 'evil"label' },
      { wall: false, watchingAgents: false, page: 'Command' },
      { wall: false, watchingAgents: false, page: 'supervisor' },
    ]);
    expect(counts).toEqual({ wall: 0, supervisor: 1, command: 0, other: 2 });
  });
});

describe('BroadcastDelay', () => {
  it('measures from the oldest apply not yet broadcast to the broadcast that reached someone', () => {
    let now = 1_000;
    const delay = new BroadcastDelay(() => now);
    expect(delay.flushed(3)).toBeNull();
    delay.applied();
    now += 40;
    delay.applied();
    now += 210;
    expect(delay.flushed(2)).toBeCloseTo(0.25);
    expect(delay.flushed(2)).toBeNull();
  });

  it('forgets an apply whose broadcast reached nobody', () => {
    let now = 0;
    const delay = new BroadcastDelay(() => now);
    delay.applied();
    now += 100;
    expect(delay.flushed(0)).toBeNull();
    now += 5_000;
    expect(delay.flushed(1)).toBeNull();
  });
});

describe('sourceLabelOf', () => {
  it('labels tickets by source ("api" when none), agents as "agent", anything unreadable as "unknown"', () => {
    expect(sourceLabelOf({ type: 'ticket', ticket: { source: 'zendesk' } })).toBe('zendesk');
    expect(sourceLabelOf({ type: 'ticket', ticket: {} })).toBe('api');
    expect(sourceLabelOf({ type: 'agent', agent: {} })).toBe('agent');
    expect(sourceLabelOf({ type: 'ticket', ticket: { source: 42 } })).toBe('unknown');
    expect(sourceLabelOf({ type: 'ticket', ticket: { source: 'x'.repeat(101) } })).toBe('unknown');
    expect(sourceLabelOf({ type: 'ticket' })).toBe('unknown');
    expect(sourceLabelOf(null)).toBe('unknown');
    expect(sourceLabelOf('ticket')).toBe('unknown');
  });
});
