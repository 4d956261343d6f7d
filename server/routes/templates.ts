// Update templates (docs/contract.md#templates): `GET /api/v1/templates?incident=<id>` (viewer) answers
// the templates of `dashboards/templates.json`, their text filled from that incident, for the
// console's update form. The file is re-read when it changed (a bad version is refused with its
// JSON paths, and the last good one stays in force).
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AUDIENCES, type Incident, SEVERITY_ID_PATTERN, type SeverityScale } from '../../contract/incidents.js';
import { type MessageTemplate, TEMPLATE_PLACEHOLDERS, type TemplatesAnswer } from '../../contract/status.js';
import { SettingsFile } from '../dashboards/settings-file.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { fillTemplate, nextUpdateAt, templateValues } from '../incidents/templates.js';
import { TEMPLATES_FILE, validateTemplatesFile } from '../incidents/templates-file.js';
import { errors, GUARD_ERRORS, needsRole, NULLABLE_ISO_TIME, openObject, TOKEN_QUERY } from './schemas/common.js';

const TEMPLATE = openObject(
  {
    id: { type: 'string' },
    title: { type: 'string' },
    severities: { type: 'array', items: { type: 'string', pattern: SEVERITY_ID_PATTERN } },
    audience: { type: 'string', enum: [...AUDIENCES] },
    text: { type: 'string', description: 'Filled from the incident when one was named; as written otherwise.' },
  },
  ['id', 'title', 'severities', 'audience', 'text'],
);

const ANSWER = openObject(
  {
    incident: { type: ['string', 'null'] },
    values: {
      type: ['object', 'null'],
      description: 'What each placeholder was filled with (times HH:MM in `timeZone`).',
      properties: Object.fromEntries(TEMPLATE_PLACEHOLDERS.map((name) => [name, { type: 'string' }])),
      additionalProperties: true,
    },
    nextUpdateAt: {
      ...NULLABLE_ISO_TIME,
      description: '`{nextUpdateAt}` as an ISO time: the severity’s cadence from now (none: an hour), rounded down to 5 minutes.',
    },
    timeZone: { type: 'string' },
    templates: { type: 'array', items: TEMPLATE },
    problems: { type: 'array', items: openObject({ path: { type: 'string' }, message: { type: 'string' } }, ['path', 'message']) },
  },
  ['incident', 'values', 'nextUpdateAt', 'timeZone', 'templates', 'problems'],
);

/**
 * Severities a template names that the scale in force does not have: not a reason to refuse the
 * file (the scale may change after it), but worth saying, since the template is never offered for them.
 */
function offScale(templates: readonly MessageTemplate[], scale: SeverityScale): { path: string; message: string }[] {
  const ids = scale.levels.map((l) => l.id);
  return templates.flatMap((template, index) =>
    template.severities
      .map((severity, i) => ({ severity, i }))
      .filter(({ severity }) => !ids.includes(severity))
      .map(({ severity, i }) => ({
        path: `templates[${index}].severities[${i}]`,
        message: `${severity} is not a level of severities.json (${ids.join(', ')}); the template is not offered for it`,
      })),
  );
}

export async function templateRoutes(app: FastifyInstance): Promise<void> {
  const { tokens, incidents, config, now } = app;
  const file = new SettingsFile(path.join(config.dashboardsDir, TEMPLATES_FILE), {
    validate: validateTemplatesFile,
    log: app.log,
    missing: `no ${TEMPLATES_FILE}: the console offers no templates`,
    describe: (templates) => `${templates.length} templates`,
  });

  app.get<{ Querystring: { incident?: string } }>(
    '/api/v1/templates',
    {
      onRequest: requireRole(tokens, 'viewer'),
      schema: {
        tags: ['incidents'],
        summary: 'Update templates, filled from an incident',
        ...needsRole('viewer', 'GET', 'The templates of `dashboards/templates.json`; with `incident`, their text filled from that incident.'),
        querystring: {
          type: 'object',
          properties: {
            incident: { type: 'string', minLength: 1, maxLength: 100, description: 'An incident id (`inc-7`) or number (`7`).' },
            token: TOKEN_QUERY,
          },
          additionalProperties: false,
        },
        response: { 200: ANSWER, ...errors(400, ...GUARD_ERRORS, 404, 503) },
      },
    },
    async (request, reply) => {
      const templates = file.read() ?? [];
      const scale = incidents.severities();
      const base = { timeZone: config.timeZone, problems: [...file.problems, ...offScale(templates, scale)] };
      reply.header('cache-control', 'no-store');
      const id = request.query.incident;
      if (id === undefined) return { incident: null, values: null, nextUpdateAt: null, ...base, templates } satisfies TemplatesAnswer;
      let incident: Incident | undefined;
      try {
        incident = await incidents.find(id);
      } catch (error) {
        request.log.warn({ err: error }, 'incident lookup failed');
        return sendError(reply, 503, 'unavailable', 'incident storage is unavailable; try again shortly');
      }
      if (incident === undefined) return sendError(reply, 404, 'not_found', `no incident "${id}"`);
      const at = now();
      const values = templateValues(incident, at, config.timeZone, scale);
      return {
        incident: incident.id,
        values,
        nextUpdateAt: new Date(nextUpdateAt(incident, at, scale)).toISOString(),
        ...base,
        templates: templates.map((template) => ({ ...template, text: fillTemplate(template.text, values) })),
      } satisfies TemplatesAnswer;
    },
  );
}
