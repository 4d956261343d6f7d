// Scenario 5 (docs/contract.md#targets, issue 3): the wall page in headless Chromium (Debian's, playwright-core)
// against the real server in a child process serving build/.
//   1. JS+CSS gzipped (gzip -9): what /wall/support actually loads (the browser's responses, each
//      mapped to its file under build/), and every .js/.css under build/ for reference.
//   2. Navigation → first live numbers: a day of simulated traffic (the demo simulator's back-fill
//      from local midnight) ingested first, then LOADS fresh contexts (cold cache each) at
//      1920×1080; an init script's MutationObserver stamps performance.now() (ms since navigation
//      start) when <body data-connection="live"> and some live widget's data-value is non-null.
//   3. Browser memory over an accelerated day: one wall open while the server's clock runs at
//      SPEED× (bench clock of server-process.ts) and the simulator's generator steps along with it
//      through SIM_HOURS simulated hours, its events ingested in order as they fall due; the JS heap
//      (CDP Performance.getMetrics after HeapProfiler.collectGarbage) at the start, during, and at
//      the end, and the DOM node count.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { LiveState, WatchEvent } from '../../contract/domain.js';
import { TrafficGenerator } from '../../server/simulator/generator.js';
import { LocalTime } from '../../server/domain/local-time.js';
import { mulberry32 } from '../../server/simulator/random.js';
import { TOKENS } from '../helpers/app.js';
import { launchBrowser, openPage, requireWebBuild } from '../helpers/browser.js';
import { ROOT, spawnServer, type SpawnOptions } from './child.js';
import { Poster } from './http-load.js';
import { sleep } from './live-clients.js';
import { fmt, type Row, type ScenarioResult } from './report.js';

const VIEWPORT = { width: 1920, height: 1080 };
const DASHBOARD = 'support';
/** Fresh page loads for the first-numbers time; the median is the measure. */
const LOADS = 5;
const FIRST_NUMBERS_TARGET_MS = 1_500;
const BUNDLE_TARGET_BYTES = 200 * 1024;
/** Simulated hours driven through the server with the wall open, in about RUN_SECONDS real seconds. */
const SIM_HOURS = 24;
const RUN_SECONDS = 40;
const SPEED = (SIM_HOURS * 3600) / RUN_SECONDS;
/** Real ms between generator steps (each step ingests what fell due since the last). */
const STEP_MS = 100;
/** Heap samples (after GC) during the run, besides the start and the end. */
const MID_SAMPLES = 4;
/** Let the wall finish its first work (the sla-risk poll, fonts, the first deltas) before the start sample. */
const SETTLE_MS = 3_000;
/** "No growth": end ≤ start × HEAP_FACTOR + HEAP_SLACK_MB, both after GC; same idea for DOM nodes. */
const HEAP_FACTOR = 1.2;
const HEAP_SLACK_MB = 2;
const NODES_FACTOR = 1.2;
const NODES_SLACK = 200;
const BATCH = 500;
const SEED = 0x5eed_0005;
const MB = 1024 * 1024;

/** What the init script leaves on `window.__wf` (times are performance.now(), ms since navigation start). */
interface Probe {
  liveAt?: number;
  valueAt?: number;
  firstLive?: number;
  firstFrame?: number;
  /** data-value attribute changes seen since the page loaded. */
  changes: number;
}

/**
 * Runs in the page before its own scripts (page.addInitScript). A string, not a function: tsx
 * compiles with esbuild's keepNames, whose `__name()` helper would not exist in the page.
 * A live number is any data-value of a widget other than the clock and text ones, which the browser
 * fills by itself.
 */
const PROBE_SCRIPT = `(() => {
  const probe = { changes: 0 };
  window.__wf = probe;
  const hasValue = () => {
    for (const el of Array.from(document.querySelectorAll('[data-metric]'))) {
      const box = el.closest('[data-type]');
      const type = box === null ? null : box.getAttribute('data-type');
      if (type === 'clock' || type === 'text') continue;
      const value = el.getAttribute('data-value');
      if (value !== null && value !== 'null') return true;
    }
    return false;
  };
  new MutationObserver((records) => {
    const t = performance.now();
    for (const record of records) if (record.type === 'attributes' && record.attributeName === 'data-value') probe.changes++;
    if (probe.firstLive !== undefined) return;
    if (probe.liveAt === undefined && document.body && document.body.getAttribute('data-connection') === 'live') probe.liveAt = t;
    if (probe.valueAt === undefined && hasValue()) probe.valueAt = t;
    if (probe.liveAt !== undefined && probe.valueAt !== undefined) {
      probe.firstLive = t;
      requestAnimationFrame(() => { probe.firstFrame = performance.now(); });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-value', 'data-connection'] });
})();`;

function readProbe(page: Page): Promise<Probe & { responseEnd: number; domContentLoaded: number }> {
  return page.evaluate(() => {
    const nav = window.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const probe = (window as unknown as { __wf: Probe }).__wf;
    return { ...probe, responseEnd: nav?.responseEnd ?? NaN, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
  });
}

function waitFirstLive(page: Page): Promise<unknown> {
  return page.waitForFunction(() => (window as unknown as { __wf?: Probe }).__wf?.firstFrame !== undefined, undefined, { timeout: 15_000, polling: 20 });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function gzip9(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** Every .js and .css under a directory, recursively. */
function assetFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => path.join(dir, f));
}

/** The newest file under web/src and web/static that is newer than the build, if any. */
function newerThanBuild(webRoot: string): string | null {
  const built = fs.statSync(path.join(webRoot, '200.html')).mtimeMs;
  let newest: { file: string; ms: number } | null = null;
  for (const dir of ['web/src', 'web/static']) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })) {
      const file = path.join(abs, f);
      const stat = fs.statSync(file);
      if (stat.isFile() && stat.mtimeMs > built && (newest === null || stat.mtimeMs > newest.ms)) newest = { file, ms: stat.mtimeMs };
    }
  }
  return newest === null ? null : path.relative(ROOT, newest.file);
}

interface MemorySample {
  /** Simulated hours into the run. */
  simHours: number;
  heapMb: number;
  /** CDP's `Nodes`: DOM nodes alive in the renderer (after GC). */
  nodes: number;
  /** Elements attached to the document. */
  elements: number;
  listeners: number;
  changes: number;
}

async function sampleMemory(page: Page, cdp: CDPSession, simHours: number): Promise<MemorySample> {
  // Twice: the first pass may leave garbage that finalisers only release for the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
  const inPage = await page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    changes: (window as unknown as { __wf: Probe }).__wf.changes,
  }));
  return { simHours, heapMb: metric('JSHeapUsedSize') / MB, nodes: metric('Nodes'), listeners: metric('JSEventListeners'), ...inPage };
}

class Ingester {
  accepted = 0;
  stale = 0;
  duplicates = 0;
  rejected = 0;
  posts = 0;

  constructor(private readonly poster: Poster) {}

  /** In order, one batch at a time: the generator's events are in time order and must stay so. */
  async send(events: readonly WatchEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const res = await this.poster.post('/api/v1/events', Buffer.from(JSON.stringify(events.slice(i, i + BATCH))));
      if (res.status !== 202) throw new Error(`ingest: ${res.status} ${res.body.slice(0, 300)}`);
      const summary = JSON.parse(res.body) as { accepted: number; stale: number; duplicates: number; rejected: unknown[] };
      this.accepted += summary.accepted;
      this.stale += summary.stale;
      this.duplicates += summary.duplicates;
      this.rejected += summary.rejected.length;
      this.posts++;
    }
  }
}

interface ServerClock {
  anchorReal: number;
  anchorSim: number;
  speed: number;
  now: number;
}

export async function wallScenario(options: { server?: SpawnOptions } = {}): Promise<ScenarioResult> {
  const webRoot = requireWebBuild();
  const builtAt = fs.statSync(path.join(webRoot, '200.html')).mtimeMs;
  const stale = newerThanBuild(webRoot);
  const allAssets = assetFiles(webRoot);
  const totalGzip = allAssets.reduce((sum, file) => sum + gzip9(file), 0);

  const server = await spawnServer('server-process.ts', { ...options.server, env: { ...options.server?.env, BENCH_CLOCK: '1' } });
  const base = `http://127.0.0.1:${server.port}`;
  const wallUrl = `${base}/wall/${DASHBOARD}?token=${TOKENS.viewer}`;
  const poster = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.ingest}` }, concurrency: 1 });
  const viewer = new Poster({ port: server.port, headers: { authorization: `Bearer ${TOKENS.viewer}` }, concurrency: 1 });
  const ingester = new Ingester(poster);
  let browser: Browser | null = null;
  try {
    // ---- a day so far, as the demo back-fills it ----
    const startClock = await viewer.json<ServerClock>('/bench/clock');
    const dayStart = new LocalTime().midnightOf(startClock.now);
    const generator = new TrafficGenerator({ startMs: dayStart, random: mulberry32(SEED) });
    const seedStarted = performance.now();
    const seed = generator.step(startClock.now);
    await ingester.send(seed);
    const seedMs = performance.now() - seedStarted;
    const seeded = await viewer.json<LiveState>('/api/v1/state');

    browser = await launchBrowser();

    // ---- first live numbers, LOADS fresh contexts ----
    const loads: { inPage: number; frame: number; wall: number; liveAt: number; valueAt: number; responseEnd: number; domContentLoaded: number }[] = [];
    const loaded = new Map<string, number>();
    const pageErrors: string[] = [];
    for (let i = 0; i < LOADS; i++) {
      const { page, errors } = await openPage(browser, VIEWPORT);
      await page.addInitScript(PROBE_SCRIPT);
      // What the browser received (not build/ on disk, which a concurrent `vite build` may replace).
      const bodies: Promise<void>[] = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (url.origin !== base || !/\.(js|css)$/.test(url.pathname) || loaded.has(url.pathname)) return;
        loaded.set(url.pathname, NaN);
        bodies.push(
          response.body().then(
            (body) => void loaded.set(url.pathname, gzipSync(body, { level: 9 }).length),
            (error: unknown) => void pageErrors.push(`no body for ${url.pathname}: ${String(error)}`),
          ),
        );
      });
      const started = performance.now();
      await page.goto(wallUrl, { waitUntil: 'commit' });
      await waitFirstLive(page);
      const wall = performance.now() - started;
      const probe = await readProbe(page);
      loads.push({
        inPage: probe.firstLive!,
        frame: probe.firstFrame!,
        wall,
        liveAt: probe.liveAt!,
        valueAt: probe.valueAt!,
        responseEnd: probe.responseEnd,
        domContentLoaded: probe.domContentLoaded,
      });
      await Promise.all(bodies);
      pageErrors.push(...errors);
      await page.context().close();
    }
    const loadedGzip = [...loaded.values()].filter((n) => !Number.isNaN(n)).reduce((a, b) => a + b, 0);
    const firstMedian = median(loads.map((l) => l.inPage));
    const frameMedian = median(loads.map((l) => l.frame));
    const wallMedian = median(loads.map((l) => l.wall));

    // ---- memory over an accelerated day ----
    const { page, errors } = await openPage(browser, VIEWPORT);
    await page.addInitScript(PROBE_SCRIPT);
    await page.goto(wallUrl, { waitUntil: 'commit' });
    await waitFirstLive(page);
    await sleep(SETTLE_MS);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const samples: MemorySample[] = [await sampleMemory(page, cdp, 0)];

    const clock = await viewer.json<ServerClock>(`/bench/clock?speed=${SPEED}`);
    const simNow = (): number => clock.anchorSim + (Date.now() - clock.anchorReal) * clock.speed;
    const runStart = clock.anchorSim;
    const runEnd = runStart + SIM_HOURS * 3600_000;
    const runStarted = performance.now();
    const deadline = runStarted + RUN_SECONDS * 2_000;
    const acceptedBefore = ingester.accepted;
    let cursor = generator.clockMs;
    let nextSample = 1;
    let behindMaxMs = 0;
    while (cursor < runEnd && performance.now() < deadline) {
      const stepStarted = performance.now();
      const target = Math.min(Math.floor(simNow()), runEnd);
      await ingester.send(generator.step(target));
      cursor = target;
      const hours = (cursor - runStart) / 3600_000;
      if (nextSample <= MID_SAMPLES && hours >= (nextSample * SIM_HOURS) / (MID_SAMPLES + 1)) {
        samples.push(await sampleMemory(page, cdp, hours));
        nextSample++;
      }
      behindMaxMs = Math.max(behindMaxMs, (simNow() - cursor) / SPEED);
      const wait = STEP_MS - (performance.now() - stepStarted);
      if (wait > 0) await sleep(wait);
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    const simHours = (cursor - runStart) / 3600_000;
    // Back to real time; what fell due meanwhile goes in too, then the wall gets a moment to settle.
    const after = await viewer.json<ServerClock>('/bench/clock?speed=1');
    await ingester.send(generator.step(after.now));
    const runEvents = ingester.accepted - acceptedBefore;
    await sleep(SETTLE_MS);
    const end = await sampleMemory(page, cdp, simHours);
    samples.push(end);
    const state = await viewer.json<LiveState>('/api/v1/state');
    const shown = await page.$$eval('[data-type="stat"][data-metric^="kpis."]', (els) =>
      Object.fromEntries(els.map((el) => [el.getAttribute('data-metric') ?? '', el.getAttribute('data-value')])),
    );
    const connection = await page.getAttribute('body', 'data-connection');
    const stats = await viewer.json<{ loopDelayMs: { p99: number; max: number }; memory: NodeJS.MemoryUsage; tickets: number; agents: number }>('/bench/stats');
    pageErrors.push(...errors);

    const rebuilt = !fs.existsSync(path.join(webRoot, '200.html')) || fs.statSync(path.join(webRoot, '200.html')).mtimeMs !== builtAt;
    const start = samples[0]!;
    const heapLimit = start.heapMb * HEAP_FACTOR + HEAP_SLACK_MB;
    const nodesLimit = start.nodes * NODES_FACTOR + NODES_SLACK;
    const matches = ['kpis.createdToday', 'kpis.solvedToday'].map((m) => {
      const expected = (state.kpis as unknown as Record<string, unknown>)[m.slice('kpis.'.length)];
      return { metric: m, shown: shown[m] ?? null, expected: expected === null || expected === undefined ? 'null' : String(expected) };
    });
    const inSync = matches.every((m) => m.shown === m.expected);
    const fullRun = simHours >= SIM_HOURS - 0.01;

    const rows: Row[] = [
      {
        what: `wall: JS+CSS gzip -9 that /wall/${DASHBOARD} loads (${loaded.size} files)`,
        measured: `${(loadedGzip / 1024).toFixed(1)} KB`,
        target: '≤ 200 KB',
        pass: loadedGzip <= BUNDLE_TARGET_BYTES,
      },
      {
        what: `wall: JS+CSS gzip -9, all of build/ (${allAssets.length} files)`,
        measured: `${(totalGzip / 1024).toFixed(1)} KB`,
        target: '(reference)',
        pass: null,
      },
      {
        what: `wall: navigation → first live numbers (median of ${LOADS} cold loads, ${VIEWPORT.width}×${VIEWPORT.height})`,
        measured: fmt.ms(firstMedian),
        target: '≤ 1,500 ms',
        pass: firstMedian <= FIRST_NUMBERS_TARGET_MS,
      },
      {
        what: `wall: JS heap after GC, start → end of ${simHours.toFixed(0)} simulated hours`,
        measured: `${start.heapMb.toFixed(1)} → ${end.heapMb.toFixed(1)} MB (${end.heapMb >= start.heapMb ? '+' : ''}${(end.heapMb - start.heapMb).toFixed(2)} MB)`,
        target: `no growth (end ≤ start × ${HEAP_FACTOR} + ${HEAP_SLACK_MB} MB = ${heapLimit.toFixed(1)} MB)`,
        pass: end.heapMb <= heapLimit && fullRun && inSync,
      },
      {
        what: 'wall: DOM nodes after GC, start → end',
        measured: `${fmt.int(start.nodes)} → ${fmt.int(end.nodes)} (elements ${fmt.int(start.elements)} → ${fmt.int(end.elements)})`,
        target: `no growth (≤ start × ${NODES_FACTOR} + ${NODES_SLACK} = ${fmt.int(nodesLimit)})`,
        pass: end.nodes <= nodesLimit,
      },
    ];

    const per = (n: number): string => n.toFixed(0);
    return {
      rows,
      notes: [
        `Wall bundle: the ${loaded.size} .js/.css responses of a /wall/${DASHBOARD} load (polyfills.js, the modulepreloaded entry chunks, ` +
          `the root error node and the wall page's node), each response body gzip -9'd; the server sends them uncompressed (no compression plugin). ` +
          `All ${allAssets.length} .js/.css of build/: ${(totalGzip / 1024).toFixed(1)} KB.` +
          (stale !== null ? ` WARNING: build/ is older than ${stale}: run \`npm run build\` to measure the current wall.` : '') +
          (rebuilt ? ' WARNING: build/ was rebuilt while the scenario ran (a concurrent `vite build`); the numbers may mix two builds.' : ''),
        `Wall first numbers: ${fmt.int(seed.length)} events of the simulated day so far (local midnight → now, ${generator.runTag}, seed ${SEED}) ingested in ${fmt.ms(seedMs)} ` +
          `(waiting ${seeded.queues.map((q) => `${q.id} ${q.waiting}`).join(', ')}; createdToday ${seeded.kpis.createdToday}); ` +
          `${LOADS} loads, each in a new browser context (empty cache). In-page (ms since navigation start, per load): ` +
          `first live numbers ${loads.map((l) => per(l.inPage)).join(' / ')}, the frame after ${loads.map((l) => per(l.frame)).join(' / ')} (median ${fmt.ms(frameMedian)}); ` +
          `document responseEnd ${loads.map((l) => per(l.responseEnd)).join(' / ')}, DOMContentLoaded ${loads.map((l) => per(l.domContentLoaded)).join(' / ')}, ` +
          `body live ${loads.map((l) => per(l.liveAt)).join(' / ')}; wall-clock goto → seen by playwright ${loads.map((l) => per(l.wall)).join(' / ')} (median ${fmt.ms(wallMedian)}).`,
        `Wall accelerated run: server clock at ${fmt.int(SPEED)}× (bench clock of server-process.ts), the simulator's generator stepped every ${STEP_MS} ms ` +
          `to the server's time; ${simHours.toFixed(1)} simulated hours in ${runSeconds.toFixed(1)} s real, ${fmt.int(runEvents)} events accepted ` +
          `(${ingester.stale} stale, ${ingester.duplicates} duplicates, ${ingester.rejected} rejected in the whole scenario), driver at most ${fmt.ms(behindMaxMs)} real behind; ` +
          `the wall saw ${fmt.int(end.changes - start.changes)} data-value changes, ended ${connection}; ` +
          `wall vs GET /api/v1/state at the end: ${matches.map((m) => `${m.metric} ${m.shown} vs ${m.expected}`).join(', ')}${inSync ? '' : ' (OUT OF SYNC)'}.`,
        `Wall heap after GC by simulated hour: ${samples.map((s) => `${s.simHours.toFixed(0)} h ${s.heapMb.toFixed(2)} MB`).join(', ')}; ` +
          `DOM nodes ${samples.map((s) => fmt.int(s.nodes)).join(', ')}; JS event listeners ${samples.map((s) => fmt.int(s.listeners)).join(', ')}. JSHeapUsedSize counts V8's compiled code too, which grows while the wall's code warms up and then levels off. ` +
          `The wall's time-bucketed state (sparkline history: 15 s buckets of the browser's clock, preallocated rings) fills in real time, not simulated time; ` +
          `this run exercises a day of changing tickets, agents and queues, not ${SIM_HOURS} h of messages.`,
        `Wall server side at the end: ${fmt.int(stats.tickets)} tickets, ${stats.agents} agents, RSS ${fmt.mb(stats.memory.rss / MB)}, ` +
          `event-loop delay p99 ${stats.loopDelayMs.p99} ms, max ${stats.loopDelayMs.max} ms.` +
          (pageErrors.length > 0 ? ` Browser errors: ${[...new Set(pageErrors)].slice(0, 5).join(' / ')}` : ' No browser errors.'),
      ],
      data: {
        bundle: {
          loadedGzipBytes: loadedGzip,
          loaded: Object.fromEntries(loaded),
          totalGzipBytes: totalGzip,
          files: allAssets.length,
          staleBuild: stale,
          rebuiltDuringRun: rebuilt,
        },
        firstNumbers: { medianMs: firstMedian, frameMedianMs: frameMedian, wallMedianMs: wallMedian, loads, seedEvents: seed.length },
        memory: { samples, heapLimitMb: heapLimit, nodesLimit, simHours, runSeconds, speed: SPEED, runEvents, behindMaxMs, matches, connection },
        ingest: { accepted: ingester.accepted, stale: ingester.stale, duplicates: ingester.duplicates, rejected: ingester.rejected, posts: ingester.posts },
        server: stats,
        pageErrors,
      },
    };
  } finally {
    await browser?.close();
    poster.close();
    viewer.close();
    await server.stop();
  }
}
