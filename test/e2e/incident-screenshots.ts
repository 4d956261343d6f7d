// Screenshots of a major incident for the README: `npx tsx test/e2e/incident-screenshots.ts` (after
// `npm run build`). Starts the real server with the simulator's traffic and the shipped dashboards,
// declares a SEV1 through the API the way a commander would run it (roles, tasks, an internal and a
// customer update), then opens the console and two walls in headless Chromium at 1920×1080, checks
// that the walls neither scroll nor overflow, and writes docs/command-incident.png (the whole page),
// docs/command-list.png, docs/wall-incident-1080p.png (support: takeover) and
// docs/wall-incident-banner.png (a copy of support with `incidentMode: "banner"`), then makes two
// commanders edit at once and writes the console's conflict notice, docs/command-conflict.png.
//
// SCREENSHOT_WAIT_MS (default 20000) is how long the simulator runs before the incident, so the
// queues have numbers and linked tickets have arrived.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../contract/incidents.js';
import { Simulator } from '../../server/simulator/simulator.js';
import { startTestApp, tempDir, TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage, overflowReport, requireWebBuild } from '../helpers/browser.js';
import { baseUrl } from '../helpers/live-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const waitMs = Number(process.env.SCREENSHOT_WAIT_MS ?? 20_000);

const webRoot = requireWebBuild();
// The shipped dashboards, and a lobby board that shows incidents as a bar (a temporary copy).
const dashDir = tempDir('watchfloor-dashboards-');
for (const file of fs.readdirSync(path.join(root, 'dashboards')).filter((f) => f.endsWith('.json'))) {
  fs.copyFileSync(path.join(root, 'dashboards', file), path.join(dashDir, file));
}
const support = JSON.parse(fs.readFileSync(path.join(dashDir, 'support.json'), 'utf8')) as Record<string, unknown>;
fs.writeFileSync(path.join(dashDir, 'lobby.json'), JSON.stringify({ ...support, id: 'lobby', title: 'Lobby', incidentMode: 'banner' }));
const t = await startTestApp({ webRoot, env: { DASHBOARDS_DIR: dashDir } });
await t.app.listen({ host: '127.0.0.1', port: 0 });
const url = baseUrl(t.app);
const simulator = new Simulator({ ingest: (events) => t.app.ingest.ingestEvents(events) });
await simulator.start();
console.log(`server with simulated traffic on ${url}; running ${Math.round(waitMs / 1000)} s`);
await new Promise((resolve) => setTimeout(resolve, waitMs));

async function api(method: string, pathname: string, body: unknown, role: keyof typeof TOKENS = 'commander', version?: number): Promise<Incident> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS[role]}`, 'content-type': 'application/json' };
  if (version !== undefined) headers['if-match'] = String(version);
  const response = await fetch(`${url}${pathname}`, { method, headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Incident;
}

let failed = false;
const browser = await launchBrowser();
try {
  let incident = await api('POST', '/api/v1/incidents', {
    title: 'Card payments fail at checkout',
    severity: 'SEV1',
    summary: 'Checkout answers "payment declined" for most cards since 09:40; invoices and refunds are not affected.',
    services: ['checkout', 'payments'],
    match: { tags: ['payments'], keywords: ['checkout', 'declined'] },
  });
  const id = incident.id;
  incident = await api('PATCH', `/api/v1/incidents/${id}`, {
    roles: { commander: 'Anna K.', communications: 'Maria K.', operations: 'Dev L3 on call', scribe: 'Oleg' },
  });
  incident = await api('PATCH', `/api/v1/incidents/${id}`, { status: 'identified' });
  for (const [title, owner] of [
    ['Roll back payment gateway config 4.12', 'Dev L3 on call'],
    ['Status page: post the outage', 'Maria K.'],
    ['Macro for L1: "payment declined" answer', 'L1 lead'],
    ['List customers charged twice', null],
  ] as const) {
    incident = await api('POST', `/api/v1/incidents/${id}/tasks`, owner === null ? { title } : { title, owner }, 'supervisor');
  }
  incident = await api('PATCH', `/api/v1/incidents/${id}/tasks/t2`, { done: true }, 'supervisor');
  incident = await api(
    'POST',
    `/api/v1/incidents/${id}/updates`,
    { audience: 'internal', text: 'Gateway config 4.12 went out at 09:38; rollback started. L1: use the macro, do not promise a time.' },
    'supervisor',
  );
  incident = await api(
    'POST',
    `/api/v1/incidents/${id}/updates`,
    {
      audience: 'customers',
      text: 'Card payments at checkout are failing for most customers. We have found the cause and are rolling back a configuration change. Next update by 10:45.',
    },
    'supervisor',
  );
  console.log(`declared ${id} (version ${incident.version})`);

  const shots: Array<{ file: string; path: string; width: number; height: number; fullPage: boolean; wall: 'takeover' | 'banner' | null }> = [
    {
      file: 'docs/wall-incident-1080p.png',
      path: `/wall/support?token=${TOKENS.viewer}&name=screenshots`,
      width: 1920,
      height: 1080,
      fullPage: false,
      wall: 'takeover',
    },
    {
      file: 'docs/wall-incident-banner.png',
      path: `/wall/lobby?token=${TOKENS.viewer}&name=lobby`,
      width: 1920,
      height: 1080,
      fullPage: false,
      wall: 'banner',
    },
    { file: 'docs/command-incident.png', path: `/command/${id}?token=${TOKENS.commander}&lang=en`, width: 1920, height: 1080, fullPage: true, wall: null },
    { file: 'docs/command-list.png', path: `/command?token=${TOKENS.commander}&lang=en`, width: 1920, height: 1080, fullPage: false, wall: null },
  ];
  for (const shot of shots) {
    const { page, errors } = await openPage(browser, { width: shot.width, height: shot.height });
    await page.goto(`${url}${shot.path}`);
    if (shot.wall !== null) {
      const ready =
        shot.wall === 'takeover'
          ? 'body[data-connection="live"][data-dashboard="incident"] [data-type="incident"] .large'
          : 'body[data-connection="live"][data-dashboard="lobby"] [data-banner="incident"]';
      await page.waitForSelector(ready, { state: 'attached', timeout: 15_000 });
      // Let the queue numbers and the sparkline settle.
      await page.waitForTimeout(5_000);
    } else {
      await page.waitForSelector('body[data-connection="live"]', { state: 'attached', timeout: 15_000 });
      await page.waitForSelector(shot.path.startsWith('/command/') ? '[data-panel="timeline"] li' : '[data-list="active"] tr[data-incident]', {
        timeout: 15_000,
      });
      await page.waitForTimeout(1_000);
    }
    const problems = shot.wall !== null ? await overflowReport(page) : [];
    problems.push(...errors.map((e) => `browser error: ${e}`));
    const file = path.join(root, shot.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: shot.fullPage });
    console.log(`${shot.file}${problems.length ? '' : ': no problems'}`);
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length > 0) failed = true;
    await page.context().close();
  }

  // Two commanders at once: the console's edit was decided on an older version than the server's.
  {
    const { page, errors } = await openPage(browser, { width: 1920, height: 1080 });
    await page.goto(`${url}/command/${id}?token=${TOKENS.commander}&lang=en`);
    await page.waitForSelector('[data-panel="timeline"] li', { timeout: 15_000 });
    await page.click('[data-action="edit-details"]');
    await page.fill('form[data-form="details"] textarea[name="summary"]', 'Checkout declines Visa cards since 09:40.');
    const current = (await (await fetch(`${url}/api/v1/incidents/${id}`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } })).json()) as Incident;
    const other = await fetch(`${url}/api/v1/incidents/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json', 'if-match': String(current.version) },
      body: JSON.stringify({ summary: 'Checkout declines all card brands since 09:40; PayPal works.', severity: 'SEV2' }),
    });
    if (!other.ok) throw new Error(`the other commander's PATCH answered ${other.status}`);
    await page.waitForSelector(`[data-incident="${id}"][data-version="${current.version + 2}"]`, { state: 'attached', timeout: 5_000 });
    await page.click('form[data-form="details"] button[type="submit"]');
    await page.waitForSelector('[data-conflict]', { timeout: 5_000 });
    await page.screenshot({ path: path.join(root, 'docs/command-conflict.png') });
    const problems = errors.filter((e) => !/status of 409/.test(e));
    console.log(`docs/command-conflict.png${problems.length ? '' : ': no problems'}`);
    for (const problem of problems) console.log(`  browser error: ${problem}`);
    if (problems.length > 0) failed = true;
    await page.context().close();
  }
} finally {
  await browser.close();
  simulator.stop();
  await t.close();
  fs.rmSync(dashDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
