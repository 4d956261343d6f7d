// Metric paths of dashboards (docs/contract.md#dashboards-as-code) read against the live state (docs/contract.md#the-numbers). The grammar, the value
// of a number path and the threshold rule come from the contract (contract/metrics.ts and
// thresholds.ts), so the wall colours and reads exactly what the server's validator accepted.
import type { Widget } from '../../../contract/dashboards.js';
import { numberMetricValue } from '../../../contract/metrics.js';
import { STATE_SECTIONS, type LiveState, type StateSection } from '../../../contract/domain.js';
import { formatDuration, formatRatio, type DurationUnits } from './format.js';

/** What formatting needs of the wall's language (the I18n class has it). */
export interface NumberLocale {
  units(): DurationUnits;
  count(value: number): string;
}

export { thresholdColor } from '../../../contract/thresholds.js';

export type ValueFormat = NonNullable<Widget['format']>;

/** The state section a metric path reads (`queues.l1.waiting` → `queues`), or null. */
export function sectionOf(path: string | undefined): StateSection | null {
  if (!path) return null;
  const head = path.split('.')[0];
  return (STATE_SECTIONS as readonly string[]).includes(head ?? '') ? (head as StateSection) : null;
}

/** A number metric's value; null before the first state, when the server says null, or for a list path. */
export function numericMetric(state: LiveState | null, path: string | undefined): number | null {
  if (state === null || !path) return null;
  return numberMetricValue(state, path);
}

/** The widget's `format`, else inferred from the path: `…Sec` are durations, shares are percent. */
export function formatOf(widget: Pick<Widget, 'format' | 'metric'>): ValueFormat {
  if (widget.format) return widget.format;
  const path = widget.metric ?? '';
  if (/Sec$/.test(path)) return 'duration';
  if (/(complianceToday|csatToday)$/.test(path)) return 'percent';
  return 'number';
}

export function formatValue(value: number | null, format: ValueFormat, i18n: NumberLocale): string {
  if (value === null) return '—';
  if (format === 'percent') return formatRatio(value);
  if (format === 'duration') return formatDuration(value, i18n.units());
  return i18n.count(value);
}

/** `data-value` of docs/contract.md#dashboards-as-code: the raw value, `null` when there is none. */
export function dataValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
