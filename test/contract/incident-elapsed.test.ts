// How long an incident has run, the one computation the wall bar, the incident widget and both
// consoles show.
import { describe, expect, it } from 'vitest';
import { incidentElapsedSec } from '../../contract/incident-elapsed.js';

const DECLARED = '2026-12-02T10:00:00.000Z';
const at = (iso: string): number => Date.parse(iso);

describe('incident elapsed time', () => {
  it('runs from the declaration to now while unresolved', () => {
    expect(incidentElapsedSec({ declaredAt: DECLARED }, at('2026-12-02T10:05:30.000Z'))).toBe(330);
    expect(incidentElapsedSec({ declaredAt: DECLARED, resolvedAt: null }, at('2026-12-02T11:00:00.000Z'))).toBe(3600);
  });

  it('stops at the resolution', () => {
    expect(incidentElapsedSec({ declaredAt: DECLARED, resolvedAt: '2026-12-02T10:45:00.000Z' }, at('2026-12-02T18:00:00.000Z'))).toBe(2700);
  });

  it('is never negative on a screen whose clock runs behind', () => {
    expect(incidentElapsedSec({ declaredAt: DECLARED }, at('2026-12-02T09:59:58.000Z'))).toBe(0);
  });
});
