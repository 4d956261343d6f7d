// The server describes itself: the OpenAPI document is valid 3.1, lists every route Fastify
// serves with the role it really enforces, describes the answers the routes really give, agrees
// with the hand validator of events, and /api/docs renders from this server alone under its CSP.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../../server/domain/validate-event.js';
import { bearer, startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';
import { launchBrowser } from '../../helpers/browser.js';
import { agentEvent, iso, ticketEvent } from '../../helpers/events.js';
import { baseUrl } from '../../helpers/live-client.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Operation {
  summary?: string;
  'x-role'?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
type Doc = { openapi: string; paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };

let t: TestApp;
let doc: Doc;
const ajv = new Ajv({ strict: false, allErrors: true });

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  const response = await t.app.inject({ url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});
afterAll(async () => {
  await t?.close();
});

/** Every method and path Fastify serves, from its route tree (`printRoutes`), `:id` as `{id}`. */
function servedRoutes(): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean))
      routes.push({ method, path });
  }
  return routes;
}

/**
 * Not API routes, so not in the document: HEAD (Fastify adds one to every GET), and the API
 * reference's own page and files under /api/docs. The built web app's files and its SPA fallback
 * are not routes of this app (it is built without a web root), and /healthz is documented.
 */
const isExcluded = (route: { method: string; path: string }): boolean =>
  route.method === 'HEAD' || route.path === '/api/docs' || route.path.startsWith('/api/docs/');

function operations(): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({ method: m.toUpperCase(), path, op: item[m]! })),
  );
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route the server serves, and nothing it does not', () => {
    const served = servedRoutes().filter((route) => !isExcluded(route));
    // The walk itself must see the routes, or the comparison proves nothing.
    expect(served.length).toBeGreaterThan(20);
    expect(served).toContainEqual({ method: 'POST', path: '/api/v1/events' });
    const documented = new Set(operations().map(({ method, path }) => `${method} ${path}`));
    const missing = served.map(({ method, path }) => `${method} ${path}`).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
    const servedKeys = new Set(served.map(({ method, path }) => `${method} ${path}`));
    expect([...documented].filter((key) => !servedKeys.has(key))).toEqual([]);
  });

  it('gives every operation a summary, a role, a success answer and its errors in the one shape', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations()) {
      const where = `${method} ${path}`;
      if (!op.summary) problems.push(`${where}: no summary`);
      const role = op['x-role'];
      if (role === undefined) problems.push(`${where}: no x-role`);
      if (!Object.keys(op.responses).some((status) => status.startsWith('2'))) problems.push(`${where}: no 2xx response`);
      if (role !== undefined && role in TOKENS) {
        if (op.security === undefined || op.security.length === 0) problems.push(`${where}: role ${role} but no security requirement`);
        for (const status of ['401', '403']) {
          const schema = op.responses[status]?.content?.['application/json']?.schema as { properties?: { error?: { required?: string[] } } } | undefined;
          if (schema?.properties?.error?.required?.join() !== 'code,message') problems.push(`${where}: ${status} not documented in the error shape`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the role each route enforces: 401 without a token, 403 with the role just below', async () => {
    const below: Record<string, keyof typeof TOKENS> = { viewer: 'ingest', supervisor: 'viewer', commander: 'supervisor', admin: 'commander', ingest: 'admin' };
    const checked: string[] = [];
    for (const { method, path, op } of operations()) {
      const role = op['x-role']!;
      if (!(role in below)) continue;
      const url = path.replace(/\{\w+\}/g, 'x1');
      const anonymous = await t.app.inject({ method: method as 'GET', url });
      expect(anonymous.statusCode, `${method} ${path} without a token`).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const lower = await t.app.inject({ method: method as 'GET', url, headers: bearer(below[role]!) });
      expect(lower.statusCode, `${method} ${path} with ${below[role]} (documented: ${role})`).toBe(403);
      expect(lower.json().error.message).toContain(`needs the ${role} role`);
      checked.push(`${method} ${path}`);
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('documents the webhook signatures and the body of events, which Fastify does not validate', () => {
    const webhook = doc.paths['/api/v1/connectors/{vendor}']!.post! as Operation & { parameters: { name: string; in: string }[] };
    expect(webhook['x-role']).toBe('vendor-signature');
    const headers = webhook.parameters.filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers).toEqual(
      expect.arrayContaining(['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp', 'x-hub-signature', 'x-webhook-secret']),
    );
    const events = doc.paths['/api/v1/events']!.post!;
    expect(Object.keys(events.requestBody!.content).sort()).toEqual(['application/json', 'application/x-ndjson']);
    expect(events['x-role']).toBe('ingest');
  });
});

describe('schemas and routes agree', () => {
  it('answers a schema refusal in the one error shape, naming the field', async () => {
    const view = await t.app.inject({ url: '/api/v1/tickets?view=nope', headers: bearer('viewer') });
    expect(view.statusCode).toBe(400);
    expect(view.json()).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(/^view: /) } });
    const limit = await t.app.inject({ url: '/api/v1/alerts?limit=-1', headers: bearer('viewer') });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.message).toMatch(/^limit: /);
    const param = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/inc-1/tasks/${'x'.repeat(21)}`,
      headers: bearer('supervisor'),
      payload: { done: true },
    });
    expect(param.statusCode).toBe(400);
    expect(param.json().error.message).toMatch(/^tid: /);
  });

  it('describes the answers the routes give, and drops nothing from them', async () => {
    const at = iso(NOW - 60_000);
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { ...bearer('ingest'), 'content-type': 'application/json' },
      payload: JSON.stringify([
        ticketEvent({ id: 'T-1', queue: 'billing', createdAt: at, firstResponseDueAt: iso(NOW + 600_000) }),
        agentEvent({ id: 'ann', status: 'busy' }, at),
        { id: 'bad', type: 'ticket', at },
      ]),
    });
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer('commander'),
      payload: { title: 'Payments down', severity: 'SEV2' },
    });
    const answers = [
      { path: '/api/v1/events', method: 'post', response: posted },
      { path: '/api/v1/incidents', method: 'post', response: declared },
    ];
    for (const url of [
      '/api/v1/state',
      '/api/v1/agents',
      '/api/v1/me',
      '/api/v1/tickets?view=waiting',
      '/api/v1/kpis/compare',
      '/api/v1/dashboards',
      '/api/v1/walls',
      '/api/v1/incidents',
      `/api/v1/incidents/${declared.json().id}`,
      '/api/v1/alerts',
      '/api/v1/connectors',
      '/healthz',
      '/api/v1/history?metric=tickets.open',
    ]) {
      const path = url.split('?')[0]!.replace(declared.json().id, '{id}');
      answers.push({ path, method: 'get', response: await t.app.inject({ url, headers: bearer('viewer') }) });
    }
    answers.push({ path: '/api/v1/incidents', method: 'get', response: await t.app.inject({ url: '/api/v1/incidents?limit=0', headers: bearer('viewer') }) });
    const problems: string[] = [];
    for (const { path, method, response } of answers) {
      const schema = doc.paths[path]?.[method as 'get']?.responses[String(response.statusCode)]?.content?.['application/json']?.schema;
      if (schema === undefined) {
        problems.push(`${method} ${path}: ${response.statusCode} is not documented`);
        continue;
      }
      const validate = ajv.compile(schema as object);
      if (!validate(response.json())) problems.push(`${method} ${path} ${response.statusCode}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
    // The largest answer, through the route, is the model's state exactly.
    const state = await t.app.inject({ url: '/api/v1/state', headers: bearer('viewer') });
    expect(state.json()).toEqual(JSON.parse(JSON.stringify(t.app.currentState())));
  });
});

describe('the event schema and the hand validator', () => {
  const at = iso(NOW - 60_000);
  const ticket = (fields: Record<string, unknown>): Record<string, unknown> => ({
    id: 'e',
    type: 'ticket',
    at,
    ticket: { ...ticketEvent({ id: 'T-9', createdAt: at }).ticket, ...fields },
  });
  const agent = (fields: Record<string, unknown>): Record<string, unknown> => ({
    id: 'e',
    type: 'agent',
    at,
    agent: { id: 'a1', status: 'available', ...fields },
  });
  const without = (key: string): Record<string, unknown> => {
    const { [key]: _gone, ...rest } = ticket({}).ticket as Record<string, unknown>;
    return { ...ticket({}), ticket: rest };
  };
  // Left out on purpose, as JSON Schema cannot say them: times implausible against the clock (a
  // day ahead, years back), replies before ticket.createdAt, impossible dates (2026-02-30) and
  // subjects past the limit (cut, not refused).
  const corpus: unknown[] = [
    ticket({}),
    ticket({ status: 'Open', priority: 'URGENT', subject: null, tags: null, csat: 5, assignee: 'ann' }),
    ticket({ id: 42, queue: 7, source: 'zendesk', tags: ['vip', 'x'.repeat(100)], firstResponseAt: at, solvedAt: null }),
    ticket({ assignee: null, csat: null, subject: 'x'.repeat(1_500), tags: ['\u202eok'] }),
    ticket({ createdAt: '2026-11-26T11:58:00+01:00', updatedAt: '2026-11-26T10:59:00.123456Z' }),
    { ...ticket({}), type: 'TICKET', extra: 'ignored' },
    { ...ticket({}), agent: 'not checked on a ticket event' },
    agent({}),
    agent({ name: '', team: null, status: 'Busy' }),
    agent({ name: null, id: 12 }),
    { ...agent({}), id: '\u202eid-with-bidi' },
    // Refused:
    null,
    [],
    'event',
    { ...ticket({}), type: 'comment' },
    { ...ticket({}), id: '' },
    { ...ticket({}), id: 'a\nb' },
    { ...ticket({}), id: 1.5 },
    { ...ticket({}), at: '2026-11-26 11:59:00' },
    { ...ticket({}), at: '2026-11-26T11:59:00' },
    { ...ticket({}), ticket: [] },
    { id: 'e', type: 'ticket', at },
    ticket({ status: 'archived' }),
    ticket({ priority: 3 }),
    ticket({ queue: '' }),
    ticket({ queue: 'x'.repeat(201) }),
    ticket({ queue: '\u202e' }),
    ticket({ source: null }),
    ticket({ assignee: 'a\u0007b' }),
    ticket({ subject: 5 }),
    ticket({ tags: 'vip' }),
    ticket({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
    ticket({ tags: ['x'.repeat(101)] }),
    ticket({ tags: ['a\u0085b'] }),
    ticket({ tags: [1] }),
    ticket({ csat: 0 }),
    ticket({ csat: 4.5 }),
    ticket({ csat: '5' }),
    ticket({ createdAt: 1_700_000_000_000 }),
    ticket({ updatedAt: '26/11/2026' }),
    ticket({ solvedAt: '2026-11-26T11:59Z!' }),
    without('id'),
    without('queue'),
    without('createdAt'),
    agent({ status: 'lunch' }),
    agent({ id: undefined }),
    agent({ name: '\u202a\u202c' }),
    agent({ team: '' }),
    { id: 'e', type: 'agent', at, agent: null },
  ];

  let validate: ValidateFunction;
  beforeAll(() => {
    const body = doc.paths['/api/v1/events']!.post!.requestBody!.content['application/json']!.schema as { items: object };
    validate = ajv.compile(body.items);
  });

  it('gives the same verdict on every event of the corpus', () => {
    const disagreements: string[] = [];
    let refused = 0;
    for (const item of corpus) {
      const byHand = validateEvent(item, NOW);
      const bySchema = validate(item);
      if (!byHand.ok) refused++;
      if (byHand.ok !== bySchema) {
        disagreements.push(
          `${JSON.stringify(item)}: validator ${byHand.ok ? 'accepts' : `refuses (${byHand.error})`}, schema ${bySchema ? 'accepts' : `refuses (${ajv.errorsText(validate.errors)})`}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
    // Both verdicts occur, or agreeing would prove little.
    expect(refused).toBeGreaterThan(30);
    expect(corpus.length - refused).toBeGreaterThan(10);
  });
});

describe('/api/docs', () => {
  it('is a page of this server that loads only its own scripts and styles', async () => {
    const page = await t.app.inject({ url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Watchfloor API reference</title>');
    const html = page.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      // Inline code would be blocked by the CSP; a script from another host is not ours to serve.
      expect(inline!.trim()).toBe('');
      expect(attributes).not.toMatch(/src\s*=\s*["']?(?:https?:)?\/\//i);
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(?:https?:)?\/\//);
      const fetched = await t.app.inject({ url: new URL(asset, 'http://server/api/docs').pathname });
      expect(fetched.statusCode, asset).toBe(200);
    }
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/https?:/);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let live: TestApp;
    beforeAll(async () => {
      browser = await launchBrowser();
      live = await startTestApp();
      await live.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await browser?.close();
      await live?.close();
    });

    it('renders every path of the document without a CSP violation or an error', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      const hosts = new Set<string>();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
      });
      page.on('request', (request) => {
        if (/^(?:https?|wss?):/.test(request.url())) hosts.add(new URL(request.url()).host);
      });
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __csp: string[] }).__csp = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const origin = baseUrl(live.app);
      await page.goto(`${origin}/api/docs`);
      await page.waitForSelector('.swagger-ui .info .title');
      expect(await page.textContent('.swagger-ui .info .title')).toContain('Watchfloor API');
      await page.waitForSelector('.opblock');
      const shown = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path')));
      const documented = Object.keys(doc.paths);
      expect(new Set(shown)).toEqual(new Set(documented));
      const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
      expect([...hosts]).toEqual([new URL(origin).host]);
      await context.close();
    }, 90_000);
  });
});
