// GET /api/v1/staffing/calculate through the real app: the role it needs, the published Erlang C
// example end to end, each model's fields, and refusals in the one error shape naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, TOKENS, type TestApp } from '../../helpers/app.js';

const URL = '/api/v1/staffing/calculate';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (query: string, role: keyof typeof TOKENS = 'viewer') => t.app.inject({ url: `${URL}?${query}`, headers: bearer(role) });

describe('GET /api/v1/staffing/calculate', () => {
  it('needs a token, and takes a viewer’s (also as ?token=)', async () => {
    const query = 'model=workload&arrivals=5&intervalMinutes=30&ahtSeconds=5400&shrinkage=0.4&maxOccupancy=0.8';
    expect((await t.app.inject({ url: `${URL}?${query}` })).statusCode).toBe(401);
    const ingest = await get(query, 'ingest');
    expect(ingest.statusCode).toBe(403);
    expect(ingest.json().error.message).toContain('needs the viewer role');
    expect((await t.app.inject({ url: `${URL}?${query}&token=${TOKENS.viewer}` })).statusCode).toBe(200);
  });

  it('Erlang C: the Call Centre Helper example (100 calls in 30 min, AHT 180 s, 80 % in 20 s, cap 85 %, shrinkage 30 %)', async () => {
    const response = await get(
      'model=erlang-c&arrivals=100&intervalMinutes=30&ahtSeconds=180&targetPercent=80&targetSeconds=20&shrinkage=0.3&maxOccupancy=0.85',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      agents: 14,
      requiredScheduled: 20,
      serviceLevel: expect.closeTo(0.88835, 5),
      occupancy: expect.closeTo(0.7142857, 7),
      waitProbability: expect.closeTo(0.1741319, 7),
      asaSeconds: expect.closeTo(7.835937, 6),
      abandonProbability: null,
    });
  });

  it('Erlang A: abandonment reported, no more agents than Erlang C', async () => {
    const common = 'arrivals=100&intervalMinutes=30&ahtSeconds=180&targetPercent=80&targetSeconds=20&shrinkage=0.3';
    const a = (await get(`model=erlang-a&${common}&patienceSeconds=120`)).json();
    const c = (await get(`model=erlang-c&${common}`)).json();
    expect(a.agents).toBeLessThanOrEqual(c.agents);
    expect(a.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(a.abandonProbability).toBeGreaterThan(0);
    expect(a.abandonProbability).toBeLessThan(0.2);
  });

  it('workload: 5 tickets of 90 min in 30 min at 80 % → 19 agents, 32 on the roster at 40 % shrinkage', async () => {
    const response = await get('model=workload&arrivals=5&intervalMinutes=30&ahtSeconds=5400&shrinkage=0.4&maxOccupancy=0.8');
    expect(response.json()).toEqual({
      agents: 19,
      requiredScheduled: 32,
      serviceLevel: null,
      occupancy: 15 / 19,
      waitProbability: null,
      asaSeconds: null,
      abandonProbability: null,
    });
  });

  it('21 agents at 30 % shrinkage are 30 on the roster, not 31', async () => {
    // 21 erlangs at a cap of exactly 1 ÷ 21 × 21… simplest through workload: 21 erlangs at 100 %.
    const response = await get('model=workload&arrivals=21&intervalMinutes=60&ahtSeconds=3600&shrinkage=0.3&maxOccupancy=1');
    expect(response.json()).toMatchObject({ agents: 21, requiredScheduled: 30 });
  });

  it('no arrivals: 0 agents', async () => {
    const response = await get(
      'model=erlang-a&arrivals=0&intervalMinutes=15&ahtSeconds=300&targetPercent=80&targetSeconds=60&shrinkage=0.3&patienceSeconds=90',
    );
    expect(response.json()).toMatchObject({ agents: 0, requiredScheduled: 0, abandonProbability: 0 });
  });

  it('refuses what it cannot compute, naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['model=erlang-b&arrivals=1&intervalMinutes=30&ahtSeconds=60&shrinkage=0', /^model: /],
      ['model=erlang-c&arrivals=100001&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20', /^arrivals: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=20&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20', /^intervalMinutes: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=30&ahtSeconds=0&shrinkage=0&targetPercent=80&targetSeconds=20', /^ahtSeconds: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0.96&targetPercent=80&targetSeconds=20', /^shrinkage: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=100&targetSeconds=20', /^targetPercent: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20&maxOccupancy=0.05', /^maxOccupancy: /],
      ['model=erlang-c&arrivals=ten&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20', /^arrivals: /],
      ['model=erlang-c&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetSeconds=20', /^targetPercent: required for erlang-c/],
      ['model=erlang-a&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20', /^patienceSeconds: required for erlang-a/],
      ['model=erlang-a&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0&targetPercent=80&targetSeconds=20&patienceSeconds=0', /^patienceSeconds: /],
      ['model=workload&arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0', /^maxOccupancy: required for workload/],
      ['arrivals=10&intervalMinutes=30&ahtSeconds=60&shrinkage=0', /model/],
    ];
    for (const [query, message] of cases) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(message) } });
    }
  });

  it('answers 422 rather than computing a queue of tens of millions', async () => {
    // 100,000 contacts in 15 min, 1 s each, patience a week: with the one agent a 1 % target starts from, the queue would hold ~67 million.
    const response = await get(
      'model=erlang-a&arrivals=100000&intervalMinutes=15&ahtSeconds=1&shrinkage=0&targetPercent=1&targetSeconds=0&patienceSeconds=604800',
    );
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('out_of_range');
  });
});
