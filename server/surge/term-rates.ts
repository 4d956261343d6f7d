// How often each feature (subject stem or tag) of a line usually arrives, and how far its latest
// window is above that (docs/contract.md#surge-detection). The cluster book uses both: a feature far
// above its usual rate ("login" during a login outage) is what the outage's differently worded
// tickets have in common, so it weighs more when comparing them; and a cluster qualifies only when
// its window count is unlikely at its features' usual rate, also when the cluster itself is new (a
// topic that brings a few tickets an hour keeps its rate here after its cluster expires).
//
// Per feature: the arrivals of the last window (exact) and a decayed count of the arrivals before it
// (the background, half-life `halfLifeMinutes`). The background leaves the window out, so a burst
// does not raise its own expectation while it is being judged. What is expected in a window is the
// feature's share of the line's background (plus a prior of `priorCount` arrivals, so that a word
// never seen before is rare, not impossible) times the line's other tickets in the window.
//
// Pure and bounded: times come in with the features; at most `maxTerms` features per line (the ones
// with the least background go), at most `MAX_RECENT` window arrivals per feature (the oldest of a
// busier one move to its background early: such a feature is common, not news).
import { poissonUpperTail } from './poisson.js';

export interface TermRateSettings {
  windowMinutes: number;
  halfLifeMinutes: number;
  /** Arrivals added to every feature's background, so a feature never seen has a small rate, not 0. */
  priorCount: number;
  /** Features remembered per line. */
  maxTerms: number;
}

export const TERM_RATE_DEFAULTS: TermRateSettings = { windowMinutes: 15, halfLifeMinutes: 180, priorCount: 1, maxTerms: 5_000 };

/**
 * Window arrivals kept per feature: a busier one is common, not news, and undercounting its window
 * only makes it look less surprising. The line's own count must be right (it scales every
 * expectation), so it keeps up to `MAX_LINE_RECENT`: two tickets a second for a quarter-hour, and more.
 */
const MAX_RECENT = 256;
const MAX_LINE_RECENT = 16_384;
const MINUTE_MS = 60_000;

interface TermStat {
  /** The decayed count of arrivals that left the window, as of `decayedAt`. */
  decayed: number;
  decayedAt: number;
  /** Arrival times in the window, ascending from `head`. */
  recent: number[];
  /** Beside each arrival: 1, or 0 for a burst's ticket, which does not become background. */
  usual: number[];
  /** The sum of `usual` from `head`: the window's usual arrivals. */
  usualCount: number;
  head: number;
}

interface LineStats {
  terms: Map<string, TermStat>;
  /** Every ticket of the line, counted like a feature. */
  total: TermStat;
}

export class TermRates {
  readonly settings: TermRateSettings;
  private readonly windowMs: number;
  private readonly halfLifeMs: number;
  private readonly lines = new Map<string, LineStats>();

  constructor(settings: Partial<TermRateSettings> = {}) {
    this.settings = { ...TERM_RATE_DEFAULTS, ...settings };
    this.windowMs = this.settings.windowMinutes * MINUTE_MS;
    this.halfLifeMs = this.settings.halfLifeMinutes * MINUTE_MS;
  }

  /** Features remembered over all lines. */
  get size(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.terms.size;
    return n;
  }

  /** One ticket's features arriving at `at`. */
  observe(line: string, terms: Iterable<string>, at: number): void {
    let stats = this.lines.get(line);
    if (stats === undefined) {
      stats = { terms: new Map(), total: newStat(at) };
      this.lines.set(line, stats);
    }
    this.arrive(stats.total, at, MAX_LINE_RECENT);
    for (const term of terms) {
      let stat = stats.terms.get(term);
      if (stat === undefined) {
        stat = newStat(at);
        stats.terms.set(term, stat);
      }
      this.arrive(stat, at, MAX_RECENT);
    }
    if (stats.terms.size > this.settings.maxTerms) this.forget(stats, at);
  }

  /**
   * The ticket just observed at `at` belongs to a burst: it counts in the window as before, but
   * when it leaves the window it does not become background, nor count among the line's usual
   * tickets. Otherwise one outage on a quiet line would make its words "usual" for hours, and the
   * next outage of the kind would go unnoticed.
   */
  markBurst(line: string, terms: Iterable<string>, at: number): void {
    const stats = this.lines.get(line);
    if (stats === undefined) return;
    markLatest(stats.total, at);
    for (const term of terms) {
      const stat = stats.terms.get(term);
      if (stat !== undefined) markLatest(stat, at);
    }
  }

  /** Arrivals of `term` within the window ending at `now`. */
  windowCount(line: string, term: string, now: number): number {
    const stat = this.lines.get(line)?.terms.get(term);
    return stat === undefined ? 0 : this.count(stat, now, false);
  }

  /** The line's tickets within the window ending at `now`; with `usualOnly`, those of no burst. */
  lineWindowCount(line: string, now: number, usualOnly = false): number {
    const stats = this.lines.get(line);
    return stats === undefined ? 0 : this.count(stats.total, now, usualOnly);
  }

  /**
   * Its usual tickets per window among `others` tickets of its line that do not have it: its share of
   * the line before the window, times the line's current traffic. A share rather than a rate, so
   * the morning's rising traffic does not make every common word look like news; `others` leaves
   * out the tickets being judged, so a burst does not raise its own expectation either.
   */
  expected(line: string, term: string, now: number, others: number, prior = this.settings.priorCount, maxShare = 0.9): number {
    const stats = this.lines.get(line);
    if (stats === undefined) return prior * Math.max(1, others);
    const stat = stats.terms.get(term);
    const background = stat === undefined ? 0 : this.background(stat, now);
    // At most nine in ten (by default): a feature of nearly every ticket expects nine times the others.
    const share = Math.min(maxShare, (background + prior) / (this.background(stats.total, now) + this.settings.priorCount));
    return (share / (1 - share)) * Math.max(1, others);
  }

  /**
   * How surprising its window count is at its usual share: −log10 P(X ≥ count | expected), 0 when
   * the count is at most what is expected. 2 is "once in a hundred windows".
   */
  surprise(line: string, term: string, now: number): number {
    const stat = this.lines.get(line)?.terms.get(term);
    if (stat === undefined) return 0;
    const count = this.count(stat, now, false);
    // Among the usual tickets of the window without it (a burst's tickets are not the usual traffic).
    const expected = this.expected(line, term, now, this.lineWindowCount(line, now, true) - this.count(stat, now, true));
    if (count <= expected) return 0;
    return -Math.log10(Math.max(Number.MIN_VALUE, poissonUpperTail(count, expected)));
  }

  private arrive(stat: TermStat, at: number, maxRecent: number): void {
    this.slide(stat, at);
    let i = stat.recent.length;
    // Nearly always appended: arrivals come in order, give or take a few seconds.
    while (i > stat.head && (stat.recent[i - 1] as number) > at) i -= 1;
    stat.recent.splice(i, 0, at);
    stat.usual.splice(i, 0, 1);
    stat.usualCount += 1;
    if (stat.recent.length - stat.head > maxRecent) this.leave(stat);
  }

  private count(stat: TermStat, now: number, usualOnly: boolean): number {
    this.slide(stat, now);
    let end = stat.recent.length;
    while (end > stat.head && (stat.recent[end - 1] as number) > now) end -= 1;
    if (!usualOnly) return end - stat.head;
    let usual = stat.usualCount;
    for (let i = end; i < stat.recent.length; i += 1) usual -= stat.usual[i] as number;
    return usual;
  }

  private background(stat: TermStat, now: number): number {
    this.slide(stat, now);
    return decay(stat.decayed, now - stat.decayedAt, this.halfLifeMs);
  }

  /** Moves the arrivals that left the window ending at `now` into the background. */
  private slide(stat: TermStat, now: number): void {
    const from = now - this.windowMs;
    while (stat.head < stat.recent.length && (stat.recent[stat.head] as number) <= from) this.leave(stat);
    if (stat.head > 32 && stat.head * 2 > stat.recent.length) {
      stat.recent = stat.recent.slice(stat.head);
      stat.usual = stat.usual.slice(stat.head);
      stat.head = 0;
    }
  }

  /** The window's oldest arrival becomes background (if usual). */
  private leave(stat: TermStat): void {
    if (stat.usual[stat.head] === 1) {
      this.toBackground(stat, stat.recent[stat.head] as number);
      stat.usualCount -= 1;
    }
    stat.head += 1;
  }

  private toBackground(stat: TermStat, at: number): void {
    if (at >= stat.decayedAt) {
      stat.decayed = decay(stat.decayed, at - stat.decayedAt, this.halfLifeMs) + 1;
      stat.decayedAt = at;
    } else stat.decayed += decay(1, stat.decayedAt - at, this.halfLifeMs);
  }

  /** Drops the features with the fewest arrivals (the window's, and the background's decayed), down to three quarters of the cap. */
  private forget(stats: LineStats, now: number): void {
    const ranked: { term: string; weight: number }[] = [];
    for (const [term, stat] of stats.terms) {
      this.slide(stat, now);
      const inWindow = stat.recent.length - stat.head;
      ranked.push({ term, weight: inWindow + decay(stat.decayed, now - stat.decayedAt, this.halfLifeMs) });
    }
    // Ties by name, so every instance fed the same stream forgets the same features.
    ranked.sort((a, b) => a.weight - b.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const drop = stats.terms.size - Math.floor((this.settings.maxTerms * 3) / 4);
    for (let i = 0; i < drop; i += 1) stats.terms.delete((ranked[i] as { term: string }).term);
  }
}

const newStat = (at: number): TermStat => ({ decayed: 0, decayedAt: at, recent: [], usual: [], usualCount: 0, head: 0 });

/** Marks the latest usual arrival at `at` as a burst's. */
function markLatest(stat: TermStat, at: number): void {
  for (let i = stat.recent.length - 1; i >= stat.head; i -= 1)
    if (stat.recent[i] === at && stat.usual[i] === 1) {
      stat.usual[i] = 0;
      stat.usualCount -= 1;
      return;
    }
}

const decay = (count: number, elapsedMs: number, halfLifeMs: number): number => count * 2 ** (-Math.max(0, elapsedMs) / halfLifeMs);
