// The status page and the update templates (docs/contract.md#status-page, #templates): the bodies of
// `GET /api/v1/status` and `GET /api/v1/templates`, shared by the server and the web app. Types and
// constant lists only (no Node, no I/O).
import type { Audience, IncidentStatus, Severity } from './incidents.js';

/** A service's state: an active incident of the most severe level (SEV1 as shipped) naming it is an outage, any other active incident degrades it. */
export const SERVICE_STATES = ['operational', 'degraded', 'outage'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** The page's one line: an active incident of the most severe level (SEV1 as shipped) is a major outage, any other active incident a partial one. */
export const OVERALL_STATES = ['operational', 'partial-outage', 'major-outage'] as const;
export type OverallState = (typeof OVERALL_STATES)[number];

/** How long a resolved incident (its services and its customer updates) stays on the page. */
export const STATUS_RESOLVED_DAYS = 7;

export interface StatusService {
  name: string;
  state: ServiceState;
  /** The numbers of the active incidents naming it, newest first. */
  incidents: number[];
}

/** An incident as customers see it: no severity, summary, people or internal update. */
export interface StatusIncident {
  number: number;
  title: string;
  status: IncidentStatus;
  services: string[];
  declaredAt: string;
  resolvedAt: string | null;
}

/** One customer update (never an internal one). */
export interface StatusUpdate {
  /** The incident's number, title and status now. */
  number: number;
  title: string;
  status: IncidentStatus;
  /** The incident's status when the update was posted. */
  statusThen: IncidentStatus;
  /** The update's seq in its incident's timeline: with `number`, its identity. */
  seq: number;
  at: string;
  text: string;
  declaredAt: string;
  resolvedAt: string | null;
}

/** `GET /api/v1/status`. */
export interface StatusView {
  generatedAt: string;
  state: OverallState;
  /** Every service named by an active incident or one resolved in the last 7 days, by name. */
  services: StatusService[];
  /** Active ones first (newest declared first), then the recently resolved (newest resolved first). */
  incidents: StatusIncident[];
  /** The customer updates of those incidents, newest first. */
  updates: StatusUpdate[];
}

/** The placeholders a template's text may hold, as `{name}`. */
export const TEMPLATE_PLACEHOLDERS = ['number', 'title', 'severity', 'services', 'nextUpdateAt', 'status'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** One entry of `dashboards/templates.json`. */
export interface MessageTemplate {
  /** Lower-case letters, digits and dashes; unique in the file. */
  id: string;
  title: string;
  /** The severities it suits: the console offers it for incidents of these. */
  severities: Severity[];
  audience: Audience;
  /** With `{placeholder}`s; filled from an incident by `GET /api/v1/templates?incident=`. */
  text: string;
}

/** `GET /api/v1/templates`: the templates in force, their text filled when an incident was named. */
export interface TemplatesAnswer {
  /** The incident the texts were filled from; null when none was named (the texts as written). */
  incident: string | null;
  /** The values put in, when an incident was named; times are HH:MM in the server's zone. */
  values: Record<TemplatePlaceholder, string> | null;
  /** `nextUpdateAt` as an ISO time, null without an incident. */
  nextUpdateAt: string | null;
  /** The zone the HH:MM times are in (`TZ`). */
  timeZone: string;
  templates: MessageTemplate[];
  /** What is wrong with the file as it is now (JSON paths); empty when the file is in force. */
  problems: Array<{ path: string; message: string }>;
}
