// Incremental grouping of new tickets by similarity (docs/contract.md#surge-detection): each ticket
// joins the most similar recent cluster of its line, or starts one. A cluster "qualifies" when
// `minTickets` of its tickets arrived within `windowMinutes`; the suggestion book turns that into a
// suggestion. Pure: times come in with the tickets; nothing here reads a clock.
//
// Similarity is a weighted Dice coefficient between the ticket's features (subject stems, and its
// tags, which weigh more: a helpdesk's tags are chosen, words are incidental) and the cluster's core
// (the features at least half of its tickets share). Dice rather than Jaccard: tickets about one
// outage are worded differently ("SAML error", "cannot log in with SSO"), and Jaccard punishes each
// extra word twice. Comparing with the core rather than every past ticket keeps a cluster from
// drifting: a word that only one ticket in three uses does not pull in tickets about something else.
//
// An outage's tickets share little but one word ("Login fails after the update", "Не могу войти",
// "Error 500 when logging in" share "login"), and its first few start clusters of their own: split,
// none reaches `minTickets` when the outage does. So the line's usual share of each word is kept
// (`TermRates`), and a word far above it in the window (bursting, `burstLevel`) weighs more in the
// comparison, in proportion to how surprising it is. A ticket that is similar, through a bursting
// word, to several young clusters (most of their tickets in the window) folds them into one: union
// by merging, so a cluster stays one thing with one id (the one with most tickets keeps its own).
// Tags do not burst: a helpdesk puts one tag on many topics, and a core of only a tag would then
// take in all of them.
//
// A cluster qualifies when its window count is unlikely at its earlier rate: its own, over its life,
// or its subjects' usual rate on the line (each distinct subject, as stems, is counted like a word),
// whichever is higher. The second knows a familiar topic from a cluster that is new (the old one
// expired overnight) and is about 0 for an outage's new wordings. Tickets that were part of a burst
// do not become the usual: one outage on a quiet line would otherwise make its words familiar for
// hours, and the next outage of the kind would pass unnoticed.
//
// Bounded whatever arrives: clusters are found through an index of core features (Map feature →
// clusters), visiting at most `MAX_VISITS` postings per ticket, rarest features first; at most
// `maxClusters` live (the quietest is dropped), each remembering at most `maxTicketsPerCluster`
// tickets and `MAX_FEATURES` features; a cluster quiet for `windowMinutes × quietFactor` expires;
// `TermRates` keeps at most its `maxTerms` words and subjects per line.
import { createHash } from 'node:crypto';
import { normalizeTags, subjectKeyWords } from './normalize.js';
import { poissonUpperTail } from './poisson.js';
import { TermRates } from './term-rates.js';

export interface ClusterSettings {
  /** Tickets within the window that make a cluster qualify. */
  minTickets: number;
  windowMinutes: number;
  /** The weighted Dice coefficient from which a ticket joins a cluster, 0–1. */
  similarity: number;
  maxClusters: number;
  maxTicketsPerCluster: number;
  /** A cluster expires after `windowMinutes × quietFactor` without a ticket. */
  quietFactor: number;
  /** How much a shared tag counts against a shared subject word. */
  tagWeight: number;
  /**
   * A cluster qualifies only when its window count is this unlikely (Poisson) at its earlier rate
   * (its own, or its subjects' usual one on the line): a topic that always brings a few tickets an
   * hour ("invoice", "password") reaches `minTickets` in a busy quarter-hour without anything being
   * wrong. 1 turns this off.
   */
  backgroundP: number;
  /**
   * A feature whose window count is at least this surprising at its line's usual rate for it
   * (−log10 of the Poisson tail, `TermRates.surprise`) is bursting: it weighs more, and links clusters.
   */
  burstLevel: number;
  /** A bursting feature's extra weight per unit of surprise, times its own weight. */
  burstWeight: number;
  /** Half-life of the features' usual rates, minutes. */
  rateHalfLifeMinutes: number;
}

export const CLUSTER_DEFAULTS: ClusterSettings = {
  minTickets: 5,
  windowMinutes: 15,
  similarity: 0.5,
  // An hour of a busy helpdesk's distinct subjects, several times over.
  maxClusters: 2_000,
  maxTicketsPerCluster: 500,
  // Half an hour (at the 15-minute window) rather than an hour: a topic's group that lingers an hour
  // takes in an outage's first tickets, and its earlier rate then holds the suggestion back or
  // fills it with unrelated tickets. Measured by the surge bench over 12 simulated weeks (288
  // outages): recall 0.899 → 0.917, precision 0.852 → 0.889 (docs/performance.md#surge-detection).
  quietFactor: 2,
  tagWeight: 2,
  // Strict, because it is tested on every ticket of every familiar topic all week: at 0.01 the
  // everyday subjects' chance peaks (5 "Password reset" tickets in a quarter-hour at 1.2 expected)
  // are most suggestions. A new topic (an outage's new wordings) expects about 0 and qualifies at
  // `minTickets` anyway. Surge bench, mean of seeds 1–8 (recall, precision, median time to suggest):
  // 0.01 → 0.98, 0.60, 2.85 min; 0.001 → 0.99, 0.72, 2.84; 0.0001 → 0.995, 0.81, 2.71;
  // 0.00001 → 0.995, 0.90, 2.73.
  backgroundP: 0.000_01,
  // −log10 p = 3: a word's window count expected once in 1,000 windows. Mean of seeds 1–8: 2.5 →
  // 0.99, 0.87, 2.74 min; 3 → 0.995, 0.90, 2.73; 3.5 → 0.98, 0.91, 2.83; 4 → 0.98, 0.92, 2.92.
  // Lower levels let everyday chance peaks link clusters, higher ones link an outage's wordings later.
  burstLevel: 3,
  // Mean of seeds 1–8: 1 → 0.99, 0.92, 2.83 min; 2 → 0.995, 0.90, 2.73; 3 → the same as 2.
  burstWeight: 2,
  // Three hours: follows the day's mix of topics. 2 h: 0.99, 0.89, 2.79 min; 6 h: 0.995, 0.92,
  // 2.69 on seeds 1–8 but worse on seed 17 (0.85 precision, 2.9 min against 0.88, 2.5).
  rateHalfLifeMinutes: 180,
};

/** A new ticket as the detector sees it. `key` is unique per ticket (its source and id). */
export interface NewTicket {
  key: string;
  line: string;
  subject: string;
  tags: readonly unknown[];
  /**
   * When it arrived, ms: the caller's clock or the ticket's `createdAt` clamped to it. A time far
   * ahead would make every cluster look quiet (they expire against the latest time seen).
   */
  at: number;
}

/** A cluster as the suggestion book reads it. */
export interface ClusterView {
  /** Stable: the same stream gives the same id on any instance. */
  id: string;
  line: string;
  /** The most common subject among its tickets, as written. */
  title: string;
  /** Up to five words, as written (the common beginning of the forms seen), most frequent first. */
  keywords: string[];
  /** Tags at least half of its tickets carry. */
  tags: string[];
  /** The remembered tickets' keys, oldest first (the latest `maxTicketsPerCluster`). */
  tickets: string[];
  /** Every ticket that joined, remembered or not. */
  count: number;
  firstAt: number;
  lastAt: number;
  /** Tickets that arrived within the last `windowMinutes`. */
  windowCount: number;
  qualifies: boolean;
  /**
   * Its tickets per hour as usual: the higher of its own rate before the current window (0 for a
   * cluster younger than that) and its subjects' usual rate on the line (0 for subjects never seen).
   */
  priorPerHour: number;
}

/** What became of a ticket: the cluster it joined or started, or why it was left out. */
export type AddResult = { outcome: 'joined' | 'started'; id: string; windowCount: number; qualifies: boolean } | { outcome: 'seen' | 'stale' | 'empty' };

// Postings visited per ticket: rare features first, so the best match is found long before this
// on any realistic stream, while a flood of tickets sharing one word cannot make adding cost O(clusters).
const MAX_VISITS = 2_000;
// Features remembered per cluster; when exceeded the least frequent are forgotten down to half.
// The core (features of at least half the tickets) is at most twice a ticket's features, so it survives.
const MAX_FEATURES = 96;
// Distinct subjects counted per cluster, for its title.
const MAX_SUBJECTS = 32;
const MAX_TITLE = 200;
const MAX_KEYWORDS = 5;
// Clusters looked at when one must go: among the least recently active, the one with fewest tickets.
const EVICTION_CANDIDATES = 8;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

interface Feature {
  count: number;
  weight: number;
  /** For a word: the common beginning of the forms seen ("оплат" from "оплата", "оплату"). For a tag: itself. */
  shown: string;
  isTag: boolean;
  inCore: boolean;
}

class Cluster {
  readonly tickets = new Map<string, number>();
  readonly features = new Map<string, Feature>();
  readonly subjects = new Map<string, number>();
  /** Its tickets' subjects as compared (`signatureOf`), counted, at most `MAX_SUBJECTS`. */
  readonly signatures = new Map<string, number>();
  /** Arrival times still inside the window, ascending, from `head`. */
  arrivals: number[] = [];
  head = 0;
  count = 0;
  coreWeight = 0;
  lastAt: number;
  // Neighbours in the activity list (least recently joined first).
  older: Cluster | null = null;
  newer: Cluster | null = null;

  constructor(
    readonly id: string,
    readonly line: string,
    public firstAt: number,
  ) {
    this.lastAt = firstAt;
  }

  windowCount(now: number, windowMs: number): number {
    const from = now - windowMs;
    while (this.head < this.arrivals.length && (this.arrivals[this.head] as number) <= from) this.head += 1;
    if (this.head > 64 && this.head * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head);
      this.head = 0;
    }
    let end = this.arrivals.length;
    // A ticket stamped after `now` (a caller asking about the past) is not yet in its window.
    while (end > this.head && (this.arrivals[end - 1] as number) > now) end -= 1;
    return end - this.head;
  }
}

// Most features belong to one cluster only (a word no other recent ticket used): the cluster itself
// stands for the posting until a second one shares it, which saves a Set per such word.
type Posting = Cluster | Set<Cluster>;
const postingSize = (posting: Posting): number => (posting instanceof Set ? posting.size : 1);

export class ClusterBook {
  readonly settings: ClusterSettings;
  private readonly windowMs: number;
  private readonly quietMs: number;
  // Per line: core feature → clusters having it in their core.
  private readonly index = new Map<string, Map<string, Posting>>();
  // Least recently active first: a cluster moves to the end each time a ticket joins it. A linked
  // list, not a Set: V8 leaves a tombstone for each deleted Set entry until it rehashes, so
  // "delete the first, iterate from the start" over a long-lived Set costs O(deleted) a time.
  private quietest: Cluster | null = null;
  private busiest: Cluster | null = null;
  private readonly byId = new Map<string, Cluster>();
  // Every remembered ticket → its cluster: a ticket seen again does not count twice.
  private readonly seen = new Map<string, Cluster>();
  // The latest arrival time seen; tickets much older than this are history, not a surge.
  private clock = Number.NEGATIVE_INFINITY;
  private readonly rates: TermRates;

  constructor(settings: Partial<ClusterSettings> = {}) {
    this.settings = { ...CLUSTER_DEFAULTS, ...settings };
    this.windowMs = this.settings.windowMinutes * MINUTE_MS;
    this.quietMs = this.windowMs * this.settings.quietFactor;
    this.rates = new TermRates({ windowMinutes: this.settings.windowMinutes, halfLifeMinutes: this.settings.rateHalfLifeMinutes });
  }

  get size(): number {
    return this.byId.size;
  }

  /** Tickets remembered across clusters (for repeats and the suggestions' lists). */
  get rememberedTickets(): number {
    return this.seen.size;
  }

  add(ticket: NewTicket): AddResult {
    if (this.seen.has(ticket.key)) return { outcome: 'seen' };
    if (!Number.isFinite(ticket.at) || ticket.at < this.clock - this.quietMs) return { outcome: 'stale' };
    const features = this.featuresOf(ticket);
    if (features.size === 0) return { outcome: 'empty' };
    if (ticket.at > this.clock) {
      this.clock = ticket.at;
      this.expire(ticket.at);
    }

    const signature = signatureOf(features);
    this.rates.observe(ticket.line, [...features.keys(), signature], ticket.at);
    const extra = this.burstExtra(ticket.line, features, ticket.at);
    if (extra.size > 0) this.rates.markBurst(ticket.line, [...features.keys(), signature], ticket.at);
    const match = this.bestMatch(ticket.line, features, extra);
    let cluster = match.linked.length > 0 ? this.mergeLinked(match.linked) : match.best;
    const outcome = cluster === undefined ? 'started' : 'joined';
    if (cluster === undefined) {
      cluster = new Cluster(this.freshId(ticket), ticket.line, ticket.at);
      this.byId.set(cluster.id, cluster);
      if (this.byId.size > this.settings.maxClusters) this.evictOne(cluster);
    }
    this.join(cluster, ticket, features, signature);
    const windowCount = cluster.windowCount(this.clock, this.windowMs);
    return { outcome, id: cluster.id, windowCount, qualifies: this.qualifies(cluster, windowCount, this.clock) };
  }

  /** Drops the clusters quiet since before `now − windowMinutes × quietFactor`; returns their ids. */
  expire(now: number): string[] {
    const expired: string[] = [];
    const before = now - this.quietMs;
    // Activity order is arrival order, which out-of-order times can bend slightly: the sweep stops at
    // the first active cluster, and a stray expired one behind it goes on a later sweep or by the cap.
    while (this.quietest !== null && this.quietest.lastAt < before) {
      expired.push(this.quietest.id);
      this.remove(this.quietest);
    }
    return expired;
  }

  view(id: string, now: number): ClusterView | undefined {
    const cluster = this.byId.get(id);
    if (cluster === undefined) return undefined;
    const windowCount = cluster.windowCount(now, this.windowMs);
    const tagShare = cluster.count / 2;
    // Keywords become an incident's `match` (tickets whose subject contains one are linked), so a word
    // only a stray ticket used is left out: at least a quarter of the tickets, and two of them.
    const wordShare = Math.max(cluster.count / 4, Math.min(2, cluster.count));
    const words = [...cluster.features.values()].filter((f) => !f.isTag && f.count >= wordShare);
    words.sort((a, b) => b.count - a.count);
    return {
      id: cluster.id,
      line: cluster.line,
      title: mostCommon(cluster.subjects),
      keywords: words.slice(0, MAX_KEYWORDS).map((f) => f.shown),
      tags: [...cluster.features.values()].filter((f) => f.isTag && f.count >= tagShare).map((f) => f.shown),
      tickets: [...cluster.tickets.keys()],
      count: cluster.count,
      firstAt: cluster.firstAt,
      lastAt: cluster.lastAt,
      windowCount,
      qualifies: this.qualifies(cluster, windowCount, now),
      priorPerHour: (this.priorPerWindow(cluster, windowCount, now) * HOUR_MS) / this.windowMs,
    };
  }

  /** The ids of the clusters that qualify at `now`. */
  qualifying(now: number): string[] {
    const ids: string[] = [];
    for (const cluster of this.byId.values()) if (this.qualifies(cluster, cluster.windowCount(now, this.windowMs), now)) ids.push(cluster.id);
    return ids;
  }

  private qualifies(cluster: Cluster, windowCount: number, now: number): boolean {
    if (windowCount < this.settings.minTickets) return false;
    const prior = this.priorPerWindow(cluster, windowCount, now);
    return prior === 0 || poissonUpperTail(windowCount, prior) < this.settings.backgroundP;
  }

  /**
   * Its usual tickets per window: the larger of its own rate over its life before the window and its
   * subjects' usual share of the line's other tickets in the window (`TermRates.expected`, summed
   * over the distinct subjects it has seen). The second remembers a topic whose cluster expired
   * overnight, and knows a young cluster's topic, while an outage's new wordings expect about 0.
   */
  private priorPerWindow(cluster: Cluster, windowCount: number, now: number): number {
    const before = Math.max(0, cluster.count - windowCount);
    const own = before === 0 ? 0 : (before * this.windowMs) / Math.max(this.windowMs, now - this.windowMs - cluster.firstAt);
    const others = this.rates.lineWindowCount(cluster.line, now, true) - windowCount;
    let topic = 0;
    // No prior (a subject never seen is expected 0 times), and a share of at most a half: on a line
    // where the topic is nearly everything, the others say little and its own rate decides.
    for (const signature of cluster.signatures.keys()) topic += this.rates.expected(cluster.line, signature, now, others, 0, 0.5);
    return Math.max(own, topic);
  }

  /** Each bursting feature's extra weight (see `burstLevel`); the rest are left out. */
  private burstExtra(line: string, features: Map<string, { weight: number; isTag: boolean }>, now: number): Map<string, number> {
    const extra = new Map<string, number>();
    for (const [key, { weight, isTag }] of features) {
      // Words only: a tag is on many topics' tickets, and a tag-only core would then take in all of them.
      if (isTag) continue;
      const surprise = this.rates.surprise(line, key, now);
      if (surprise >= this.settings.burstLevel) extra.set(key, weight * this.settings.burstWeight * surprise);
    }
    return extra;
  }

  /**
   * The new cluster's id. A ticket forgotten by a big cluster (past `maxTicketsPerCluster`) and sent
   * again could start a cluster with its old id; the next of the sequence keeps ids unique and still
   * the same on every instance fed the same stream.
   */
  private freshId(ticket: NewTicket): string {
    let id = clusterId(ticket.line, ticket.key, ticket.at);
    for (let n = 1; this.byId.has(id); n += 1) id = clusterId(ticket.line, ticket.key, ticket.at, n);
    return id;
  }

  private featuresOf(ticket: NewTicket): Map<string, { weight: number; shown: string; isTag: boolean }> {
    const features = new Map<string, { weight: number; shown: string; isTag: boolean }>();
    for (const { stem, word } of subjectKeyWords(ticket.subject)) features.set(stem, { weight: 1, shown: word, isTag: false });
    // Stems are letters only, so "#" keeps a tag from ever meeting a word of the same spelling.
    for (const tag of normalizeTags(ticket.tags)) features.set(`#${tag}`, { weight: this.settings.tagWeight, shown: tag, isTag: true });
    return features;
  }

  /**
   * The most similar cluster of the line, and the young clusters the ticket links through a bursting
   * feature (similar enough, and most of their tickets inside the window: a burst, not a topic that
   * has been around for hours). An outage's first tickets, worded differently, start clusters of
   * their own before anything bursts; the ticket that shows them to share a bursting word joins them.
   */
  private bestMatch(
    line: string,
    features: Map<string, { weight: number }>,
    extra: ReadonlyMap<string, number>,
  ): { best: Cluster | undefined; linked: Cluster[] } {
    const postings = this.index.get(line);
    if (postings === undefined) return { best: undefined, linked: [] };
    let ticketWeight = 0;
    const found: { posting: Posting; weight: number; extra: number }[] = [];
    for (const [key, { weight }] of features) {
      const more = extra.get(key) ?? 0;
      ticketWeight += weight;
      const posting = postings.get(key);
      if (posting !== undefined) found.push({ posting, weight, extra: more });
    }
    found.sort((a, b) => postingSize(a.posting) - postingSize(b.posting));
    const shared = new Map<Cluster, { weight: number; extra: number }>();
    let visits = 0;
    for (const found1 of found) {
      for (const cluster of found1.posting instanceof Set ? found1.posting : [found1.posting]) {
        const sum = shared.get(cluster);
        if (sum === undefined) shared.set(cluster, { weight: found1.weight, extra: found1.extra });
        else {
          sum.weight += found1.weight;
          sum.extra += found1.extra;
        }
        visits += 1;
        if (visits >= MAX_VISITS) break;
      }
      if (visits >= MAX_VISITS) break;
    }
    let best: Cluster | undefined;
    let bestScore = this.settings.similarity;
    const linked: Cluster[] = [];
    for (const [cluster, sum] of shared) {
      // A bursting feature weighs more on both sides when the two share it; one they do not share
      // weighs as usual, so a ticket's other bursting words do not keep it from its outage's cluster.
      const score = (2 * (sum.weight + sum.extra)) / (ticketWeight + cluster.coreWeight + 2 * sum.extra);
      if (score < this.settings.similarity) continue;
      if (sum.extra > 0 && cluster.windowCount(this.clock, this.windowMs) * 2 >= cluster.count) linked.push(cluster);
      // Ties go to the busier cluster: one outage, one cluster.
      if (score > bestScore || (score === bestScore && (best === undefined || cluster.count > best.count))) {
        best = cluster;
        bestScore = score;
      }
    }
    return { best, linked };
  }

  /**
   * Folds linked clusters into the one with most tickets (ties: the first started, then the smaller
   * id), which keeps its id: its suggestion, if any, goes on growing.
   */
  private mergeLinked(linked: Cluster[]): Cluster {
    let target = linked[0] as Cluster;
    for (const cluster of linked)
      if (
        cluster.count > target.count ||
        (cluster.count === target.count && (cluster.firstAt < target.firstAt || (cluster.firstAt === target.firstAt && cluster.id < target.id)))
      )
        target = cluster;
    for (const cluster of linked) if (cluster !== target) this.fold(cluster, target);
    return target;
  }

  /** Moves everything `from` knows into `into`, then drops `from`. */
  private fold(from: Cluster, into: Cluster): void {
    into.count += from.count;
    into.firstAt = Math.min(into.firstAt, from.firstAt);
    into.lastAt = Math.max(into.lastAt, from.lastAt);
    const tickets = [...into.tickets, ...from.tickets].sort((a, b) => a[1] - b[1]);
    into.tickets.clear();
    for (const [key, at] of tickets) {
      into.tickets.set(key, at);
      this.seen.set(key, into);
    }
    while (into.tickets.size > this.settings.maxTicketsPerCluster) {
      const oldest = into.tickets.keys().next().value as string;
      into.tickets.delete(oldest);
      this.seen.delete(oldest);
    }
    for (let i = from.head; i < from.arrivals.length; i += 1) insertSorted(into.arrivals, from.arrivals[i] as number, into.head);
    for (const [subject, n] of from.subjects) countIn(into.subjects, subject, n);
    for (const [signature, n] of from.signatures) countIn(into.signatures, signature, n);
    for (const [key, incoming] of from.features) {
      const feature = into.features.get(key);
      if (feature === undefined)
        into.features.set(key, { count: incoming.count, weight: incoming.weight, shown: incoming.shown, isTag: incoming.isTag, inCore: false });
      else {
        feature.count += incoming.count;
        if (!feature.isTag) feature.shown = commonStart(feature.shown, incoming.shown, key);
      }
    }
    this.remove(from);
    if (into.features.size > MAX_FEATURES) this.forgetRareFeatures(into);
    this.updateCore(into);
  }

  private join(cluster: Cluster, ticket: NewTicket, features: Map<string, { weight: number; shown: string; isTag: boolean }>, signature: string): void {
    countIn(cluster.signatures, signature, 1);
    cluster.count += 1;
    cluster.lastAt = Math.max(cluster.lastAt, ticket.at);
    this.unlink(cluster);
    this.link(cluster);

    cluster.tickets.set(ticket.key, ticket.at);
    this.seen.set(ticket.key, cluster);
    if (cluster.tickets.size > this.settings.maxTicketsPerCluster) {
      const oldest = cluster.tickets.keys().next().value as string;
      cluster.tickets.delete(oldest);
      this.seen.delete(oldest);
    }
    insertSorted(cluster.arrivals, ticket.at, cluster.head);

    const subject = ticket.subject.trim().replace(/\s+/g, ' ').slice(0, MAX_TITLE);
    const seenSubject = cluster.subjects.get(subject);
    if (seenSubject !== undefined) cluster.subjects.set(subject, seenSubject + 1);
    else if (cluster.subjects.size < MAX_SUBJECTS) cluster.subjects.set(subject, 1);

    for (const [key, incoming] of features) {
      const feature = cluster.features.get(key);
      // A literal of one shape, not a spread: this runs for every feature of every ticket.
      if (feature === undefined) cluster.features.set(key, { count: 1, weight: incoming.weight, shown: incoming.shown, isTag: incoming.isTag, inCore: false });
      else {
        feature.count += 1;
        if (!feature.isTag) feature.shown = commonStart(feature.shown, incoming.shown, key);
      }
    }
    if (cluster.features.size > MAX_FEATURES) this.forgetRareFeatures(cluster);
    this.updateCore(cluster);
  }

  /** Puts the features of at least half the tickets in the core (and the index), the rest out. */
  private updateCore(cluster: Cluster): void {
    let postings = this.index.get(cluster.line);
    if (postings === undefined) {
      postings = new Map();
      this.index.set(cluster.line, postings);
    }
    let coreWeight = 0;
    for (const [key, feature] of cluster.features) {
      const inCore = feature.count * 2 >= cluster.count;
      if (inCore) coreWeight += feature.weight;
      if (inCore === feature.inCore) continue;
      feature.inCore = inCore;
      if (inCore) {
        const posting = postings.get(key);
        if (posting === undefined) postings.set(key, cluster);
        else if (posting instanceof Set) posting.add(cluster);
        else postings.set(key, new Set([posting, cluster]));
      } else this.unindex(cluster, key);
    }
    cluster.coreWeight = coreWeight;
  }

  private forgetRareFeatures(cluster: Cluster): void {
    const ranked = [...cluster.features].sort((a, b) => b[1].count - a[1].count);
    for (const [key, feature] of ranked.slice(MAX_FEATURES / 2)) {
      if (feature.inCore) this.unindex(cluster, key);
      cluster.features.delete(key);
    }
  }

  private unindex(cluster: Cluster, key: string): void {
    const postings = this.index.get(cluster.line);
    const posting = postings?.get(key);
    if (postings === undefined || posting === undefined) return;
    if (posting === cluster) postings.delete(key);
    else if (posting instanceof Set) {
      posting.delete(cluster);
      if (posting.size === 1) postings.set(key, posting.values().next().value as Cluster);
    }
    if (postings.size === 0) this.index.delete(cluster.line);
  }

  /** Drops one of the least recently active clusters, the one with fewest tickets; never `keep`. */
  private evictOne(keep: Cluster): void {
    let victim: Cluster | undefined;
    let looked = 0;
    for (let cluster = this.quietest; cluster !== null && looked < EVICTION_CANDIDATES; cluster = cluster.newer) {
      if (cluster === keep) continue;
      if (victim === undefined || cluster.count < victim.count) victim = cluster;
      looked += 1;
    }
    if (victim !== undefined) this.remove(victim);
  }

  private link(cluster: Cluster): void {
    cluster.older = this.busiest;
    cluster.newer = null;
    if (this.busiest !== null) this.busiest.newer = cluster;
    else this.quietest = cluster;
    this.busiest = cluster;
  }

  private unlink(cluster: Cluster): void {
    if (cluster.older !== null) cluster.older.newer = cluster.newer;
    else if (this.quietest === cluster) this.quietest = cluster.newer;
    if (cluster.newer !== null) cluster.newer.older = cluster.older;
    else if (this.busiest === cluster) this.busiest = cluster.older;
    cluster.older = null;
    cluster.newer = null;
  }

  private remove(cluster: Cluster): void {
    for (const [key, feature] of cluster.features) if (feature.inCore) this.unindex(cluster, key);
    for (const key of cluster.tickets.keys()) if (this.seen.get(key) === cluster) this.seen.delete(key);
    this.unlink(cluster);
    this.byId.delete(cluster.id);
  }
}

/** The id of a cluster: its line, first ticket and first time, hashed so it is short and opaque. */
export function clusterId(line: string, firstKey: string, firstAt: number, n = 0): string {
  const parts = n === 0 ? [line, firstKey, firstAt] : [line, firstKey, firstAt, n];
  return `c-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)}`;
}

/** A subject as compared: its stems in order, so a reworded subject is another one. Tags are left out. */
function signatureOf(features: ReadonlyMap<string, { isTag: boolean }>): string {
  const stems: string[] = [];
  for (const [key, { isTag }] of features) if (!isTag) stems.push(key);
  return `=${stems.sort().join(' ')}`;
}

function countIn(counts: Map<string, number>, key: string, n: number): void {
  const seen = counts.get(key);
  if (seen !== undefined) counts.set(key, seen + n);
  else if (counts.size < MAX_SUBJECTS) counts.set(key, n);
}

function insertSorted(times: number[], at: number, from: number): void {
  let i = times.length;
  // Nearly always appended: arrivals come in order, give or take a few seconds.
  while (i > from && (times[i - 1] as number) > at) i -= 1;
  times.splice(i, 0, at);
}

/** The common beginning of two forms of a word, kept no shorter than its stem's first three letters. */
function commonStart(a: string, b: string, stem: string): string {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n >= 3 ? a.slice(0, n) : stem;
}

function mostCommon(counts: ReadonlyMap<string, number>): string {
  let best = '';
  let bestCount = 0;
  // Ties go to the first seen (Map order), so the title does not flicker.
  for (const [text, count] of counts)
    if (count > bestCount) {
      best = text;
      bestCount = count;
    }
  return best;
}
