// `dashboards/staffing.json`: the file shipped is valid, and every mistake is named by its JSON path.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateStaffingFile } from '../../../server/staffing/staffing-file.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('validateStaffingFile', () => {
  it('takes the three models with their own fields', () => {
    const result = validateStaffingFile({
      intervalMinutes: 30,
      lines: {
        l1: { model: 'erlang-c', ahtSeconds: 420, target: { percent: 80, seconds: 1200 }, shrinkage: 0.3, maxOccupancy: 0.85 },
        l2: { model: 'erlang-a', ahtSeconds: 1800, patienceSeconds: 7200, target: { percent: 80, seconds: 14400 }, shrinkage: 0.35 },
        l3: { model: 'workload', ahtSeconds: 5400, shrinkage: 0.4, maxOccupancy: 0.8 },
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.intervalMinutes).toBe(30);
    expect([...result.config.lines.keys()]).toEqual(['l1', 'l2', 'l3']);
    expect(result.config.lines.get('l2')).toEqual({
      model: 'erlang-a',
      ahtSeconds: 1800,
      patienceSeconds: 7200,
      target: { percent: 80, seconds: 14400 },
      shrinkage: 0.35,
    });
  });

  it('names each mistake by its path', () => {
    const result = validateStaffingFile({
      intervalMinutes: 20,
      lines: {
        l1: { model: 'erlang-b', ahtSeconds: 0, shrinkage: 0.3 },
        l2: { model: 'erlang-a', ahtSeconds: 1800, target: { percent: 80, seconds: 60 }, shrinkage: 1.5 },
        l3: { model: 'workload', ahtSeconds: 600, shrinkage: 0.2, target: { percent: 80, seconds: 60 } },
        l4: { model: 'erlang-c', ahtSeconds: 600, shrinkage: 0.2, target: { percent: 80, seconds: 60 }, colour: 'red' },
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'intervalMinutes',
      'lines.l1.model',
      'lines.l1.ahtSeconds',
      'lines.l2.shrinkage',
      'lines.l2.patienceSeconds',
      'lines.l3.target',
      'lines.l3.maxOccupancy',
      'lines.l4.colour',
    ]);
  });

  it('keeps a line named like an object member as data', () => {
    const parsed = JSON.parse('{"intervalMinutes": 15, "lines": {"__proto__": {"model": "workload", "ahtSeconds": 60, "shrinkage": 0, "maxOccupancy": 1}}}');
    const result = validateStaffingFile(parsed);
    expect(result.ok && [...result.config.lines.keys()]).toEqual(['__proto__']);
  });

  it('accepts the file the repository ships', () => {
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'dashboards/staffing.json'), 'utf8'));
    const result = validateStaffingFile(file);
    expect(result).toMatchObject({ ok: true });
  });
});
