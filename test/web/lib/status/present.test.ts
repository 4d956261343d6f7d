// The status page's layout helpers and the console's template filter, pure: each incident with its
// own updates in the view's order, times with the date only when it is another day, and the
// templates that suit a severity and an audience.
import { describe, expect, it } from 'vitest';
import type { MessageTemplate, StatusView } from '../../../../contract/status.js';
import { templatesFor } from '../../../../web/src/lib/console/templates-api.js';
import { incidentsWithUpdates, readableTime } from '../../../../web/src/lib/status/present.js';

const incident = (number: number) => ({
  number,
  title: `#${number}`,
  status: 'investigating' as const,
  services: [],
  declaredAt: '2026-11-26T10:00:00.000Z',
  resolvedAt: null,
});
const update = (number: number, seq: number) => ({
  ...incident(number),
  statusThen: 'investigating' as const,
  seq,
  at: '2026-11-26T10:00:00.000Z',
  text: `${number}/${seq}`,
});

describe('incidentsWithUpdates', () => {
  it('gives each incident its updates, newest first as the view has them, and none to one without', () => {
    const view: StatusView = {
      generatedAt: '2026-11-26T11:00:00.000Z',
      state: 'partial-outage',
      services: [],
      incidents: [incident(3), incident(2), incident(1)],
      updates: [update(2, 9), update(3, 4), update(2, 5)],
    };
    expect(incidentsWithUpdates(view).map(({ incident, updates }) => [incident.number, updates.map((u) => u.text)])).toEqual([
      [3, ['3/4']],
      [2, ['2/9', '2/5']],
      [1, []],
    ]);
  });
});

describe('readableTime', () => {
  it('is the time alone today, with the date another day (vitest pins TZ=UTC)', () => {
    const now = new Date('2026-11-26T18:00:00Z');
    expect(readableTime('2026-11-26T09:05:00Z', 'en', now)).toBe('09:05');
    expect(readableTime('2026-11-25T21:40:00Z', 'en', now)).toBe('Nov 25, 21:40');
    expect(readableTime('2026-11-25T21:40:00Z', 'ru', now)).toBe('25 нояб., 21:40');
  });
});

describe('templatesFor', () => {
  const t = (id: string, severities: MessageTemplate['severities'], audience: MessageTemplate['audience']): MessageTemplate => ({
    id,
    title: id,
    severities,
    audience,
    text: id,
  });
  it('keeps the templates of the severity and the audience, in the file order', () => {
    const all = [t('a', ['SEV1', 'SEV2'], 'customers'), t('b', ['SEV3'], 'customers'), t('c', ['SEV2'], 'internal'), t('d', ['SEV2', 'SEV4'], 'customers')];
    expect(templatesFor(all, 'SEV2', 'customers').map((x) => x.id)).toEqual(['a', 'd']);
    expect(templatesFor(all, 'SEV2', 'internal').map((x) => x.id)).toEqual(['c']);
    expect(templatesFor(all, 'SEV4', 'internal')).toEqual([]);
  });
});
