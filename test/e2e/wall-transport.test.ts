// A wall opened with `?transport=websocket` in Chromium: live over WebSocket without a single
// long-polling request; where WebSocket fails, it does not fall back to polling (which would
// meet "Session ID unknown" behind a balancer without sticky sessions), while a wall without the
// option does and goes live. Needs `npm run build:web` first.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TOKENS, type TestApp } from '../helpers/app.js';
import { launchBrowser, requireWebBuild } from '../helpers/browser.js';
import { baseUrl, sleep } from '../helpers/live-client.js';

let t: TestApp;
let url: string;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp({ webRoot: requireWebBuild() });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = baseUrl(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A wall page with its socket.io traffic recorded; WebSocket failing when `blockWebSocket`. */
async function openWall(query: string, blockWebSocket: boolean): Promise<{ page: Page; polls: string[]; websockets: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  if (blockWebSocket) {
    // As a proxy without the upgrade headers looks to the page: each handshake fails (error, then
    // close with 1006), a moment after it was made.
    await page.addInitScript(() => {
      const attempts = { count: 0 };
      (window as unknown as { __wsAttempts: typeof attempts }).__wsAttempts = attempts;
      class RefusedWebSocket extends EventTarget {
        readyState = 0;
        binaryType = 'blob';
        onopen: ((event: Event) => void) | null = null;
        onerror: ((event: Event) => void) | null = null;
        onclose: ((event: CloseEvent) => void) | null = null;
        onmessage: ((event: MessageEvent) => void) | null = null;
        constructor(readonly url: string) {
          super();
          attempts.count++;
          setTimeout(() => {
            this.readyState = 3;
            this.onerror?.(new Event('error'));
            this.onclose?.(new CloseEvent('close', { code: 1006 }));
          }, 20);
        }
        send(): void {}
        close(): void {}
      }
      window.WebSocket = RefusedWebSocket as unknown as typeof WebSocket;
    });
  }
  const polls: string[] = [];
  const websockets: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/socket.io/') && request.url().includes('transport=polling')) polls.push(request.url());
  });
  page.on('websocket', (ws) => websockets.push(ws.url()));
  await page.goto(`${url}/wall/support?token=${TOKENS.viewer}${query}`);
  return { page, polls, websockets };
}

const connection = (page: Page): Promise<string | undefined> => page.evaluate(() => document.body.dataset.connection);

describe('the ?transport=websocket wall option', () => {
  it('goes live over WebSocket only', async () => {
    const { page, polls, websockets } = await openWall('&transport=websocket', false);
    await page.waitForFunction(() => document.body.dataset.connection === 'live', undefined, { timeout: 15_000 });
    expect(websockets.length).toBeGreaterThanOrEqual(1);
    expect(polls).toEqual([]);
    await page.context().close();
  });

  it('never falls back to long-polling where WebSocket fails; without it the wall does', async () => {
    const fallback = await openWall('', true);
    await fallback.page.waitForFunction(() => document.body.dataset.connection === 'live', undefined, { timeout: 20_000 });
    expect(fallback.polls.length).toBeGreaterThan(0);

    const only = await openWall('&transport=websocket', true);
    await sleep(4_000);
    expect(await only.page.evaluate(() => (window as unknown as { __wsAttempts: { count: number } }).__wsAttempts.count)).toBeGreaterThanOrEqual(1);
    expect(only.polls).toEqual([]);
    expect(await connection(only.page)).not.toBe('live');
    await fallback.page.context().close();
    await only.page.context().close();
  });
});
