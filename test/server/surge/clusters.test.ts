// The cluster book alone: joining, windows, expiry, and its bounds under 100,000 unrelated tickets.
import { describe, expect, it } from 'vitest';
import { ClusterBook, type NewTicket } from '../../../server/surge/clusters.js';
import { MINUTE, outageStream, seeded, START } from './streams.js';

const ticket = (key: string, subject: string, tags: string[], at: number, line = 'l1'): NewTicket => ({ key, line, subject, tags, at });

/** A made-up word of six letters: 26^6 of them, so random subjects share words by chance only. */
function word(random: () => number): string {
  let text = '';
  for (let i = 0; i < 6; i += 1) text += String.fromCharCode(97 + Math.floor(random() * 26));
  return text;
}

describe('ClusterBook', () => {
  it('joins similar tickets of a line and keeps lines apart', () => {
    const book = new ClusterBook();
    const a = book.add(ticket('a', 'VPN disconnects every few minutes', ['vpn'], START));
    const b = book.add(ticket('b', 'vpn keeps disconnecting!', ['VPN'], START + MINUTE));
    const c = book.add(ticket('c', 'VPN disconnects every few minutes', ['vpn'], START + MINUTE, 'l2'));
    const d = book.add(ticket('d', 'Invoice shows the wrong VAT number', ['billing'], START + 2 * MINUTE));
    expect(a).toMatchObject({ outcome: 'started' });
    expect(b).toMatchObject({ outcome: 'joined', windowCount: 2 });
    expect(b.outcome !== 'seen' && a.outcome !== 'seen' && 'id' in b && 'id' in a && b.id === a.id).toBe(true);
    expect(c).toMatchObject({ outcome: 'started' });
    expect(d).toMatchObject({ outcome: 'started' });
    expect(book.size).toBe(3);
  });

  it('leaves out repeats, tickets without words and tickets older than what it remembers', () => {
    const book = new ClusterBook();
    book.add(ticket('a', 'VPN disconnects', ['vpn'], START + 120 * MINUTE));
    expect(book.add(ticket('a', 'VPN disconnects', ['vpn'], START + 121 * MINUTE))).toEqual({ outcome: 'seen' });
    expect(book.add(ticket('b', '!!! 42', [], START + 121 * MINUTE))).toEqual({ outcome: 'empty' });
    expect(book.add(ticket('c', 'VPN disconnects', ['vpn'], START))).toEqual({ outcome: 'stale' });
    expect(book.add(ticket('d', 'VPN disconnects', ['vpn'], Number.NaN))).toEqual({ outcome: 'stale' });
  });

  it('counts the window and qualifies at minTickets within it', () => {
    const book = new ClusterBook({ minTickets: 5, windowMinutes: 15 });
    const results = outageStream(6, START, 4 * MINUTE).map((t) => book.add(t));
    // 0, 4, 8, 12, 16, 20 minutes: never five within 15.
    expect(results.map((r) => ('windowCount' in r ? r.windowCount : -1))).toEqual([1, 2, 3, 4, 4, 4]);
    expect(book.qualifying(START + 20 * MINUTE)).toEqual([]);
    const id = 'id' in results[0]! ? results[0].id : '';
    expect(book.view(id, START + 20 * MINUTE)).toMatchObject({ count: 6, windowCount: 4, qualifies: false, firstAt: START, lastAt: START + 20 * MINUTE });
    const fast = new ClusterBook();
    for (const t of outageStream(5, START, 3 * MINUTE)) fast.add(t);
    expect(fast.qualifying(START + 12 * MINUTE)).toHaveLength(1);
    expect(fast.qualifying(START + 16 * MINUTE)).toEqual([]);
  });

  it('does not qualify a topic that always brings this many tickets', () => {
    const book = new ClusterBook();
    // Four hours of password resets, twelve an hour (three a quarter-hour), then five more in ten
    // minutes: six in the window against an expected three happens (p ≈ 0.08); not an outage.
    let at = START;
    for (let i = 0; i < 48; i += 1) {
      at += 5 * MINUTE;
      book.add(ticket(`p${i}`, 'Password reset email never arrives', ['login'], at));
    }
    for (let i = 0; i < 5; i += 1) {
      at += 2 * MINUTE;
      book.add(ticket(`q${i}`, 'Password reset email never arrives', ['login'], at));
    }
    const probe = book.add(ticket('probe', 'Password reset email never arrives', ['login'], at));
    const id = 'id' in probe ? probe.id : '';
    // In the window (235, 250] minutes: the reset at 240, the five, the probe. Before it, 47 tickets
    // from the first at 5 minutes to the window's start at 235: 47 per 230 minutes.
    expect(book.view(id, at)).toMatchObject({ windowCount: 7, qualifies: false, priorPerHour: (47 * 60) / 230 });
    expect(book.qualifying(at)).toEqual([]);
    // Twenty in the quarter-hour would be.
    for (let i = 0; i < 15; i += 1) {
      at += 20_000;
      book.add(ticket(`r${i}`, 'Password reset email never arrives', ['login'], at));
    }
    expect(book.qualifying(at)).toHaveLength(1);
  });

  // Two hours of everyday subjects, one every 30 seconds in turn: the line's usual mix.
  const everyday = [
    'VPN disconnects every few minutes',
    'Invoice shows the wrong VAT number',
    'Pages load very slowly',
    'Outlook calendar sync stopped',
    'Charged twice this month',
    'Cannot log in to the customer portal',
  ];
  function busyLine(book: ClusterBook, subjects = everyday): number {
    let at = START;
    for (let i = 0; i < 240; i += 1) {
      at = START + i * 30_000;
      book.add(ticket(`e${i}`, subjects[i % subjects.length]!, [], at));
    }
    return at;
  }

  it('joins an outage’s differently worded tickets once their shared word bursts', () => {
    const book = new ClusterBook();
    // A line where "login" is not among the usual subjects (its share is only the prior's):
    // three in 40 seconds is p < 10^-3. Worded so that no two share more than "login".
    const from = busyLine(book, everyday.slice(0, 5));
    const outage = [
      'Login fails after the update',
      'Не могу войти в кабинет',
      'Error 500 when logging in',
      'Sign-in page just reloads',
      'Вход не работает',
      'Unable to login at all',
    ];
    const results = outage.map((subject, i) => book.add(ticket(`o${i}`, subject, [], from + (i + 1) * 20_000)));
    const ids = results.map((r) => ('id' in r ? r.id : ''));
    // The first two start clusters of their own; the third, with "login" bursting, links them.
    expect(results.map((r) => r.outcome)).toEqual(['started', 'started', 'joined', 'joined', 'joined', 'joined']);
    expect(ids[1]).not.toBe(ids[0]);
    expect(new Set(ids.slice(2)).size).toBe(1);
    expect(results.map((r) => ('windowCount' in r ? r.windowCount : -1))).toEqual([1, 1, 3, 4, 5, 6]);
    // It qualifies with the fifth, as one cluster of one outage does.
    expect(results.map((r) => 'qualifies' in r && r.qualifies)).toEqual([false, false, false, false, true, true]);
    const view = book.view(ids[5]!, from + 120_000)!;
    expect(view.tickets).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5']);
    expect(view.priorPerHour).toBe(0);
    expect(book.qualifying(from + 120_000)).toEqual([ids[5]]);
  });

  it('keeps an outage ticket with its cluster when its other words burst too', () => {
    const book = new ClusterBook();
    // Five payment tickets in the last minutes, then twenty more from the last twenty minutes (a
    // helpdesk catching up). With the ticket 25 the words "проход" and "карт" burst along with
    // "payment", but few tickets use them, so they are not in the core: they must not push it away.
    const five = outageStream(5, START - 4 * MINUTE, MINUTE);
    const twenty = outageStream(20, START - 19 * MINUTE, MINUTE, 5);
    const ids = [...five, ...twenty].map((t) => book.add(t)).map((r) => ('id' in r ? r.id : ''));
    expect(twenty.at(-1)!.subject).toBe('Не проходит оплата картой (checkout)');
    expect(new Set(ids).size).toBe(1);
    expect(book.view(ids[0]!, START)!.count).toBe(25);
  });

  it('does not join everyday subjects that share a common word, nor qualify their usual pace', () => {
    const book = new ClusterBook();
    const at = busyLine(book);
    // "Cannot log in to the customer portal" (one ticket in six) and another login ticket: "login" is
    // at its usual share, and the two share too little to join.
    const other = book.add(ticket('x', 'Login fails after the update', [], at + 1_000));
    expect(other).toMatchObject({ outcome: 'started' });
    // Six subjects, each at five a window, as usual: nothing qualifies, though each has five in the window.
    expect(book.qualifying(at + 1_000)).toEqual([]);
    expect(book.size).toBe(7);
  });

  it('expires a cluster quiet for windowMinutes × quietFactor', () => {
    const book = new ClusterBook({ windowMinutes: 15, quietFactor: 4 });
    book.add(ticket('a', 'VPN disconnects', ['vpn'], START));
    book.add(ticket('b', 'Printer not found', ['printing'], START + 30 * MINUTE));
    expect(book.expire(START + 60 * MINUTE)).toEqual([]);
    expect(book.expire(START + 61 * MINUTE)).toHaveLength(1);
    expect(book.size).toBe(1);
    // Its tickets are forgotten with it: the same key may start a cluster again.
    expect(book.add(ticket('a', 'VPN disconnects', ['vpn'], START + 62 * MINUTE))).toMatchObject({ outcome: 'started' });
  });

  it('keeps its bounds over 100,000 unrelated tickets, and says what each costs', () => {
    const maxClusters = 2_000;
    const book = new ClusterBook({ maxClusters });
    const random = seeded(2025);
    const tags = Array.from({ length: 300 }, (_, i) => `tag-${i}`);
    const tickets: NewTicket[] = [];
    // 100,000 tickets over about 14 hours (two a second), three random words and a common tag each.
    for (let i = 0; i < 100_000; i += 1) {
      const subject = `${word(random)} ${word(random)} ${word(random)}`;
      tickets.push(ticket(`t${i}`, subject, [tags[Math.floor(random() * tags.length)]!], START + i * 500));
    }
    let largest = 0;
    const started = process.hrtime.bigint();
    for (const [i, t] of tickets.entries()) {
      book.add(t);
      if (i % 1_000 === 0) largest = Math.max(largest, book.size);
    }
    const perTicketUs = Number(process.hrtime.bigint() - started) / 1_000 / tickets.length;
    console.log(`surge clusters: ${perTicketUs.toFixed(2)} µs per ticket over ${tickets.length} unrelated tickets; ${book.size} clusters live`);
    expect(largest).toBeLessThanOrEqual(maxClusters);
    expect(book.size).toBeLessThanOrEqual(maxClusters);
    expect(book.rememberedTickets).toBeLessThanOrEqual(maxClusters * 2);
    expect(book.qualifying(START + 100_000 * 500)).toEqual([]);
  });

  it('remembers at most maxTicketsPerCluster tickets of a cluster, and counts them all', () => {
    const book = new ClusterBook({ maxTicketsPerCluster: 10 });
    const stream = outageStream(40, START, 10_000);
    for (const t of stream) book.add(t);
    const [id] = book.qualifying(START + 400_000);
    const view = book.view(id!, START + 400_000)!;
    expect(view.count).toBe(40);
    expect(view.tickets).toEqual(stream.slice(30).map((t) => t.key));
    expect(book.rememberedTickets).toBe(10);
    // The first ticket, forgotten, sent again at its own time: counted again (the cap's price), but
    // as a cluster of its own with an id of its own.
    const again = book.add({ ...stream[0]!, subject: 'Printer not found', tags: ['printing'] });
    expect(again).toMatchObject({ outcome: 'started' });
    expect('id' in again && again.id).not.toBe(id);
    expect(book.size).toBe(2);
  });
});
