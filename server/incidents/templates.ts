// Filling an update template from an incident (docs/contract.md#templates), pure. One pass over the
// text: a value that itself reads `{title}` (an incident titled so) is put in as it is, never filled
// again. `{nextUpdateAt}` is when the next customer update is owed if this one is posted now.
import { DEFAULT_SEVERITY_SCALE, type Incident, type SeverityScale, severityLevel } from '../../contract/incidents.js';
import { TEMPLATE_PLACEHOLDERS, type TemplatePlaceholder } from '../../contract/status.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const MINUTE_MS = 60_000;
/** A severity without cadence (SEV3/4 by default) owes customers none; a template promising a next update still needs a time. */
export const DEFAULT_NEXT_UPDATE_MINUTES = 60;
/** The promised time is rounded down to this: a promise kept early, never late. */
const ROUND_MS = 5 * MINUTE_MS;
/** Services named by none: the words customers read instead of an empty list. */
export const NO_SERVICES = 'our services';

export type TemplateValues = Record<TemplatePlaceholder, string>;

/** The `{name}`s a text holds, in order, repeats included. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

const isPlaceholder = (name: string): name is TemplatePlaceholder => (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name);

/** `text` with every known placeholder replaced by its value; unknown ones are left as written. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (match, name: string) => (isPlaceholder(name) ? values[name] : match));
}

/**
 * When the next customer update is owed after one posted at `now`: the severity's cadence on `scale`
 * (none, or a severity the scale no longer has: an hour), rounded down to 5 minutes.
 */
export function nextUpdateAt(incident: Pick<Incident, 'severity'>, now: number, scale: SeverityScale = DEFAULT_SEVERITY_SCALE): number {
  const minutes = severityLevel(scale, incident.severity)?.customerUpdateMinutes ?? DEFAULT_NEXT_UPDATE_MINUTES;
  return Math.floor((now + minutes * MINUTE_MS) / ROUND_MS) * ROUND_MS;
}

/** `HH:MM` (24-hour) of `ms` in `timeZone` (as in `TZ`; a leading `:` is ignored). */
export function clockTime(ms: number, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone.replace(/^:/, ''), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return format.format(ms);
}

/** The values of an incident's placeholders, at `now`, with times in `timeZone`. */
export function templateValues(
  incident: Pick<Incident, 'number' | 'title' | 'severity' | 'services' | 'status'>,
  now: number,
  timeZone: string,
  scale: SeverityScale = DEFAULT_SEVERITY_SCALE,
): TemplateValues {
  return {
    number: String(incident.number),
    title: incident.title,
    severity: incident.severity,
    services: incident.services.length === 0 ? NO_SERVICES : incident.services.join(', '),
    nextUpdateAt: clockTime(nextUpdateAt(incident, now, scale), timeZone),
    status: incident.status,
  };
}
