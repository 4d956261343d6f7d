// The pacing of whole answers (pure, on vitest's fake clock): the first at once and in order, then
// one a second at most, the requests in between folded into one that runs the latest answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerPacing } from '../../../server/live/answer-pacing.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AnswerPacing', () => {
  it('answers the first request synchronously, folds the next ones into one answer a second later', () => {
    const pacing = new AnswerPacing<'resync'>();
    const answers: string[] = [];
    pacing.request('resync', () => answers.push('first'));
    expect(answers).toEqual(['first']);
    for (let i = 0; i < 1_000; i++) pacing.request('resync', () => answers.push(`folded ${i}`));
    vi.advanceTimersByTime(999);
    expect(answers).toEqual(['first']);
    vi.advanceTimersByTime(1);
    expect(answers).toEqual(['first', 'folded 999']);
    vi.advanceTimersByTime(10_000);
    expect(answers).toHaveLength(2);
    // After a quiet second, the next request is answered at once again.
    pacing.request('resync', () => answers.push('later'));
    expect(answers.at(-1)).toBe('later');
  });

  it('paces each kind on its own, and answers nothing once stopped', () => {
    const pacing = new AnswerPacing<'resync' | 'watch-agents'>();
    const answers: string[] = [];
    pacing.request('resync', () => answers.push('state'));
    pacing.request('watch-agents', () => answers.push('agents'));
    expect(answers).toEqual(['state', 'agents']);
    pacing.request('resync', () => answers.push('state again'));
    pacing.stop();
    pacing.request('watch-agents', () => answers.push('agents again'));
    vi.advanceTimersByTime(5_000);
    expect(answers).toEqual(['state', 'agents']);
  });
});
