// The seq check of the live channel (docs/contract.md#live-channel): nothing is applied across a
// missed message, and the whole state is asked for once per RESYNC_RETRY_MS, not on every message.
import { describe, expect, it } from 'vitest';
import { RESYNC_RETRY_MS, SeqGap } from '../../../../web/src/lib/live/seq-gap.js';

describe('the seq gap check', () => {
  it('accepts the next seq after a whole state, and each one after it', () => {
    const gap = new SeqGap();
    gap.whole(10);
    expect(gap.follows(11, true)).toBe(true);
    expect(gap.follows(12, true)).toBe(true);
    expect(gap.lastSeq).toBe(12);
  });

  it('refuses a jump, a repeat and an old seq, and stays at the last applied', () => {
    const gap = new SeqGap();
    gap.whole(10);
    expect(gap.follows(12, true)).toBe(false);
    expect(gap.follows(10, true)).toBe(false);
    expect(gap.follows(9, true)).toBe(false);
    expect(gap.lastSeq).toBe(10);
    // The missing 11 never comes: the next one is a gap as well, until a whole state.
    expect(gap.follows(13, true)).toBe(false);
    gap.whole(13);
    expect(gap.follows(14, true)).toBe(true);
  });

  it('refuses anything before the first state, and after a drop until the next one', () => {
    const gap = new SeqGap();
    expect(gap.follows(1, true)).toBe(false);
    gap.whole(1);
    expect(gap.follows(2, false)).toBe(false);
    gap.whole(5);
    gap.disconnected();
    expect(gap.follows(6, true)).toBe(false);
    // seq counts per connection: the new one starts wherever the server's starts.
    gap.connected();
    gap.whole(1);
    expect(gap.follows(2, true)).toBe(true);
  });

  it('asks for a resync once, again only after RESYNC_RETRY_MS, and at once after the state came', () => {
    const gap = new SeqGap();
    const t0 = 1_000_000;
    expect(gap.shouldAskResync(t0, true)).toBe(true);
    expect(gap.shouldAskResync(t0 + 1, true)).toBe(false);
    expect(gap.shouldAskResync(t0 + RESYNC_RETRY_MS - 1, true)).toBe(false);
    expect(gap.shouldAskResync(t0 + RESYNC_RETRY_MS, true)).toBe(true);
    gap.whole(3);
    expect(gap.shouldAskResync(t0 + RESYNC_RETRY_MS + 1, true)).toBe(true);
  });

  it('does not ask while disconnected, nor count that as asked; a new connection forgets the last ask', () => {
    const gap = new SeqGap();
    expect(gap.shouldAskResync(5_000, false)).toBe(false);
    expect(gap.shouldAskResync(5_001, true)).toBe(true);
    gap.connected();
    expect(gap.shouldAskResync(5_002, true)).toBe(true);
  });
});
