// How ticket arrivals spread over a local day: quiet at night, a ramp from 07:00, the peak late in
// the morning, a lunch dip, a second peak early in the afternoon, a long evening tail.

/** Relative arrivals per local hour, 00:00 to 23:00 (shape only; normalized below). */
const HOURLY_SHAPE = [
  0.16, 0.11, 0.09, 0.08, 0.1, 0.16, 0.3, 0.6, 1.1, 1.65, 2.0, 2.1, 1.65, 1.85, 1.95, 1.7, 1.4, 1.05, 0.72, 0.52, 0.42, 0.36, 0.29, 0.21,
] as const;

const SHAPE_MEAN = HOURLY_SHAPE.reduce((sum, value) => sum + value, 0) / HOURLY_SHAPE.length;

/** The curve at hour `h` of the local day (0 ≤ h < 24), averaging 1 over the day. */
export function dayCurve(hour: number): number {
  // Each hourly value sits at the middle of its hour; interpolate linearly between them so the
  // rate has no steps on the hour.
  const position = (((hour - 0.5) % 24) + 24) % 24;
  const index = Math.floor(position);
  const fraction = position - index;
  const from = HOURLY_SHAPE[index % 24] ?? 1;
  const to = HOURLY_SHAPE[(index + 1) % 24] ?? 1;
  return (from + (to - from) * fraction) / SHAPE_MEAN;
}

/** The curve's peak value and the hour it sits at, for tests and sanity checks. */
export function curvePeak(): { hour: number; value: number } {
  let hour = 0;
  for (let h = 1; h < 24; h += 1) if ((HOURLY_SHAPE[h] ?? 0) > (HOURLY_SHAPE[hour] ?? 0)) hour = h;
  return { hour, value: (HOURLY_SHAPE[hour] ?? 0) / SHAPE_MEAN };
}
