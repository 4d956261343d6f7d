// The update form's templates (docs/contract.md#templates): `GET /api/v1/templates?incident=`, their
// text filled by the server from the incident as it is now, and which of them suit a form.
import type { MessageTemplate, TemplatesAnswer } from '../../../../contract/status.js';
import { getJson } from '../api/http.js';
import type { Audience, Severity } from '../incidents/types.js';

export function fetchTemplates(token: string | null, incidentId: string, signal?: AbortSignal): Promise<TemplatesAnswer> {
  return getJson<TemplatesAnswer>(`/api/v1/templates?incident=${encodeURIComponent(incidentId)}`, token, signal);
}

/** The templates for an incident of `severity` and an update to `audience`, in the file's order. */
export function templatesFor(templates: readonly MessageTemplate[], severity: Severity, audience: Audience): MessageTemplate[] {
  return templates.filter((template) => template.audience === audience && template.severities.includes(severity));
}
