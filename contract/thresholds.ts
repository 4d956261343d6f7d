// Which colour a value takes (docs/contract.md#dashboards-as-code), in one place for the server's tests and the web's widgets.
import type { Threshold, ThresholdColor } from './dashboards.js';

/**
 * The colour of the last threshold whose bounds (inclusive) hold the value; null when none holds
 * or there is no value. "Last" so that a list written from mild to severe, as in docs/contract.md#dashboards-as-code's
 * `[{"gte":10,"color":"amber"},{"gte":20,"color":"red"}]`, gives red at 25 and amber at 15.
 */
export function thresholdColor(thresholds: readonly Threshold[] | undefined, value: number | null | undefined): ThresholdColor | null {
  if (thresholds === undefined || value === null || value === undefined || Number.isNaN(value)) return null;
  let color: ThresholdColor | null = null;
  for (const t of thresholds) {
    if ((t.gte === undefined || value >= t.gte) && (t.lte === undefined || value <= t.lte)) color = t.color;
  }
  return color;
}
