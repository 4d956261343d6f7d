// A ticket's day parts carry its flow between lines (server/reports/day-parts.ts): reopens on their
// day, escalations on the day of the move with the line they left; parts stored before the flow was
// counted still read, as never reopened nor escalated.
import { describe, expect, it } from 'vitest';
import { emptyContribution } from '../../../server/domain/daily-stats.js';
import type { FlowContribution } from '../../../server/domain/flow-stats.js';
import { dayPartsOf, decodePart, encodePart } from '../../../server/reports/day-parts.js';

describe('day parts and the flow', () => {
  const flow: FlowContribution = {
    moves: [
      { day: '2026-11-26', from: 'l1', to: 'l2', up: true, atMs: 0, onLineSec: 600 },
      { day: '2026-11-26', from: 'l2', to: 'l1', up: false, atMs: 0, onLineSec: 60 },
      { day: '2026-11-27', from: 'l1', to: 'l3', up: true, atMs: 0, onLineSec: 60 },
    ],
    reopenDays: ['2026-11-27'],
    solvedDay: null,
    firstContact: false,
  };

  it('count reopens on their day and escalations (not de-escalations) with the line left', () => {
    const parts = dayPartsOf({ ...emptyContribution(), createdDay: '2026-11-26' }, 'l3', 'normal', flow);
    expect(parts.get('2026-11-26')).toMatchObject({ created: true, reopened: 0, escalatedFrom: ['l1'] });
    expect(parts.get('2026-11-27')).toMatchObject({ created: false, reopened: 1, escalatedFrom: ['l1'] });
  });

  it('survive encoding; an 8-item part of before reads as none', () => {
    const part = dayPartsOf({ ...emptyContribution(), createdDay: '2026-11-27' }, 'l3', 'high', flow).get('2026-11-27')!;
    expect(decodePart(encodePart(part))).toEqual(part);
    expect(decodePart(JSON.stringify(['l1', 0, 1, null, null, null, 0, 0]))).toMatchObject({ line: 'l1', reopened: 0, escalatedFrom: [] });
    expect(decodePart(JSON.stringify(['l1', 0, 1, null, null, null, 0, 0, 1, [3]]))).toBeNull();
  });
});
