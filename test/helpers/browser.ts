// Headless Chromium for end-to-end tests and screenshots: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser). CHROMIUM_PATH overrides the binary.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web app that the server serves (`npm run build` / `npx vite build`). */
export const WEB_ROOT = path.resolve(here, '../../build');

/** Fails with the command to run when the web app has not been built. */
export function requireWebBuild(): string {
  if (!fs.existsSync(path.join(WEB_ROOT, '200.html'))) {
    throw new Error(`the web app is not built (no ${path.join(WEB_ROOT, '200.html')}): run \`npm run build\` (or \`npx vite build\`) first`);
  }
  return WEB_ROOT;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page with a TV's viewport; browser console errors are collected for the test to check. */
export async function openPage(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, errors };
}

/** A page whose troubles a test asserts to be none. */
export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and CSP messages (and, asked for, answers of 400 or more). */
  problems: string[];
  /** The document's `securitypolicyviolation` events. */
  violations: () => Promise<string[]>;
}

/** A page that records console errors, page errors and CSP violations; `httpErrors`: failed answers too. */
export async function watchedPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1920, height: 1080 },
  options: { httpErrors?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  // The console names a failed request's status, not its address: the answer does.
  if (options.httpErrors === true) {
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`http: ${response.status()} ${new URL(response.url()).pathname}`);
    });
  }
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });
  return { page, problems, violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

/** Everything that sticks out: the page scrolling, or a widget's content wider/taller than its box. */
export async function overflowReport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth || root.scrollHeight > window.innerHeight) {
      problems.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${window.innerWidth}×${window.innerHeight}`);
    }
    for (const widget of Array.from(document.querySelectorAll<HTMLElement>('.widget'))) {
      const box = widget.getBoundingClientRect();
      const name = `${widget.dataset.type} ${widget.dataset.metric}`;
      if (box.right > window.innerWidth + 1 || box.bottom > window.innerHeight + 1 || box.left < -1 || box.top < -1) {
        problems.push(`${name} lies outside the viewport`);
      }
      // Content cut off by an `overflow: hidden` box is an overflow too; an ellipsis on a text
      // (a title, a ticket subject) is intended. A number is never cut, not even by an ellipsis.
      for (const el of [widget, ...Array.from(widget.querySelectorAll<HTMLElement>('*'))]) {
        const style = getComputedStyle(el);
        if (style.overflow !== 'hidden' || style.textOverflow === 'ellipsis') continue;
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
          problems.push(
            `${name}: <${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> cuts its content (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`,
          );
        }
      }
      for (const numeral of Array.from(widget.querySelectorAll<HTMLElement>('.numeral'))) {
        const r = numeral.getBoundingClientRect();
        for (let box: HTMLElement | null = numeral.parentElement; box && box !== widget.parentElement; box = box.parentElement) {
          if (getComputedStyle(box).overflow !== 'hidden') continue;
          const b = box.getBoundingClientRect();
          if (r.right > b.right + 1 || r.left < b.left - 1 || r.bottom > b.bottom + 1 || r.top < b.top - 1) {
            problems.push(`${name}: the number "${numeral.textContent}" is cut by <${box.tagName.toLowerCase()} class="${box.getAttribute('class') ?? ''}">`);
            break;
          }
        }
      }
      for (const el of Array.from(widget.querySelectorAll<HTMLElement>('*'))) {
        if (getComputedStyle(el).textOverflow === 'ellipsis') continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.top < box.top - 1) {
          problems.push(`${name}: <${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> sticks out of the widget`);
          break;
        }
      }
    }
    return problems;
  });
}
