// Validation of dashboards/notifications.json (docs/contract.md#outbound-notifications).
import { describe, expect, it } from 'vitest';
import { validateNotificationsFile } from '../../../server/notify/notifications-file.js';

const target = { id: 'ops', url: 'https://hooks.example.com/x', secret: 'a-long-enough-secret', events: ['incident.declared'], format: 'slack' };

describe('validateNotificationsFile', () => {
  it('takes the shipped empty file and a full target, with an env: secret read from the environment', () => {
    const empty = validateNotificationsFile({ targets: [] }, {});
    expect(empty.ok && empty.config.targets.size).toBe(0);
    const result = validateNotificationsFile(
      { targets: [target, { ...target, id: 'json', secret: 'env:HOOK_SECRET', format: undefined }] },
      { HOOK_SECRET: 'from-the-environment' },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect([...result.config.targets.values()].map((t) => [t.id, t.secret, t.format])).toEqual([
      ['ops', 'a-long-enough-secret', 'slack'],
      ['json', 'from-the-environment', 'json'],
    ]);
  });

  it('names every problem by its JSON path', () => {
    const result = validateNotificationsFile(
      {
        targets: [
          { ...target, secret: 'env:MISSING_VAR' },
          { ...target, id: 'ops', url: 'ftp://x', events: ['incident.exploded', 'incident.declared', 'incident.declared'], format: 'email', extra: 1 },
          { ...target, id: 'bad id', secret: 'short' },
        ],
        other: true,
      },
      {},
    );
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      'other',
      'targets[0].secret',
      'targets[1].extra',
      'targets[1].url',
      'targets[1].events[0]',
      'targets[1].events[2]',
      'targets[1].format',
      'targets[2].id',
      'targets[2].secret',
    ]);
    const missing = result.ok ? null : result.problems.find((p) => p.path === 'targets[0].secret');
    expect(missing?.message).toBe('the environment variable MISSING_VAR is not set');
  });

  it('refuses two targets of one id, and a file that is not an object', () => {
    const twice = validateNotificationsFile({ targets: [target, target] }, {});
    expect(twice.ok ? [] : twice.problems).toEqual([{ path: 'targets[1].id', message: '"ops" is used by an earlier target' }]);
    expect(validateNotificationsFile([], {}).ok).toBe(false);
    expect(validateNotificationsFile({}, {}).ok).toBe(false);
  });
});
