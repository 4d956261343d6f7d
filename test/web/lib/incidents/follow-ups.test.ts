// The follow-up panels' pure logic, without a browser (docs/contract.md#follow-ups): overdue at the screen's time,
// the order they are listed in, and the `datetime-local` field's value to and from the API's ISO
// time (in whatever zone the test runs: the round trip is what matters).
import { describe, expect, it } from 'vitest';
import { followUpOrder, fromLocalInput, isOverdue, toLocalInput } from '../../../../web/src/lib/incidents/follow-ups.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

describe('follow-ups on the screens', () => {
  it('are overdue when open and past their due time only', () => {
    expect(isOverdue({ status: 'open', dueAt: at(0) }, T0)).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: at(0) }, T0 + 1)).toBe(true);
    expect(isOverdue({ status: 'done', dueAt: at(0) }, T0 + 1)).toBe(false);
    expect(isOverdue({ status: 'wontfix', dueAt: at(0) }, T0 + 1)).toBe(false);
  });

  it('list the overdue first, then the open by due time, then the closed', () => {
    const list = [
      { id: 'f1', status: 'done' as const, dueAt: at(-60) },
      { id: 'f2', status: 'open' as const, dueAt: at(120) },
      { id: 'f3', status: 'open' as const, dueAt: at(-5) },
      { id: 'f4', status: 'open' as const, dueAt: at(30) },
      { id: 'f5', status: 'wontfix' as const, dueAt: at(-120) },
      { id: 'f6', status: 'open' as const, dueAt: at(-30) },
    ];
    expect(followUpOrder(list, T0).map((f) => f.id)).toEqual(['f6', 'f3', 'f4', 'f2', 'f5', 'f1']);
  });

  it('round-trip a due time through the datetime-local field to the minute, and refuse what is not one', () => {
    const due = Date.parse('2026-11-28T17:30:00.000Z');
    expect(toLocalInput(due)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(toLocalInput(due))).toBe('2026-11-28T17:30:00.000Z');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-11-28')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });
});
