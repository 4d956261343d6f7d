// The metric paths a widget may name (docs/contract.md#the-numbers, #dashboards-as-code), checked by the validator and read by the
// web app, so that both ends agree on one grammar:
//   numbers (stat, gauge, sparkline):
//     queues.<queue>.<open|waiting|oldestWaitingSec|breached|atRisk>   (a queue not in the state reads 0)
//     agents.<available|busy|away|offline>
//     sla.<breachedOpen|breachedToday|atRisk|complianceToday>
//     kpis.<createdToday|solvedToday|frtMedianSec|frtP90Sec|resolutionMedianSec|csatToday>
//   lists: queues (queue-table), agents (agent-board), tickets.<at-risk|breached|waiting> (sla-risk),
//     incidents (incident), staffing (staffing)
//   none: clock, text
// Pure: no I/O.
import { AGENT_STATUSES, TICKET_VIEWS, type KpiState, type LiveState, type QueueState, type SlaState } from './domain.js';
import type { WidgetType } from './dashboards.js';

export const QUEUE_FIELDS = ['open', 'waiting', 'oldestWaitingSec', 'breached', 'atRisk'] as const satisfies readonly (keyof QueueState)[];
export const SLA_FIELDS = ['breachedOpen', 'breachedToday', 'atRisk', 'complianceToday'] as const satisfies readonly (keyof SlaState)[];
export const KPI_FIELDS = [
  'createdToday',
  'solvedToday',
  'frtMedianSec',
  'frtP90Sec',
  'resolutionMedianSec',
  'csatToday',
] as const satisfies readonly (keyof KpiState)[];

export const NUMBER_WIDGETS = ['stat', 'gauge', 'sparkline'] as const satisfies readonly WidgetType[];

/** The metrics a list widget may show; the first is its default when the file names none. */
export const LIST_WIDGET_METRICS = {
  'queue-table': ['queues'],
  'agent-board': ['agents'],
  'sla-risk': TICKET_VIEWS.map((view) => `tickets.${view}`),
  incident: ['incidents'],
  staffing: ['staffing'],
} as const satisfies Partial<Record<WidgetType, readonly string[]>>;

export const NO_METRIC_WIDGETS = ['clock', 'text'] as const satisfies readonly WidgetType[];

export type NumberMetric =
  | { section: 'queues'; queue: string; field: (typeof QUEUE_FIELDS)[number] }
  | { section: 'agents'; field: (typeof AGENT_STATUSES)[number] }
  | { section: 'sla'; field: (typeof SLA_FIELDS)[number] }
  | { section: 'kpis'; field: (typeof KPI_FIELDS)[number] };

const NUMBER_GRAMMAR = 'queues.<queue>.<field>, agents.<status>, sla.<field> or kpis.<field>';

function pick<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Parses a number metric path, or says what is wrong with it. */
export function parseNumberMetric(path: string): NumberMetric | { error: string } {
  const dot = path.indexOf('.');
  const section = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  switch (section) {
    case 'queues': {
      const last = rest.lastIndexOf('.');
      if (last <= 0) return { error: `"${path}" is not a number; use queues.<queue>.<${QUEUE_FIELDS.join('|')}>, e.g. queues.l1.waiting` };
      const queue = rest.slice(0, last);
      const field = pick(rest.slice(last + 1), QUEUE_FIELDS);
      if (field === undefined) return { error: `unknown queue field "${rest.slice(last + 1)}" in "${path}"; must be one of ${QUEUE_FIELDS.join(', ')}` };
      return { section, queue, field };
    }
    case 'agents': {
      const field = pick(rest, AGENT_STATUSES);
      if (field === undefined) return { error: `unknown agent status "${rest}" in "${path}"; must be one of ${AGENT_STATUSES.join(', ')}` };
      return { section, field };
    }
    case 'sla': {
      const field = pick(rest, SLA_FIELDS);
      if (field === undefined) return { error: `unknown sla field "${rest}" in "${path}"; must be one of ${SLA_FIELDS.join(', ')}` };
      return { section, field };
    }
    case 'kpis': {
      const field = pick(rest, KPI_FIELDS);
      if (field === undefined) return { error: `unknown kpis field "${rest}" in "${path}"; must be one of ${KPI_FIELDS.join(', ')}` };
      return { section, field };
    }
    default:
      return { error: `unknown metric "${path}"; a number of the live state is ${NUMBER_GRAMMAR}` };
  }
}

/**
 * Checks a widget's metric against its type: null when fine, else the reason. `metric` is
 * undefined when the file leaves it out.
 */
export function checkWidgetMetric(type: WidgetType, metric: string | undefined): string | null {
  if ((NUMBER_WIDGETS as readonly WidgetType[]).includes(type)) {
    if (metric === undefined) return `required for ${type} widgets: a number of the live state (${NUMBER_GRAMMAR})`;
    const parsed = parseNumberMetric(metric);
    return 'error' in parsed ? parsed.error : null;
  }
  if ((NO_METRIC_WIDGETS as readonly WidgetType[]).includes(type)) {
    return metric === undefined ? null : `not allowed on ${type} widgets`;
  }
  const allowed: readonly string[] = LIST_WIDGET_METRICS[type as keyof typeof LIST_WIDGET_METRICS];
  if (metric === undefined || allowed.includes(metric)) return null;
  return allowed.length === 1 ? `must be "${allowed[0]}" for ${type} widgets` : `must be one of ${allowed.join(', ')} for ${type} widgets`;
}

/** The metric a widget shows when its file names none (list widgets), or undefined. */
export function defaultWidgetMetric(type: WidgetType): string | undefined {
  const allowed = (LIST_WIDGET_METRICS as Partial<Record<WidgetType, readonly string[]>>)[type];
  return allowed?.[0];
}

/**
 * The value of a number metric in a state: null when the state has no value (e.g.
 * `sla.complianceToday` before any target came due) or the path is not a number metric.
 * A queue that is not in the state has nothing open, so its numbers read 0.
 */
export function numberMetricValue(state: Pick<LiveState, 'queues' | 'agents' | 'sla' | 'kpis'>, path: string): number | null {
  const metric = parseNumberMetric(path);
  if ('error' in metric) return null;
  switch (metric.section) {
    case 'queues':
      return state.queues.find((q) => q.id === metric.queue)?.[metric.field] ?? 0;
    case 'agents':
      return state.agents[metric.field];
    case 'sla':
      return state.sla[metric.field];
    case 'kpis':
      return state.kpis[metric.field];
  }
}
