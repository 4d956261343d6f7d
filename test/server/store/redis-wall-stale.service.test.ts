// Redis gone while walls stay connected to their instance (docs/contract.md#screens-and-who-uses-them: the wall must never lie): the
// instance tells its clients that it cannot take events, the wall says UPDATES PAUSED and every
// widget shows its age; when Redis is back, the wall is plainly live again, by itself.
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, StoreHealth } from '../../../contract/live-events.js';
import { TOKENS, startTestApp, type TestApp } from '../../helpers/app.js';
import { WEB_ROOT, launchBrowser, openPage, requireWebBuild } from '../../helpers/browser.js';
import { baseUrl, waitFor } from '../../helpers/live-client.js';
import { RedisServer } from '../../helpers/redis-server.js';

let redis: RedisServer;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  requireWebBuild();
  redis = await RedisServer.start();
  t = await startTestApp({ webRoot: WEB_ROOT, env: { REDIS_URL: redis.url } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await redis?.stop();
});

it('a live wall says UPDATES PAUSED while Redis is down, and is live again when it returns', async () => {
  const url = baseUrl(t.app);
  const client: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/live`, {
    auth: { token: TOKENS.viewer },
    transports: ['websocket'],
  });
  const health: StoreHealth[] = [];
  client.on('health', (message) => health.push(message));
  const { page } = await openPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${url}/wall/support?token=${TOKENS.viewer}`);
  await page.waitForSelector('body[data-connection="live"]');
  await waitFor(() => health.length > 0, 'the first health message', 5_000);
  expect(health[0]!.ok).toBe(true);
  expect(await page.locator('[data-banner="store-down"]').count()).toBe(0);

  await redis.kill();
  await waitFor(() => health.at(-1)?.ok === false, 'health ok:false', 8_000);
  await page.waitForSelector('[data-banner="store-down"]', { timeout: 5_000 });
  expect(await page.locator('[data-banner="store-down"]').innerText()).toContain('UPDATES PAUSED');
  // The connection itself is fine: it is the numbers that stand still.
  expect(await page.getAttribute('body', 'data-connection')).toBe('live');

  await redis.start();
  await waitFor(() => health.at(-1)?.ok === true, 'health ok:true', 15_000);
  await page.waitForSelector('[data-banner="store-down"]', { state: 'detached', timeout: 5_000 });
  client.close();
});
