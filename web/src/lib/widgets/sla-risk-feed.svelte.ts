// The ticket list behind the sla-risk widget: `GET /api/v1/tickets?view=<at-risk|breached|waiting>`
// (the widget's metric `tickets.<view>`), polled every POLL_MS with the page's token, in the
// server's order (time to breach). The at-risk view is followed by the breached tickets, the most
// recently breached first: a countdown that passes zero moves from the end of one part to the top
// of the other, and free rows show what was just missed. Countdowns tick locally between polls
// from each ticket's `dueAt` (the server decides which target that is), corrected by the server's
// clock offset (the answer's `at` against the client's clock), so a TV with a wrong clock still
// counts down right.
import type { TicketView, TicketViewName } from '../../../../contract/domain.js';
import { getJson } from '../api/http.js';

const POLL_MS = 10_000;
// More than any widget has rows for; the "+N more" line counts from the live state instead.
const LIMIT = 50;

interface TicketsAnswer {
  at: string;
  tickets: TicketView[];
}

export interface RiskRow {
  key: string;
  queue: string;
  priority: TicketView['priority'];
  subject: string;
  breached: boolean;
  /** The ticket's `dueAt` on the client's clock (ms), or null when none applies. */
  dueAt: number | null;
}

export class SlaRiskFeed {
  #rows = $state.raw<RiskRow[]>([]);
  #fetchedAt = $state<number | null>(null);
  #error = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #abort: AbortController | null = null;
  readonly #view: TicketViewName;
  readonly #token: () => string | null;

  constructor(view: TicketViewName, token: () => string | null) {
    this.#view = view;
    this.#token = token;
  }

  get rows(): RiskRow[] {
    return this.#rows;
  }

  /** Client time of the last good answer, or null. */
  get fetchedAt(): number | null {
    return this.#fetchedAt;
  }

  get error(): string | null {
    return this.#error;
  }

  start(): void {
    if (this.#timer !== null || this.#abort !== null) return;
    void this.#poll();
  }

  /** Polls now (after a reconnect, say) instead of at the next tick. */
  refresh(): void {
    if (this.#abort !== null) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#poll();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const abort = this.#abort;
    this.#abort = null;
    abort?.abort();
  }

  async #poll(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const token = this.#token();
      const get = (view: TicketViewName): Promise<TicketsAnswer> => getJson<TicketsAnswer>(`/api/v1/tickets?view=${view}&limit=${LIMIT}`, token, abort.signal);
      const [answer, breached] = await Promise.all([get(this.#view), this.#view === 'at-risk' ? get('breached') : null]);
      const received = Date.now();
      const offset = received - Date.parse(answer.at);
      const toRow = (t: TicketView): RiskRow => ({
        key: t.key,
        queue: t.queue,
        priority: t.priority,
        subject: t.subject,
        breached: t.breached,
        dueAt: t.dueAt === null ? null : Date.parse(t.dueAt) + offset,
      });
      const rows = answer.tickets.map(toRow);
      if (breached !== null) {
        const seen = new Set(rows.map((r) => r.key));
        const late = breached.tickets.map(toRow).filter((r) => !seen.has(r.key));
        late.sort((a, b) => (b.dueAt ?? 0) - (a.dueAt ?? 0));
        rows.push(...late);
      }
      this.#rows = rows;
      this.#fetchedAt = received;
      this.#error = null;
    } catch (error) {
      if (abort.signal.aborted) return;
      // Keep the last list: its countdowns still tick, and the widget shows its age.
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        this.#timer = setTimeout(() => {
          this.#timer = null;
          void this.#poll();
        }, POLL_MS);
      }
    }
  }
}
