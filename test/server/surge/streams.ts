// Scripted ticket streams for the surge tests: a seeded random source, realistic everyday subjects
// (English and Russian, with the tags a helpdesk puts on them) and an outage's worth of similar ones.
import type { NewTicket } from '../../../server/surge/clusters.js';

export const MINUTE = 60_000;
export const START = Date.UTC(2025, 2, 10, 9, 0, 0);

/** mulberry32: small, seeded, the same sequence on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Everyday support subjects, one topic each: none is about payments at checkout. */
export const EVERYDAY: readonly (readonly [string, readonly string[]])[] = [
  ['Cannot log in to the customer portal', ['login']],
  ['Password reset email never arrives', ['login', 'email']],
  ['Two-factor code not accepted', ['login', '2fa']],
  ['Account locked after failed login attempts', ['login', 'account']],
  ['How do I add a new user to our account?', ['account', 'how-to']],
  ['Need to transfer account ownership', ['account']],
  ['Change the billing contact on our account', ['billing']],
  ['Invoice shows the wrong VAT number', ['billing', 'invoice']],
  ['Refund request for unused licences', ['billing', 'refund']],
  ['How to cancel our subscription', ['billing', 'subscription']],
  ['Upgrade to the Business plan', ['sales']],
  ['Email notifications stopped arriving', ['email', 'notifications']],
  ['Export to CSV is missing columns', ['export', 'reports']],
  ['Report totals do not match the dashboard', ['reports']],
  ['Mobile app crashes on startup (Android)', ['mobile', 'android']],
  ['iOS app stuck on the loading screen', ['mobile', 'ios']],
  ['Push notifications delayed by hours', ['mobile', 'notifications']],
  ['Dashboard widgets show no data', ['dashboard']],
  ["File upload fails with 'request too large'", ['upload']],
  ['Attachments cannot be opened', ['attachments']],
  ['Search returns no results for existing records', ['search']],
  ['Outlook calendar sync stopped', ['integrations', 'outlook']],
  ['Google Workspace sync duplicates contacts', ['integrations', 'google']],
  ['Slack integration posts to the wrong channel', ['integrations', 'slack']],
  ['Please delete my personal data (GDPR)', ['privacy']],
  ['Desktop client will not update', ['desktop']],
  ['Printer not found after the last update', ['printing']],
  ['VPN disconnects every few minutes', ['vpn', 'network']],
  ['Data import stuck at 99%', ['import']],
  ['Scheduled reports not sent since yesterday', ['reports', 'scheduler']],
  ['Webhook deliveries failing with timeouts', ['api', 'webhooks']],
  ['Rate limit reached although usage is low', ['api']],
  ['Suspicious logins from unknown IP addresses', ['security']],
  ['Audit log export times out for large tenants', ['audit']],
  ['Dark mode resets after every restart', ['ui']],
  ['Wrong time zone on exported timesheets', ['timesheets']],
  ['Cannot share a folder with an external partner', ['sharing']],
  ['Keyboard shortcuts stopped responding in the editor', ['editor']],
  ['Request for a copy of our signed contract', ['legal']],
  ['Bulk delete removed the wrong tasks', ['tasks']],
  ['Не приходит письмо для сброса пароля', ['email']],
  ['Как поменять владельца аккаунта?', ['account']],
  ['Не открывается отчёт по продажам', ['reports']],
  ['Приложение на Android закрывается при запуске', ['mobile']],
  ['Нужен счёт с реквизитами компании', ['invoice']],
  ['Не синхронизируется календарь Outlook', ['integrations']],
  ['Пропали комментарии в задачах', ['tasks']],
  ['Медленно загружается страница проектов', ['performance']],
  ['Как подключить единый вход через SAML?', ['sso', 'how-to']],
  ['Ошибка при импорте контактов из Excel', ['import']],
  ['Нельзя прикрепить файл больше 20 МБ', ['upload']],
  ['Уведомления в Telegram не приходят', ['notifications']],
  ['Изменить тариф на годовой', ['sales']],
  ['Удалить сотрудника из рабочего пространства', ['account']],
  ['Не работает поиск по архиву', ['search']],
  ['Сбой печати накладных', ['printing']],
  ['Запрос на возврат средств', ['refund']],
  ['Не отображаются графики на дашборде', ['dashboard']],
  ['Как выгрузить журнал действий?', ['audit']],
  ['Блокировка учётной записи после смены телефона', ['login', '2fa']],
];

/** One outage, worded as many people word it: case, punctuation, word forms, English and Russian. */
export const PAYMENT_OUTAGE: readonly (readonly [string, readonly string[]])[] = [
  ['Payment failed at checkout', ['payments']],
  ['PAYMENTS FAILING at Checkout!!!', [' Payments']],
  ['payment fails on the checkout page', ['payments', 'checkout']],
  ['Оплата не проходит на checkout', ['payments']],
  ['Не проходит оплата картой (checkout)', ['PAYMENTS']],
  ['Checkout: payment failed again', ['payments']],
  ['Ошибка оплаты на checkout', ['payments']],
  ["Can't pay - checkout payment fails", ['payments', 'billing']],
  ['Оплату картой не принимает checkout', ['payments']],
  ['payments failed during checkout?!', ['payments']],
];

/** Everyday tickets from `from`, one about every `everyMs`, with distinct keys. */
export function everydayStream(random: () => number, count: number, from: number, everyMs: number, prefix = 'e'): NewTicket[] {
  const tickets: NewTicket[] = [];
  let at = from;
  for (let i = 0; i < count; i += 1) {
    // Exponential gaps: arrivals at a steady rate are a Poisson process.
    at += Math.round(-Math.log(1 - random()) * everyMs);
    const [subject, tags] = EVERYDAY[Math.floor(random() * EVERYDAY.length)]!;
    tickets.push({ key: `${prefix}-${i}`, line: 'l1', subject, tags, at });
  }
  return tickets;
}

/** `count` outage tickets from `from`, `gapMs` apart, cycling through the wordings. */
export function outageStream(count: number, from: number, gapMs: number, first = 0): NewTicket[] {
  return Array.from({ length: count }, (_, i) => {
    const [subject, tags] = PAYMENT_OUTAGE[(first + i) % PAYMENT_OUTAGE.length]!;
    return { key: `o-${first + i}`, line: 'l1', subject, tags, at: from + i * gapMs };
  });
}

/** Tickets merged by time, as a helpdesk would deliver them. */
export function merged(...streams: NewTicket[][]): NewTicket[] {
  return streams.flat().sort((a, b) => a.at - b.at);
}
