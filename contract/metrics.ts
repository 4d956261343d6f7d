// The metric paths a widget may name (docs/contract.md#the-numbers, #dashboards-as-code), checked by the validator and read by the
// web app, so that both ends agree on one grammar:
//   numbers (stat, gauge, sparkline):
//     queues.<queue>.<open|waiting|oldestWaitingSec|breached|atRisk>   (a queue not in the state reads 0)
//     agents.<available|busy|away|offline>
//     sla.<breachedOpen|breachedToday|atRisk|complianceToday>
//     kpis.<createdToday|solvedToday|frtMedianSec|frtP90Sec|resolutionMedianSec|csatToday>
//     staffing.<line>.<forecast|actual|required|requiredScheduled|scheduled|staffedNow|gap>
//       (a line with no staffing row reads null: no plan is not a plan of 0)
//     followUps.<open|overdue>
//     flow.<reopenedToday|fcrToday>, flow.escalated.<from>.<to>   (a pair not escalated today reads 0)
//   lists: queues (queue-table), agents (agent-board), tickets.<at-risk|breached|waiting> (sla-risk),
//     incidents (incident), staffing (staffing)
//   none: clock, text
// Pure: no I/O.
import { AGENT_STATUSES, TICKET_VIEWS, type FollowUpCounts, type KpiState, type LiveState, type QueueState, type SlaState } from './domain.js';
import type { StaffingNow } from './staffing.js';
import type { FlowState } from './flow.js';
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

export const STAFFING_FIELDS = [
  'forecast',
  'actual',
  'required',
  'requiredScheduled',
  'scheduled',
  'staffedNow',
  'gap',
] as const satisfies readonly (keyof StaffingNow)[];

export const FOLLOW_UP_FIELDS = ['open', 'overdue'] as const satisfies readonly (keyof FollowUpCounts)[];

/** The flow section's single numbers; `flow.escalated.<from>.<to>` is the per-pair one. */
export const FLOW_FIELDS = ['reopenedToday', 'fcrToday'] as const satisfies readonly (keyof FlowState)[];

/** The sections of the state that hold numbers a widget, an alert rule or the history may name. */
export type NumericState = Pick<LiveState, 'queues' | 'agents' | 'sla' | 'kpis' | 'staffing' | 'followUps' | 'flow'>;

export const NUMBER_WIDGETS = ['stat', 'gauge', 'sparkline'] as const satisfies readonly WidgetType[];

/** The metrics a list widget may show; the first is its default when the file names none. */
export const LIST_WIDGET_METRICS = {
  'queue-table': ['queues'],
  'agent-board': ['agents'],
  'sla-risk': TICKET_VIEWS.map((view) => `tickets.${view}`),
  incident: ['incidents'],
  staffing: ['staffing'],
  flow: ['flow'],
} as const satisfies Partial<Record<WidgetType, readonly string[]>>;

export const NO_METRIC_WIDGETS = ['clock', 'text'] as const satisfies readonly WidgetType[];

export type NumberMetric =
  | { section: 'queues'; queue: string; field: (typeof QUEUE_FIELDS)[number] }
  | { section: 'agents'; field: (typeof AGENT_STATUSES)[number] }
  | { section: 'sla'; field: (typeof SLA_FIELDS)[number] }
  | { section: 'kpis'; field: (typeof KPI_FIELDS)[number] }
  | { section: 'staffing'; queue: string; field: (typeof STAFFING_FIELDS)[number] }
  | { section: 'followUps'; field: (typeof FOLLOW_UP_FIELDS)[number] }
  | { section: 'flow'; field: (typeof FLOW_FIELDS)[number] }
  | { section: 'flow'; field: 'escalated'; from: string; to: string };

const NUMBER_GRAMMAR =
  'queues.<queue>.<field>, agents.<status>, sla.<field>, kpis.<field>, staffing.<line>.<field>, followUps.<open|overdue>, flow.<reopenedToday|fcrToday> or flow.escalated.<from>.<to>';

/** `<queue>.<field>` of a per-queue section (queues, staffing), or what is wrong with it. */
function perQueue<T extends string>(path: string, rest: string, section: string, fields: readonly T[]): { queue: string; field: T } | { error: string } {
  const last = rest.lastIndexOf('.');
  if (last <= 0)
    return {
      error: `"${path}" is not a number; use ${section}.<${section === 'queues' ? 'queue' : 'line'}>.<${fields.join('|')}>, e.g. ${section}.l1.${fields[1]}`,
    };
  const field = pick(rest.slice(last + 1), fields);
  if (field === undefined)
    return { error: `unknown ${section === 'queues' ? 'queue' : section} field "${rest.slice(last + 1)}" in "${path}"; must be one of ${fields.join(', ')}` };
  return { queue: rest.slice(0, last), field };
}

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
      const parsed = perQueue(path, rest, section, QUEUE_FIELDS);
      return 'error' in parsed ? parsed : { section, ...parsed };
    }
    case 'staffing': {
      const parsed = perQueue(path, rest, section, STAFFING_FIELDS);
      return 'error' in parsed ? parsed : { section, ...parsed };
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
    case 'followUps': {
      const field = pick(rest, FOLLOW_UP_FIELDS);
      if (field === undefined) return { error: `unknown followUps field "${rest}" in "${path}"; must be one of ${FOLLOW_UP_FIELDS.join(', ')}` };
      return { section, field };
    }
    case 'flow': {
      if (rest.startsWith('escalated.')) {
        const pair = rest.slice('escalated.'.length);
        const last = pair.lastIndexOf('.');
        if (last <= 0 || last === pair.length - 1) return { error: `"${path}" is not a number; use flow.escalated.<from>.<to>, e.g. flow.escalated.l1.l2` };
        return { section, field: 'escalated', from: pair.slice(0, last), to: pair.slice(last + 1) };
      }
      const field = pick(rest, FLOW_FIELDS);
      if (field === undefined) return { error: `unknown flow field "${rest}" in "${path}"; must be one of ${FLOW_FIELDS.join(', ')} or escalated.<from>.<to>` };
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
export function numberMetricValue(state: NumericState, path: string): number | null {
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
    case 'staffing':
      return state.staffing.find((row) => row.line === metric.queue)?.[metric.field] ?? null;
    case 'followUps':
      return state.followUps[metric.field];
    case 'flow':
      if (metric.field === 'escalated') return state.flow.escalatedToday.find((m) => m.from === metric.from && m.to === metric.to)?.count ?? 0;
      return state.flow[metric.field];
  }
}
