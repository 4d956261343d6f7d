// A screenshot of the incident console's follow-ups for the docs: `npx tsx test/e2e/follow-ups-screenshot.ts`
// (after `npm run build:web`). Starts the real server, runs a SEV2 through the API to its
// resolution the way a commander would (roles, tasks, updates), adds four follow-ups (one done,
// one decided against, one past its due time, one due next week), then opens its console at
// 1920×1080 in headless Chromium, scrolls the follow-ups panel into view and writes
// docs/console-follow-ups.png. Fails when the page logged an error or the panel spills sideways.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../contract/incidents.js';
import { startTestApp, TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { baseUrl } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const out = path.join(root, 'docs', 'console-follow-ups.png');
const HOUR = 3600_000;

const webRoot = requireWebBuild();
const t = await startTestApp({ webRoot });
await t.app.listen({ host: '127.0.0.1', port: 0 });
const url = baseUrl(t.app);

async function api(method: string, pathname: string, body: unknown, role: keyof typeof TOKENS = 'commander'): Promise<Incident> {
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${TOKENS[role]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Incident;
}

let failed = false;
const browser = await launchBrowser();
try {
  const { id } = await api('POST', '/api/v1/incidents', {
    title: 'Card payments fail at checkout',
    severity: 'SEV2',
    summary: 'Checkout answered "payment declined" for most cards from 09:40 to 10:25; a gateway configuration change was rolled back.',
    services: ['checkout', 'payments'],
    match: { tags: ['payments'], keywords: ['checkout', 'declined'] },
  });
  await api('PATCH', `/api/v1/incidents/${id}`, { roles: { commander: 'Anna K.', communications: 'Maria K.', operations: 'Dev L3 on call' } });
  for (const [title, owner] of [
    ['Roll back payment gateway config 4.12', 'Dev L3 on call'],
    ['Status page: post the outage', 'Maria K.'],
  ] as const) {
    await api('POST', `/api/v1/incidents/${id}/tasks`, { title, owner }, 'supervisor');
  }
  await api('PATCH', `/api/v1/incidents/${id}/tasks/t1`, { done: true }, 'supervisor');
  await api('PATCH', `/api/v1/incidents/${id}/tasks/t2`, { done: true }, 'supervisor');
  await api(
    'POST',
    `/api/v1/incidents/${id}/updates`,
    { audience: 'customers', text: 'Card payments work again since 10:25. We are sorry for the trouble; a review follows.' },
    'supervisor',
  );
  await api('PATCH', `/api/v1/incidents/${id}`, { status: 'resolved' });

  const now = Date.now();
  const followUps = [
    { title: 'Write the post-incident review', owner: 'Anna K.', dueAt: new Date(now + 2 * 24 * HOUR).toISOString() },
    { title: 'Alert on the gateway decline rate above 5 %', owner: 'Dev L3 on call', dueAt: new Date(now - 3 * HOUR).toISOString() },
    { title: 'Refund customers charged twice', owner: 'Billing lead', dueAt: new Date(now + 24 * HOUR).toISOString() },
    { title: 'Staged rollout for gateway configuration', owner: 'Platform team', dueAt: new Date(now + 7 * 24 * HOUR).toISOString() },
    { title: 'Second payment provider as a fallback', owner: 'Head of payments', dueAt: new Date(now + 30 * 24 * HOUR).toISOString() },
  ];
  for (const followUp of followUps) await api('POST', `/api/v1/incidents/${id}/follow-ups`, followUp, 'supervisor');
  await api('PATCH', `/api/v1/incidents/${id}/follow-ups/f3`, { status: 'done' }, 'supervisor');
  await api('PATCH', `/api/v1/incidents/${id}/follow-ups/f5`, { status: 'wontfix' }, 'supervisor');

  const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/command/${id}?token=${TOKENS.supervisor}&lang=en`);
  await page.waitForSelector('body[data-connection="live"]', { state: 'attached', timeout: 15_000 });
  await page.waitForSelector('[data-panel="follow-ups"] li[data-follow-up="f2"][data-overdue="true"]', { timeout: 15_000 });
  await page.locator('[data-panel="follow-ups"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(500);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  const spills = await page.$eval('[data-panel="follow-ups"]', (el) => el.scrollWidth > el.clientWidth);
  const problems = [...errors.map((e) => `browser error: ${e}`), ...(spills ? ['the follow-ups panel spills sideways'] : [])];
  console.log(`docs/console-follow-ups.png${problems.length ? '' : ': no problems'}`);
  for (const problem of problems) console.log(`  ${problem}`);
  if (problems.length > 0) failed = true;
} finally {
  await browser.close();
  await t.close();
}
process.exit(failed ? 1 : 0);
