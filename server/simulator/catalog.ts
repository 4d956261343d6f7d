// What the demo tickets are about, how urgent they are and what SLA applies: support subjects with
// their tags, the themes of bursts (many similar tickets at once: an outage, a bad release), the
// priority mix and the SLA policy per priority.
import type { Priority } from '../../contract/domain.js';
import type { Line } from './roster.js';

export interface Subject {
  subject: string;
  tags: readonly string[];
  /** The line the ticket is filed to; most land on L1. */
  line?: Line;
  /** Relative frequency (default 1). */
  weight?: number;
}

export const SUBJECTS: readonly Subject[] = [
  { subject: 'Cannot log in to the customer portal', tags: ['login'], weight: 3 },
  { subject: 'Password reset email never arrives', tags: ['login', 'email'], weight: 3 },
  { subject: 'Two-factor code not accepted', tags: ['login', '2fa'], weight: 2 },
  { subject: 'Account locked after failed login attempts', tags: ['login', 'account'], weight: 2 },
  { subject: 'How do I add a new user to our account?', tags: ['account', 'how-to'], weight: 2 },
  { subject: 'Need to transfer account ownership', tags: ['account'] },
  { subject: 'Change the billing contact on our account', tags: ['billing'] },
  { subject: 'Invoice shows the wrong VAT number', tags: ['billing', 'invoice'] },
  { subject: 'Charged twice this month', tags: ['billing', 'payments'], weight: 2 },
  { subject: 'Card payment declined at checkout', tags: ['payments'], weight: 2 },
  { subject: 'Refund request for unused licences', tags: ['billing', 'refund'] },
  { subject: "Cannot download last month's invoice", tags: ['billing', 'invoice'] },
  { subject: 'How to cancel our subscription', tags: ['billing', 'subscription'] },
  { subject: 'Upgrade to the Business plan', tags: ['billing', 'sales'] },
  { subject: 'Email notifications stopped arriving', tags: ['email', 'notifications'], weight: 2 },
  { subject: 'Export to CSV is missing columns', tags: ['export', 'reports'] },
  { subject: 'Report totals do not match the dashboard', tags: ['reports'] },
  { subject: 'Mobile app crashes on startup (Android)', tags: ['mobile', 'android', 'crash'], weight: 2 },
  { subject: 'iOS app stuck on the loading screen', tags: ['mobile', 'ios'] },
  { subject: 'Push notifications delayed by hours', tags: ['mobile', 'notifications'] },
  { subject: 'Pages load very slowly', tags: ['performance'], weight: 2 },
  { subject: 'Dashboard widgets show no data', tags: ['dashboard'] },
  { subject: "File upload fails with 'request too large'", tags: ['upload'] },
  { subject: 'Attachments cannot be opened', tags: ['upload', 'attachments'] },
  { subject: 'Search returns no results for existing records', tags: ['search'] },
  { subject: 'Outlook calendar sync stopped', tags: ['integrations', 'outlook'] },
  { subject: 'Google Workspace sync duplicates contacts', tags: ['integrations', 'google'] },
  { subject: 'Slack integration posts to the wrong channel', tags: ['integrations', 'slack'] },
  { subject: 'Please delete my personal data (GDPR)', tags: ['privacy', 'gdpr'] },
  { subject: 'Desktop client will not update', tags: ['desktop', 'update'] },
  { subject: 'Printer not found after the last update', tags: ['desktop', 'printing'] },
  { subject: 'VPN disconnects every few minutes', tags: ['vpn', 'network'], weight: 2 },
  { subject: 'Data import stuck at 99%', tags: ['import'] },
  { subject: 'Scheduled reports not sent since yesterday', tags: ['reports', 'scheduler'] },
  { subject: 'API returns 500 on /v2/orders', tags: ['api', 'errors'], line: 'l2' },
  { subject: 'Webhook deliveries failing with timeouts', tags: ['api', 'webhooks'], line: 'l2' },
  { subject: 'SAML login fails for the whole team', tags: ['sso', 'login'], line: 'l2' },
  { subject: 'Rate limit reached although usage is low', tags: ['api', 'rate-limit'], line: 'l2' },
  { subject: 'Suspicious logins from unknown IP addresses', tags: ['security'], line: 'l2', weight: 0.5 },
  { subject: "Records missing after last night's migration", tags: ['data', 'migration'], line: 'l3', weight: 0.3 },
  { subject: 'Audit log export times out for large tenants', tags: ['audit', 'export'], line: 'l3', weight: 0.3 },
];

export interface BurstTheme {
  /** The tag every ticket of the burst shares, so an incident can match on it. */
  tag: string;
  subjects: readonly string[];
  tags: readonly string[];
}

export const BURST_THEMES: readonly BurstTheme[] = [
  {
    tag: 'sso-outage',
    subjects: ['Cannot log in with SSO', 'SAML error: invalid response', 'Login loops back to the sign-in page', 'Whole team locked out since this morning'],
    tags: ['login', 'sso'],
  },
  {
    tag: 'email-delay',
    subjects: ['Notifications arriving hours late', 'Password reset email not received', 'No emails from you since this morning'],
    tags: ['email', 'notifications'],
  },
  {
    tag: 'payments-outage',
    subjects: ['Card payment fails with error 502', 'Checkout page spins forever', 'Customers cannot pay their invoices'],
    tags: ['payments', 'billing'],
  },
  {
    tag: 'api-5xx',
    subjects: ['API returns 503 intermittently', 'Our integration sync keeps failing', 'Webhook deliveries timing out'],
    tags: ['api', 'errors'],
  },
  {
    tag: 'mobile-4-12',
    subjects: ['App crashes after updating to 4.12', 'Cannot open the app after the update', 'Login screen blank in the new version'],
    tags: ['mobile', 'crash'],
  },
  {
    tag: 'eu-slowness',
    subjects: ['Everything is very slow today', 'Pages time out in the EU region', 'Dashboard takes minutes to load'],
    tags: ['performance'],
  },
];

/** The everyday priority mix. */
export const PRIORITY_SHARES: readonly (readonly [Priority, number])[] = [
  ['urgent', 0.04],
  ['high', 0.18],
  ['normal', 0.58],
  ['low', 0.2],
];

/** During a burst people shout louder. */
export const BURST_PRIORITY_SHARES: readonly (readonly [Priority, number])[] = [
  ['urgent', 0.15],
  ['high', 0.45],
  ['normal', 0.35],
  ['low', 0.05],
];

export interface SlaPolicy {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** Calendar-time targets (no business hours), so night tickets can breach and the wall shows it. */
export const SLA_POLICIES: Readonly<Record<Priority, SlaPolicy>> = {
  urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  normal: { firstResponseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60 },
};

/** Customer satisfaction ratings: mostly good, with a visible tail of unhappy customers. */
export const CSAT_SHARES: readonly (readonly [number, number])[] = [
  [5, 0.56],
  [4, 0.26],
  [3, 0.08],
  [2, 0.04],
  [1, 0.06],
];
