// The report definitions of `<DASHBOARDS_DIR>/reports/` against a real temporary directory: read at
// start, hot-reloaded, a broken edit refused with file, JSON path and reason while the last good
// version stays, and the fix taken.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportRegistry } from '../../../server/reports/report-registry.js';
import type { RegistryLogger } from '../../../server/dashboards/json-file-directory.js';
import { tempDir } from '../../helpers/app.js';
import { waitFor } from '../../helpers/live-client.js';

const PICKUP_MS = 2_000;

function definition(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title, period: 'week', schedule: '0 7 * * 1', lang: 'en', sections: [{ type: 'summary', figures: ['created'] }], ...extra };
}

class Log implements RegistryLogger {
  readonly lines: Array<{ level: 'info' | 'warn'; message: string; details: object }> = [];
  info(details: object, message: string): void {
    this.lines.push({ level: 'info', message, details });
  }
  warn(details: object, message: string): void {
    this.lines.push({ level: 'warn', message, details });
  }
  get warnings(): string[] {
    return this.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  }
}

const registries: ReportRegistry[] = [];
afterEach(() => {
  for (const registry of registries.splice(0)) registry.close();
});

async function setup(files: Record<string, unknown>, options: { watch?: boolean; rescanMs?: number } = {}) {
  const dashboardsDir = tempDir('watchfloor-reports-');
  const dir = path.join(dashboardsDir, 'reports');
  fs.mkdirSync(dir);
  const write = (file: string, content: unknown) =>
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  for (const [file, content] of Object.entries(files)) write(file, content);
  // A wall dashboard beside reports/ is not a report.
  fs.writeFileSync(path.join(dashboardsDir, 'support.json'), '{}');
  const log = new Log();
  const registry = new ReportRegistry({ dashboardsDir, log, ...options });
  registries.push(registry);
  const changes: string[] = [];
  registry.on('changed', (id) => changes.push(id));
  await registry.start();
  return { dir, registry, log, changes, write };
}

describe('report definitions', () => {
  it('loads the good files of reports/ at start and refuses the bad ones, naming file, path and reason', async () => {
    const { registry, log } = await setup({
      'weekly.json': definition('Weekly'),
      'monthly.json': definition('Monthly', { period: 'month', schedule: '0 7 1 * *', lang: 'ru' }),
      'broken.json': definition('Broken', { period: 'quarter' }),
      '.#weekly.json': 'an editor lock file',
      'notes.txt': 'not a definition',
    });
    expect(registry.list().map((d) => `${d.id} ${d.period} ${d.schedule}`)).toEqual(['monthly month 0 7 1 * *', 'weekly week 0 7 * * 1']);
    expect(registry.get('weekly')?.title).toBe('Weekly');
    expect(registry.get('broken')).toBeUndefined();
    expect(registry.problems).toEqual([
      { id: 'broken', file: 'broken.json', inUse: false, problems: [{ path: 'period', message: 'must be one of day, week, month, got "quarter"' }] },
    ]);
    expect(log.warnings).toEqual([
      'report definition broken.json refused (there is no good version to show): broken.json: period: must be one of day, week, month, got "quarter"',
    ]);
    expect(log.lines.at(-1)?.message).toMatch(/^reports loaded from .*\/reports: monthly, weekly$/);
  });

  it('a broken edit keeps the last good version with the problem; the fix is taken and announced', async () => {
    const { registry, log, changes, write } = await setup({ 'weekly.json': definition('Weekly') });

    write('weekly.json', definition('Weekly', { sections: [{ type: 'worstDays', figure: 'compliance', count: 40 }] }));
    await waitFor(() => registry.problems.length > 0, 'the broken edit to be seen', PICKUP_MS);
    expect(registry.get('weekly')?.sections).toEqual([{ type: 'summary', figures: ['created'] }]);
    expect(registry.problems).toEqual([
      { id: 'weekly', file: 'weekly.json', inUse: true, problems: [{ path: 'sections[0].count', message: 'must be a whole number from 1 to 31, got 40' }] },
    ]);
    expect(log.warnings).toEqual([
      'report definition weekly.json refused (the scheduler and the API keep its last good version): weekly.json: sections[0].count: must be a whole number from 1 to 31, got 40',
    ]);
    expect(changes).toEqual([]);

    write('weekly.json', definition('Weekly', { sections: [{ type: 'worstDays', figure: 'compliance', count: 3 }] }));
    await waitFor(() => changes.length > 0, 'the fix to be taken', PICKUP_MS);
    expect(changes).toEqual(['weekly']);
    expect(registry.problems).toEqual([]);
    expect(registry.get('weekly')?.sections).toEqual([{ type: 'worstDays', figure: 'compliance', count: 3 }]);
    expect(log.lines.at(-1)?.message).toBe('report definition weekly.json changed; the scheduler follows it');
  });

  it('the periodic re-scan alone picks up a new file (filesystems where fs.watch says nothing)', async () => {
    const { registry, changes, write } = await setup({}, { watch: false, rescanMs: 100 });
    expect(registry.list()).toEqual([]);
    write('daily.json', definition('Daily', { period: 'day', schedule: '30 2 * * *' }));
    await waitFor(() => changes.length > 0, 'the new file to be read', PICKUP_MS);
    expect(registry.get('daily')?.schedule).toBe('30 2 * * *');
  });
});
