// The severity scale as the console uses it (docs/contract.md#severities), pure: a level by id, its
// rank, its badge tone, the label and meaning to show, and the declare form's first choice. The
// levels come from `GET /api/v1/severities` (severities.svelte.ts); walls never need them (the
// state's summaries say `major`).
import { DEFAULT_SEVERITY_LEVELS, type SeverityLevel } from '../../../../contract/incidents.js';

export type { SeverityLevel };

/** The level of `id`; undefined for a severity the scale no longer has (shown as its id). */
export function levelOf(levels: readonly SeverityLevel[], id: string): SeverityLevel | undefined {
  return levels.find((l) => l.id === id);
}

/** 0 is the most severe; a severity the scale no longer has ranks after every known one. */
export function rankOf(levels: readonly SeverityLevel[], id: string): number {
  const index = levels.findIndex((l) => l.id === id);
  return index === -1 ? levels.length : index;
}

/** Most severe first, then the oldest: the order of the console's active list. */
export function byRank(levels: readonly SeverityLevel[]) {
  return <T extends { severity: string; declaredAt: string }>(a: T, b: T): number =>
    rankOf(levels, a.severity) - rankOf(levels, b.severity) || Date.parse(a.declaredAt) - Date.parse(b.declaredAt);
}

/**
 * The badge colour (1 red … 4 grey, today's four colours) of the level at `rank` of `count`: four
 * levels keep today's colours, other counts spread over the four from red to grey; null for a
 * severity the scale no longer has (a neutral badge).
 */
export function toneOf(rank: number, count: number): 1 | 2 | 3 | 4 | null {
  if (rank < 0 || rank >= count) return null;
  if (count === 1) return 1;
  return (1 + Math.round((rank * 3) / (count - 1))) as 1 | 2 | 3 | 4;
}

/**
 * A built-in level left as shipped keeps its translations (`severity.SEV1`, `severity.SEV1.meaning`);
 * a level the file renamed or added shows the file's words.
 */
export function isBuiltIn(level: SeverityLevel): boolean {
  const builtIn = levelOf(DEFAULT_SEVERITY_LEVELS, level.id);
  return builtIn !== undefined && builtIn.label === level.label && builtIn.description === level.description;
}

/** The declare form's first choice: the least severe major level (SEV2 by default), else the most severe. */
export function defaultSeverity(levels: readonly SeverityLevel[]): string | null {
  const majors = levels.filter((l) => l.major);
  return (majors[majors.length - 1] ?? levels[0])?.id ?? null;
}
