// Outages with ground truth (`DEMO_SCENARIO=outages`, docs/contract.md#surge-detection): bursts of
// similar tickets on one line, as after a real release gone wrong, each ticket known to belong to
// its outage. The surge bench scores the detector against that truth; the demo injects them live so
// a suggestion shows within minutes. Pure and seeded: the same random stream gives the same outages.
//
// Realistic on purpose, so the bench measures something: customers word one outage many ways and
// in two languages, decorate subjects ("URGENT:", "[Acme]", "!!!"), and a helpdesk's product tag is
// on some tickets of some outages only. The truth is never in the ticket (a Map key → outage id).
import type { Priority } from '../../contract/domain.js';
import { BURST_PRIORITY_SHARES } from './catalog.js';
import { between, chance, pick, weighted, type Random } from './random.js';
import type { Line } from './roster.js';

const MINUTE = 60_000;

/** `DEMO_SCENARIO` values (docs/contract.md#configuration); unset is the everyday demo. */
export const DEMO_SCENARIOS = ['outages'] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

export interface OutageTheme {
  id: string;
  /** What broke, for logs and reports. */
  title: string;
  /** The line customers' tickets land on. */
  line: Line;
  /** The tag a helpdesk's triggers put on some of its tickets (the catalogue's vocabulary). */
  tag: string;
  en: readonly string[];
  ru: readonly string[];
}

export const OUTAGE_THEMES: readonly OutageTheme[] = [
  {
    id: 'login-release',
    title: 'login broken after a release',
    line: 'l1',
    tag: 'login',
    en: [
      'Cannot log in since the new release',
      "Login page says 'Something went wrong'",
      "Login fails after today's update",
      "Can't sign in to the portal anymore",
      'Sign-in broken after release 5.3',
      'Error 500 when logging in',
      'Login not working for any of our users',
      'Stuck on the login screen after entering the password',
      'Unable to login - page just reloads',
    ],
    ru: [
      'Не могу войти в личный кабинет',
      'Ошибка при входе после обновления',
      'Не работает вход в систему',
      'Вход не работает после релиза',
      'После обновления не пускает в кабинет',
      'Ошибка 500 при авторизации',
    ],
  },
  {
    id: 'payments-checkout',
    title: 'payments failing at checkout',
    line: 'l1',
    tag: 'payments',
    en: [
      'Payment fails at checkout',
      'Checkout error: payment could not be processed',
      "Card declined at checkout but the bank says it's fine",
      "Customers can't pay, checkout fails",
      'Payment page shows error 502',
      "Checkout stuck on 'processing payment'",
      'Unable to complete payment',
      'Payments failing for all cards',
    ],
    ru: [
      'Не проходит оплата картой',
      'Ошибка оплаты при оформлении заказа',
      'Оплата не проходит',
      'Клиенты не могут оплатить заказ',
      'Ошибка 502 на странице оплаты',
    ],
  },
  {
    id: 'email-delivery',
    title: 'emails not delivered',
    line: 'l1',
    tag: 'email',
    en: [
      'Emails not delivered',
      'Our customers are not receiving emails',
      'Notification emails not arriving since this morning',
      'Password reset email not delivered',
      'Outgoing emails stuck in the queue',
      'No emails received from your system',
      'Email delivery delayed for hours',
    ],
    ru: [
      'Не приходят письма',
      'Письма не доставляются клиентам',
      'Не приходят уведомления на почту',
      'Письмо для сброса пароля не приходит',
      'Почта не отправляется',
    ],
  },
  {
    id: 'api-502',
    title: 'API answering 502',
    line: 'l2',
    tag: 'api',
    en: [
      'API returns 502 Bad Gateway',
      'Getting 502 errors from the API',
      'API calls failing with 502',
      'Bad Gateway on /v2/orders',
      'Our integration gets 502 from your API',
      'API intermittently returns 502/504',
      'REST API down? All requests fail with 502',
    ],
    ru: ['API возвращает 502', 'Ошибка 502 при запросах к API', 'Интеграция падает с ошибкой 502 Bad Gateway', 'API не отвечает, ошибка 502'],
  },
  {
    id: 'mobile-crash',
    title: 'mobile app crashing after an update',
    line: 'l1',
    tag: 'mobile',
    en: [
      'App crashes after update',
      'Mobile app crashes on launch after updating',
      'iOS app closes right after the latest update',
      'Android app keeps crashing since version 4.13',
      'App crashes when opening orders',
      "The app won't open after the update",
    ],
    ru: [
      'Приложение вылетает после обновления',
      'Мобильное приложение падает при запуске',
      'После обновления приложение не открывается',
      'Вылетает приложение на Android',
    ],
  },
  {
    id: 'sso-saml',
    title: 'SSO / SAML sign-in errors',
    line: 'l2',
    tag: 'sso',
    en: [
      'SSO login fails with SAML error',
      'SAML response invalid',
      'Cannot sign in via SSO',
      'Okta SSO login broken',
      'SAML assertion error when logging in',
      'Single sign-on not working for our team',
      'Azure AD SSO returns an error',
    ],
    ru: ['Не работает вход через SSO', 'Ошибка SAML при входе', 'SSO не пускает сотрудников', 'Ошибка единого входа (SAML)'],
  },
  {
    id: 'export-timeout',
    title: 'exports timing out',
    line: 'l2',
    tag: 'export',
    en: [
      'Export times out',
      'CSV export never finishes',
      'Report export fails with a timeout',
      'Export to Excel times out for large reports',
      'Data export stuck, then times out',
      'Timeout when exporting reports',
    ],
    ru: ['Экспорт отчёта падает по таймауту', 'Не выгружается отчёт в Excel', 'Выгрузка в CSV зависает', 'Таймаут при экспорте данных'],
  },
];

// How people dress a subject when something is on fire: most leave it alone.
const EN_PREFIXES = ['URGENT: ', 'Urgent - ', '[Acme Corp] ', 'Re: ', 'Fwd: ', 'Production down: '];
const EN_SUFFIXES = [' !!!', ' (again)', ' - since 10:40', ' - whole team affected', ' - please check ASAP', '?'];
const RU_PREFIXES = ['СРОЧНО: ', 'Срочно! ', '[ООО Ромашка] ', 'Re: '];
const RU_SUFFIXES = [' !!!', ' (у всех сотрудников)', ' с утра', ', помогите'];
const DECORATED_SHARE = 0.35;

/** Bounds of an outage (docs/contract.md#surge-detection: the bench's injected outages). */
export const OUTAGE_TICKETS = { min: 8, max: 60 } as const;
export const OUTAGE_MINUTES = { min: 10, max: 45 } as const;

export interface Outage {
  id: string;
  theme: string;
  title: string;
  line: Line;
  /** When it broke, ms: its tickets follow over `durationMs`. */
  startMs: number;
  /** Its first ticket's time: what the time to suggest is counted from. */
  firstTicketMs: number;
  durationMs: number;
  tickets: number;
  /** The tag some of its tickets share; null when the helpdesk tagged none. */
  tag: string | null;
  /** Share of its tickets written in Russian. */
  russianShare: number;
}

export interface OutageTicket {
  /** Unique: the outage's id and the ticket's number in it (`o3-12`); the demo's ticket id is the run's tag and this. */
  key: string;
  line: Line;
  subject: string;
  tags: string[];
  priority: Priority;
  at: number;
}

export interface OutagePlan {
  outages: Outage[];
  /** Every outage's tickets, in time order. */
  tickets: OutageTicket[];
  /** The ground truth: ticket key → outage id. */
  truth: Map<string, string>;
}

/**
 * One outage starting at `startMs`: 8–60 tickets over 10–45 minutes, arriving on a ramp (a few
 * reports, then the rush as everyone notices, then a tail), worded from its theme in English,
 * Russian or both.
 */
export function generateOutage(
  random: Random,
  id: string,
  startMs: number,
  theme: OutageTheme = pick(random, OUTAGE_THEMES),
): { outage: Outage; tickets: OutageTicket[] } {
  const size = OUTAGE_TICKETS.min + Math.floor(random() * (OUTAGE_TICKETS.max - OUTAGE_TICKETS.min + 1));
  const durationMs = between(random, OUTAGE_MINUTES.min, OUTAGE_MINUTES.max) * MINUTE;
  // Where the rush peaks, as a share of the duration: the first few reports come slowly.
  const peak = between(random, 0.1, 0.3);
  const russianShare = weighted(random, [
    [0, 0.4],
    [between(random, 0.2, 0.5), 0.4],
    [between(random, 0.7, 1), 0.2],
  ]);
  // A third of outages carry no shared tag at all; otherwise a trigger tags some of the tickets.
  const tagShare = chance(random, 1 / 3) ? 0 : between(random, 0.4, 1);
  const offsets = Array.from({ length: size }, () => triangular(random(), peak)).sort((a, b) => a - b);
  const tickets: OutageTicket[] = offsets.map((offset, i) => {
    const russian = chance(random, russianShare);
    const tags = chance(random, tagShare) ? [theme.tag] : [];
    return {
      key: `${id}-${i + 1}`,
      line: theme.line,
      subject: decorate(random, pick(random, russian ? theme.ru : theme.en), russian),
      tags,
      priority: weighted(random, BURST_PRIORITY_SHARES),
      // Whole seconds, as helpdesks report.
      at: startMs + Math.round((offset * durationMs) / 1000) * 1000,
    };
  });
  const outage: Outage = {
    id,
    theme: theme.id,
    title: theme.title,
    line: theme.line,
    startMs,
    firstTicketMs: tickets[0]?.at ?? startMs,
    durationMs,
    tickets: size,
    tag: tagShare > 0 ? theme.tag : null,
    russianShare,
  };
  return { outage, tickets };
}

export interface PlanOptions {
  random: Random;
  fromMs: number;
  untilMs: number;
  count: number;
  /** Prefix of the outage ids (`o` by default: `o1`, `o2`, …). */
  idPrefix?: string;
  /** Least time between two outages' starts (default 2 h), so no two overlap. */
  minGapMs?: number;
}

/** `count` outages at random times in [fromMs, untilMs), apart by at least `minGapMs`, with their truth. */
export function planOutages(options: PlanOptions): OutagePlan {
  const minGapMs = options.minGapMs ?? 2 * 60 * MINUTE;
  const latest = options.untilMs - OUTAGE_MINUTES.max * MINUTE;
  if (options.count < 0 || latest - options.fromMs < (options.count - 1) * minGapMs * 2)
    throw new RangeError(`outages: ${options.count} outages ${minGapMs / MINUTE} min apart do not fit in the span`);
  const starts: number[] = [];
  // The span holds twice what is asked, so a few draws per outage find room.
  for (let attempt = 0; starts.length < options.count; attempt += 1) {
    if (attempt > 1000 * (options.count + 1)) throw new RangeError('outages: no room found for every outage');
    const at = Math.round(between(options.random, options.fromMs, latest) / 1000) * 1000;
    if (starts.every((s) => Math.abs(s - at) >= minGapMs)) starts.push(at);
  }
  starts.sort((a, b) => a - b);
  const outages: Outage[] = [];
  const tickets: OutageTicket[] = [];
  const truth = new Map<string, string>();
  for (const [n, startMs] of starts.entries()) {
    const generated = generateOutage(options.random, `${options.idPrefix ?? 'o'}${n + 1}`, startMs);
    outages.push(generated.outage);
    for (const ticket of generated.tickets) {
      tickets.push(ticket);
      truth.set(ticket.key, generated.outage.id);
    }
  }
  tickets.sort((a, b) => a.at - b.at);
  return { outages, tickets, truth };
}

export interface ScheduleOptions {
  random: Random;
  /** The first outage's start. */
  firstAtMs: number;
  /** Minutes from one outage's start to the next's (default 30–60). */
  gapMinutes?: { min: number; max: number };
  /** Prefix of the outage ids (`o` by default: `o1`, `o2`, …). */
  idPrefix?: string;
  /** Told of each outage as it is planned (the demo logs them: the truth for whoever watches). */
  onOutage?: (outage: Outage) => void;
}

/**
 * The demo's endless outages: one at `firstAtMs`, then one every 30–60 minutes, planned as time
 * reaches them. Holds at most the tickets of the outages not yet over (gaps exceed durations, so two).
 */
export class OutageSchedule {
  private readonly random: Random;
  private readonly gap: { min: number; max: number };
  private readonly idPrefix: string;
  private readonly onOutage: (outage: Outage) => void;
  private nextStartMs: number;
  private planned = 0;
  private pending: OutageTicket[] = [];

  constructor(options: ScheduleOptions) {
    this.random = options.random;
    this.gap = options.gapMinutes ?? { min: 30, max: 60 };
    this.idPrefix = options.idPrefix ?? 'o';
    this.onOutage = options.onOutage ?? (() => {});
    this.nextStartMs = options.firstAtMs;
  }

  /** The outage tickets arriving before `untilMs` not taken yet, in time order. */
  take(untilMs: number): OutageTicket[] {
    while (this.nextStartMs < untilMs) {
      this.planned += 1;
      const { outage, tickets } = generateOutage(this.random, `${this.idPrefix}${this.planned}`, this.nextStartMs);
      this.onOutage(outage);
      this.pending.push(...tickets);
      this.nextStartMs += between(this.random, this.gap.min, this.gap.max) * MINUTE;
    }
    this.pending.sort((a, b) => a.at - b.at);
    const due = this.pending.filter((t) => t.at < untilMs);
    this.pending = this.pending.filter((t) => t.at >= untilMs);
    return due;
  }
}

/** Inverse CDF of the triangular distribution on [0, 1] with its mode at `mode`. */
function triangular(u: number, mode: number): number {
  return u < mode ? Math.sqrt(u * mode) : 1 - Math.sqrt((1 - u) * (1 - mode));
}

function decorate(random: Random, subject: string, russian: boolean): string {
  if (!chance(random, DECORATED_SHARE)) return chance(random, 0.1) ? subject.toLowerCase() : subject;
  return chance(random, 0.5) ? pick(random, russian ? RU_PREFIXES : EN_PREFIXES) + subject : subject + pick(random, russian ? RU_SUFFIXES : EN_SUFFIXES);
}
