// The severity scale in force (docs/contract.md#severities), read once per page from
// `GET /api/v1/severities` and shared by every console component that shows or offers a severity
// (a module-level cache: the scale is the server's, the same for every token). Until it arrives,
// or if it cannot be read, `levels` is empty and badges show the bare id.
import type { SeveritiesAnswer, SeverityLevel } from '../../../../contract/incidents.js';
import { getJson } from '../api/http.js';
import type { I18n } from '../i18n/i18n.svelte.js';
import { isBuiltIn, levelOf, rankOf, toneOf } from './severity-scale.js';

export class SeverityScaleState {
  // Replaced wholesale (STYLE: $state.raw, no deep proxies).
  levels = $state.raw<readonly SeverityLevel[]>([]);
  error = $state<string | null>(null);

  level(id: string): SeverityLevel | undefined {
    return levelOf(this.levels, id);
  }

  /** The badge colour of `id` (1 red … 4 grey), null when the scale does not have it (or is not read yet). */
  tone(id: string): 1 | 2 | 3 | 4 | null {
    return toneOf(rankOf(this.levels, id), this.levels.length);
  }

  /** The level's name: a built-in level as shipped keeps its translation, others the file's label; the id when unknown. */
  label(id: string, i18n: I18n): string {
    const level = this.level(id);
    if (level === undefined) return id;
    return isBuiltIn(level) ? i18n.t(`severity.${level.id}` as 'severity.SEV1') : level.label;
  }

  /** What the level means, with what it sets off (incident mode, the update cadence). */
  meaning(id: string, i18n: I18n): string {
    const level = this.level(id);
    if (level === undefined) return this.levels.length === 0 ? '' : i18n.t('ic.severityGone');
    if (isBuiltIn(level)) return i18n.t(`severity.${level.id}.meaning` as 'severity.SEV1.meaning');
    const takesOver = level.major ? [i18n.t('severity.takesOver')] : [];
    const cadence = level.customerUpdateMinutes === null ? [] : [i18n.t('severity.cadence', { n: level.customerUpdateMinutes })];
    return [level.description, ...takesOver, ...cadence].filter((part) => part !== '').join(' ');
  }

  /** Whether `id` is a built-in level as shipped (its translations apply). */
  builtIn(id: string): boolean {
    const level = this.level(id);
    return level !== undefined && isBuiltIn(level);
  }
}

const scale = new SeverityScaleState();
/** The scale as read so far, without starting a read (a badge has no token; its page started one). */
export const knownSeverities: SeverityScaleState = scale;
let loading: Promise<void> | null = null;

/** The scale, loading it on first use; a failed read is tried again by the next caller. */
export function severityScale(token: string | null): SeverityScaleState {
  if (loading === null)
    loading = getJson<SeveritiesAnswer>('/api/v1/severities', token).then(
      (answer) => {
        scale.levels = answer.levels;
        scale.error = null;
      },
      (error: unknown) => {
        scale.error = error instanceof Error ? error.message : String(error);
        loading = null;
      },
    );
  return scale;
}
