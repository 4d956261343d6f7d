// dashboards/grafana/watchfloor.json: a Grafana dashboard whose every query reads metrics that a
// real scrape has, that shows every product metric, and that the wall's dashboard registry leaves
// alone (it sits in a subfolder of DASHBOARDS_DIR).
import { SETTINGS_FILES } from '../../../server/dashboards/dashboard-registry.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardRegistry } from '../../../server/dashboards/dashboard-registry.js';
import { bearer, startTestApp, tempDir, type TestApp } from '../../helpers/app.js';
import { ticketEvent } from '../../helpers/events.js';
import { parseExposition, type Family } from './exposition.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DASHBOARDS = path.join(root, 'dashboards');
const FILE = path.join(DASHBOARDS, 'grafana', 'watchfloor.json');

interface Target {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface GrafanaDashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}

const dashboard = JSON.parse(fs.readFileSync(FILE, 'utf8')) as GrafanaDashboard;
const queries = dashboard.panels.filter((p) => p.type !== 'row');
const expressions = queries.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** Identifiers in PromQL that name a metric: ours and the runtime's. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:watchfloor|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

/** A name the scrape has: a family, or a histogram family's _bucket, _sum or _count. */
function inScrape(families: Map<string, Family>, name: string): boolean {
  if (families.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && families.get(base)?.type === 'histogram';
}

let t: TestApp;
let families: Map<string, Family>;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...bearer('ingest'), 'content-type': 'application/json' },
    payload: JSON.stringify([ticketEvent({ id: 'G-1' })]),
  });
  const response = await t.app.inject({ url: '/metrics', headers: bearer('admin') });
  families = parseExposition(response.body);
});

afterAll(async () => {
  await t.close();
});

describe('the Grafana dashboard', () => {
  it('is a Grafana dashboard: uid, title, schema version, a Prometheus data source variable, panels on a 24-column grid without overlap', () => {
    expect(dashboard.uid).toBe('watchfloor');
    expect(dashboard.title).toBe('Watchfloor');
    expect(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 36).toBe(true);
    const datasource = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      for (const other of dashboard.panels) {
        if (other === panel) continue;
        const apart =
          panel.gridPos.x + panel.gridPos.w <= other.gridPos.x ||
          other.gridPos.x + other.gridPos.w <= panel.gridPos.x ||
          panel.gridPos.y + panel.gridPos.h <= other.gridPos.y ||
          other.gridPos.y + other.gridPos.h <= panel.gridPos.y;
        expect(apart, `${panel.title} overlaps ${other.title}`).toBe(true);
      }
    }
    for (const panel of queries) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a template
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) {
        expect(target.expr.trim(), `${panel.title} ${target.refId}`).not.toBe('');
        expect(metricNames(target.expr).length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
      }
    }
  });

  it('reads only metrics that a scrape of the server has', () => {
    const referenced = new Set(expressions.flatMap(metricNames));
    const missing = [...referenced].filter((name) => !inScrape(families, name));
    expect(missing).toEqual([]);
    expect(referenced.size).toBeGreaterThan(20);
  });

  it('shows every product metric', () => {
    const referenced = new Set(
      expressions.flatMap(metricNames).map((name) => (inScrape(families, name) && !families.has(name) ? name.replace(/_(bucket|sum|count)$/, '') : name)),
    );
    const ours = [...families.keys()].filter((name) => name.startsWith('watchfloor_'));
    expect(ours.filter((name) => !referenced.has(name))).toEqual([]);
  });

  it('groups only by labels the metrics carry', () => {
    const known = new Set(['instance', 'le', 'kind']);
    for (const family of families.values()) for (const sample of family.samples) for (const label of Object.keys(sample.labels)) known.add(label);
    // Labels of series a quiet test app has none of yet.
    known.add('vendor');
    const grouped = expressions.flatMap((expr) => [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())));
    expect(grouped.filter((label) => !known.has(label))).toEqual([]);
  });
});

describe('the wall dashboards directory', () => {
  it('does not take dashboards/grafana/ for a wall dashboard: only top-level files are read', async () => {
    const registry = new DashboardRegistry({ dir: DASHBOARDS, log: { info() {}, warn() {} }, watch: false, rescanMs: 60_000 });
    try {
      await registry.start();
      const topLevel = fs
        .readdirSync(DASHBOARDS)
        .filter((name) => name.endsWith('.json') && !(SETTINGS_FILES as readonly string[]).includes(name))
        .map((name) => name.slice(0, -'.json'.length));
      expect(
        registry
          .list()
          .map((d) => d.id)
          .sort(),
      ).toEqual(topLevel.sort());
      expect(registry.get('watchfloor')).toBeUndefined();
    } finally {
      registry.close();
    }
  });

  it('lists nothing from a directory whose only JSON is in a subfolder', async () => {
    const dir = tempDir('watchfloor-grafana-');
    fs.mkdirSync(path.join(dir, 'grafana'));
    fs.copyFileSync(FILE, path.join(dir, 'grafana', 'watchfloor.json'));
    const registry = new DashboardRegistry({ dir, log: { info() {}, warn() {} }, watch: false, rescanMs: 60_000 });
    try {
      await registry.start();
      expect(registry.list()).toEqual([]);
    } finally {
      registry.close();
    }
  });
});
