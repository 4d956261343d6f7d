// How a "Possible incident" is put on a screen, without a browser (docs/contract.md#surge-detection):
// which suggestions stay open after this screen decided one, which tickets the card lists, how its
// span and rate read, and where possible incidents stand among the alerts of a wall's bar. The
// browser suite (test/e2e/surge-card.test.ts) shows the card working against the real server.
import { describe, expect, it } from 'vitest';
import type { ActiveAlert } from '../../../../contract/alerts.js';
import type { Suggestion, SuggestionsMessage } from '../../../../contract/suggestions.js';
import {
  barEntriesOf,
  decidedAtOf,
  formatRate,
  openSuggestionsOf,
  shownTickets,
  spanMinutes,
  TICKETS_SHOWN,
  wallSuggestionsOf,
} from '../../../../web/src/lib/suggestions/present.js';

const suggestion = (id: string, extra: Partial<Suggestion> = {}): Suggestion => ({
  id,
  kind: 'cluster',
  line: 'l1',
  title: `Cannot log in after update (${id})`,
  keywords: ['login', 'updat'],
  tags: [],
  tickets: ['demo:1', 'demo:2', 'demo:3', 'demo:4', 'demo:5'],
  recent: [],
  count: 5,
  firstAt: '2026-12-03T10:00:00.000Z',
  lastAt: '2026-12-03T10:04:00.000Z',
  ratePerHour: 20,
  expectedPerHour: 0,
  status: 'open',
  incidentId: null,
  history: [{ at: '2026-12-03T10:04:00.000Z', by: 'system', action: 'opened' }],
  ...extra,
});

const message = (at: string, open: Suggestion[], wall = true): SuggestionsMessage => ({ at, open, wall });

const alert = (id: string, severity: ActiveAlert['severity']): ActiveAlert => ({
  id,
  title: id,
  severity,
  wall: true,
  state: 'firing',
  instance: 1,
  firedAt: '2026-12-03T09:00:00.000Z',
  value: 1,
  metric: 'queues.l1.waiting',
  acknowledged: null,
});

describe('the open suggestions a screen shows', () => {
  it('are none before the first message, and the message’s list as it is otherwise', () => {
    expect(openSuggestionsOf(null, new Map())).toEqual([]);
    const a = suggestion('a');
    const b = suggestion('b');
    expect(openSuggestionsOf(message('2026-12-03T10:05:00.000Z', [a, b]), new Map()).map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('leave out one this screen decided after the message was sent, and trust the next message', () => {
    const a = suggestion('a');
    const b = suggestion('b');
    const decided = new Map([['a', '2026-12-03T10:06:00.000Z']]);
    // The message predates the decision: it still lists `a`, which is gone already.
    expect(openSuggestionsOf(message('2026-12-03T10:05:00.000Z', [a, b]), decided).map((s) => s.id)).toEqual(['b']);
    // A message sent at or after the decision says for itself: `a` reopened shows again.
    expect(openSuggestionsOf(message('2026-12-03T10:06:00.000Z', [a, b]), decided).map((s) => s.id)).toEqual(['a', 'b']);
    expect(openSuggestionsOf(message('2026-12-03T10:30:00.000Z', [a]), decided).map((s) => s.id)).toEqual(['a']);
  });

  it('take the time of a decision from the newest entry of the server’s history', () => {
    const dismissed = suggestion('a', {
      status: 'dismissed',
      history: [
        { at: '2026-12-03T10:04:00.000Z', by: 'system', action: 'opened' },
        { at: '2026-12-03T10:07:30.000Z', by: 'supervisor-user', action: 'dismissed', reason: 'known outage' },
      ],
    });
    expect(decidedAtOf(dismissed)).toBe('2026-12-03T10:07:30.000Z');
    // Without a history, its last ticket's time.
    expect(decidedAtOf(suggestion('b', { history: [] }))).toBe('2026-12-03T10:04:00.000Z');
  });
});

describe('the tickets of a card', () => {
  it(`list the newest ${TICKETS_SHOWN} the server sends, with their subjects and links, and count the rest`, () => {
    const recent = Array.from({ length: 10 }, (_, i) => ({ key: `demo:${23 - i}`, id: String(23 - i), subject: `Subject ${23 - i}`, url: null }));
    const { shown, more } = shownTickets({ recent, count: 23 });
    expect(shown.map((t) => t.id)).toEqual(['23', '22', '21', '20', '19', '18', '17', '16', '15', '14']);
    expect(more).toBe(13);
    expect(shownTickets({ recent: recent.slice(0, 4), count: 4 })).toMatchObject({ more: 0 });
    expect(shownTickets({ recent: [], count: 0 })).toEqual({ shown: [], more: 0 });
  });
});

describe('the span and rate of a card', () => {
  it('read the span in whole minutes, rounded up, never 0', () => {
    expect(spanMinutes({ firstAt: '2026-12-03T10:00:00.000Z', lastAt: '2026-12-03T10:12:00.000Z' })).toBe(12);
    expect(spanMinutes({ firstAt: '2026-12-03T10:00:00.000Z', lastAt: '2026-12-03T10:11:01.000Z' })).toBe(12);
    expect(spanMinutes({ firstAt: '2026-12-03T10:00:00.000Z', lastAt: '2026-12-03T10:00:04.000Z' })).toBe(1);
    expect(spanMinutes({ firstAt: '2026-12-03T10:00:00.000Z', lastAt: '2026-12-03T10:00:00.000Z' })).toBe(1);
    expect(spanMinutes({ firstAt: 'not a time', lastAt: '2026-12-03T10:00:00.000Z' })).toBe(1);
  });

  it('write the server’s rate whole from 10 up and with one decimal below', () => {
    expect(formatRate(35)).toBe('35');
    expect(formatRate(34.6)).toBe('35');
    expect(formatRate(10)).toBe('10');
    expect(formatRate(9.96)).toBe('10');
    expect(formatRate(4.25)).toBe('4.3');
    expect(formatRate(4)).toBe('4');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(Number.NaN)).toBe('—');
  });
});

describe('possible incidents on a wall’s bar', () => {
  it('are there only when the message says walls show them', () => {
    const open = [suggestion('a')];
    expect(wallSuggestionsOf(message('2026-12-03T10:05:00.000Z', open, true))).toEqual(open);
    expect(wallSuggestionsOf(message('2026-12-03T10:05:00.000Z', open, false))).toEqual([]);
    expect(wallSuggestionsOf(null)).toEqual([]);
  });

  it('come after critical alerts and before warnings, each kept in the server’s order', () => {
    const entries = barEntriesOf([alert('crit-1', 'critical'), alert('warn-1', 'warning'), alert('crit-2', 'critical')], [suggestion('s1'), suggestion('s2')]);
    expect(entries.map((e) => (e.kind === 'alert' ? `alert:${e.alert.id}` : `suggestion:${e.suggestion.id}`))).toEqual([
      'alert:crit-1',
      'alert:crit-2',
      'suggestion:s1',
      'suggestion:s2',
      'alert:warn-1',
    ]);
    expect(barEntriesOf([], [])).toEqual([]);
    expect(barEntriesOf([alert('warn-1', 'warning')], [suggestion('s1')])[0]).toMatchObject({ kind: 'suggestion' });
  });
});
