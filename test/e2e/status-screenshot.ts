// Screenshots of the status page and the console's template picker, for the docs:
// `npx tsx test/e2e/status-screenshot.ts` (after `npm run build:web`). Starts the real server with
// the shipped dashboards and STATUS_PUBLIC=1, a clock it moves to write a demo incident's hour
// (a SEV2 on Login and SSO with two customer updates, an internal one, and a SEV3 resolved the day
// before), then writes docs/status-phone.png (375×812), docs/status-desktop.png (1280×800) and
// docs/console-templates.png (the update form with the picker open).
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { bearer, startTestApp, TOKENS } from '../helpers/app.js';
import { launchBrowser, requireWebBuild, watchedPage } from '../helpers/browser.js';
import { REPO_ROOT as root } from '../helpers/demo-server.js';
import { baseUrl } from '../helpers/live-client.js';

const MINUTE = 60_000;
let offset = 0;
const t = await startTestApp({
  webRoot: requireWebBuild(),
  now: () => Date.now() + offset,
  env: { DASHBOARDS_DIR: path.join(root, 'dashboards'), STATUS_PUBLIC: '1' },
});
await t.app.listen({ host: '127.0.0.1', port: 0 });
const url = baseUrl(t.app);

/** A write as `role`, `minutesAgo` before now on the server's clock. */
async function write(
  app: FastifyInstance,
  minutesAgo: number,
  method: 'POST' | 'PATCH',
  target: string,
  body: object,
  role: keyof typeof TOKENS,
): Promise<string> {
  offset = -minutesAgo * MINUTE;
  const response = await app.inject({ method, url: target, headers: bearer(role), payload: body as Record<string, unknown> });
  if (response.statusCode >= 300) throw new Error(`${method} ${target}: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>().id;
}

const DAY = 24 * 60;
const old = await write(
  t.app,
  DAY + 180,
  'POST',
  '/api/v1/incidents',
  { title: 'Report exports time out', severity: 'SEV3', services: ['Reports'], summary: '' },
  'commander',
);
await write(
  t.app,
  DAY + 170,
  'POST',
  `/api/v1/incidents/${old}/updates`,
  { audience: 'customers', text: 'Exporting large reports times out. Smaller date ranges work in the meantime.' },
  'supervisor',
);
await write(t.app, DAY + 95, 'PATCH', `/api/v1/incidents/${old}`, { status: 'resolved' }, 'commander');
await write(
  t.app,
  DAY + 94,
  'POST',
  `/api/v1/incidents/${old}/updates`,
  { audience: 'customers', text: 'Report exports work again, whatever their size. Thank you for your patience.' },
  'supervisor',
);

const id = await write(
  t.app,
  52,
  'POST',
  '/api/v1/incidents',
  { title: 'Login fails after the 4.2 release', severity: 'SEV2', services: ['Login', 'SSO'], summary: 'Password logins fail with 502 since 09:40.' },
  'commander',
);
await write(
  t.app,
  47,
  'POST',
  `/api/v1/incidents/${id}/updates`,
  {
    audience: 'customers',
    text: 'We are investigating an issue affecting Login, SSO: some of you cannot sign in. We will post the next update within the hour.',
  },
  'supervisor',
);
await write(
  t.app,
  40,
  'POST',
  `/api/v1/incidents/${id}/updates`,
  { audience: 'internal', text: 'Auth pods restart in a loop since the 4.2 deploy; L3 looking at the config diff.' },
  'supervisor',
);
await write(t.app, 22, 'PATCH', `/api/v1/incidents/${id}`, { status: 'identified' }, 'commander');
await write(
  t.app,
  20,
  'POST',
  `/api/v1/incidents/${id}/updates`,
  {
    audience: 'customers',
    text: 'We have found the cause (a configuration change in the 4.2 release) and are rolling it back. Signing in with SSO works meanwhile.',
  },
  'supervisor',
);
offset = 0;

const browser = await launchBrowser();
let failed = false;
try {
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  for (const [file, viewport] of [
    ['status-phone.png', { width: 375, height: 812 }],
    ['status-desktop.png', { width: 1280, height: 800 }],
  ] as const) {
    const watched = await watchedPage(browser, viewport);
    await watched.page.goto(`${url}/status?lang=en`);
    await watched.page.waitForSelector('[data-service="Login"][data-state="degraded"]', { timeout: 10_000 });
    await watched.page.screenshot({ path: path.join(root, 'docs', file) });
    console.log(`docs/${file} (${viewport.width}×${viewport.height})`);
    const problems = [...watched.problems, ...(await watched.violations())];
    for (const problem of problems) console.log(`  browser: ${problem}`);
    if (problems.length > 0) failed = true;
    await watched.page.context().close();
  }

  const console_ = await watchedPage(browser, { width: 1440, height: 1000 });
  await console_.page.goto(`${url}/command/${id}?token=${TOKENS.commander}&lang=en`);
  await console_.page.waitForSelector(`[data-incident="${id}"]`, { timeout: 10_000 });
  await console_.page.click('form[data-form="update"] [data-action="templates"]');
  await console_.page.waitForSelector('[data-template="customers-identified"]', { timeout: 5_000 });
  const panel = console_.page.locator('[data-panel="updates"]');
  await panel.scrollIntoViewIfNeeded();
  // The pointer rests on the picker's button, not on whichever template scrolled under it.
  await console_.page.hover('form[data-form="update"] [data-action="templates"]');
  await panel.screenshot({ path: path.join(root, 'docs', 'console-templates.png') });
  console.log('docs/console-templates.png (the update form with the picker open)');
  const problems = [...console_.problems, ...(await console_.violations())];
  for (const problem of problems) console.log(`  browser: ${problem}`);
  if (problems.length > 0) failed = true;
} finally {
  await browser.close();
  await t.close();
}
process.exit(failed ? 1 : 0);
