// Reports to management (docs/contract.md#reports-to-management):
//   GET  /api/v1/reports (viewer): the definitions in force, the files' problems, whether PDF works here;
//   GET  /api/v1/reports/runs?limit= (viewer): the runs, newest first;
//   POST /api/v1/reports/:id/run {periodStart} (supervisor): runs a report now → 201 with the run;
//   GET  /api/v1/reports/runs/:runId.html|.csv|.pdf (viewer): a run's files (PDF printed on first ask; 501 without Chromium);
//   GET  /api/v1/reports/daily?from=&to= (viewer): the daily figures of local days, per line and for
//   all lines together, as the reports compute them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DAILY_FIGURES, REPORT_PERIODS, REPORT_LANGS, type ReportRun, type ReportsAnswer } from '../../contract/reports.js';
import { PdfUnavailableError } from '../reports/print-pdf.js';
import { RunRefused } from '../reports/report-service.js';
import { isRunFileKind, isRunId, RUN_FILE_KINDS } from '../reports/run-store.js';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { daysBetween, nextDay } from '../reports/daily-store.js';
import { dailyRows } from '../reports/report-data.js';
import { errors, GUARD_ERRORS, ISO_TIME, NULLABLE_ISO_TIME, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

/** At most this many days in one answer: a year and a month, the whole retention. */
export const MAX_DAILY_SPAN = 430;
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date, YYYY-MM-DD' } as const;

/** Whether `date` (already YYYY-MM-DD in shape) names a real calendar day. */
export function isCalendarDate(date: string): boolean {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return !Number.isNaN(noon) && new Date(noon).toISOString().slice(0, 10) === date;
}

const FIGURES_SCHEMA = openObject(Object.fromEntries(DAILY_FIGURES.map((name) => [name, { type: ['number', 'null'] }])), DAILY_FIGURES);

const RUN_SCHEMA = openObject(
  {
    runId: { type: 'string' },
    reportId: { type: 'string' },
    title: { type: 'string' },
    period: { type: 'string', enum: REPORT_PERIODS },
    periodStart: DATE,
    periodEnd: { ...DATE, description: 'The first local day after the period' },
    trigger: { type: 'string', enum: ['schedule', 'manual'] },
    requestedBy: { type: 'string' },
    startedAt: ISO_TIME,
    finishedAt: NULLABLE_ISO_TIME,
    status: { type: 'string', enum: ['running', 'done', 'failed'] },
    error: { type: ['string', 'null'] },
  },
  ['runId', 'reportId', 'title', 'period', 'periodStart', 'periodEnd', 'trigger', 'requestedBy', 'startedAt', 'finishedAt', 'status', 'error'],
);

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', pdf: 'application/pdf' } as const;
/**
 * A report is a document, not a page of the app: no script may run in it (sandbox), its own inline
 * CSS is all it styles with, its charts are inline SVG.
 */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
const MAX_RUNS_LISTED = 500;

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const viewer = requireRole(app.tokens, 'viewer');
  const supervisor = requireRole(app.tokens, 'supervisor');
  const actor = (request: FastifyRequest): string => request.principal!.name;

  app.get(
    '/api/v1/reports',
    {
      onRequest: viewer,
      schema: {
        tags: ['reports'],
        summary: 'The report definitions in force, what is wrong with their files, and whether PDF can be printed here',
        ...needsRole('viewer', 'GET'),
        querystring: { type: 'object', properties: { token: TOKEN_QUERY }, additionalProperties: false },
        response: {
          200: openObject(
            {
              reports: {
                type: 'array',
                items: openObject(
                  {
                    id: { type: 'string' },
                    title: { type: 'string' },
                    period: { type: 'string', enum: REPORT_PERIODS },
                    schedule: { type: 'string' },
                    lang: { type: 'string', enum: REPORT_LANGS },
                  },
                  ['id', 'title', 'period', 'schedule', 'lang'],
                ),
              },
              problems: {
                type: 'array',
                items: openObject({ file: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } }, ['file', 'path', 'message']),
              },
              pdf: { type: 'boolean' },
            },
            ['reports', 'problems', 'pdf'],
          ),
          ...errors(...GUARD_ERRORS),
        },
      },
    },
    async (): Promise<ReportsAnswer> => {
      const { registry, service } = app.reports;
      return {
        reports: registry
          .list()
          .map(({ id, title, period, schedule, lang }) => ({ id, title, period, schedule, lang }))
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
        problems: registry.problems.flatMap((file) => file.problems.map((problem) => ({ file: file.file, ...problem }))),
        pdf: service.pdfAvailable,
      };
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/api/v1/reports/runs',
    {
      onRequest: viewer,
      schema: {
        tags: ['reports'],
        summary: 'Report runs, newest first',
        ...needsRole('viewer', 'GET'),
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_RUNS_LISTED, default: 50 }, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: { 200: openObject({ runs: { type: 'array', items: RUN_SCHEMA } }, ['runs']), ...errors(400, ...GUARD_ERRORS, 503) },
      },
    },
    async (request, reply) => {
      try {
        return { runs: await app.reports.runs.list(request.query.limit ?? 50) };
      } catch (error) {
        request.log.warn({ err: error }, 'report runs not listed');
        return sendError(reply, 503, 'store_unavailable', 'the report runs cannot be read now; try again shortly');
      }
    },
  );

  app.post<{ Params: { id: string }; Body: { periodStart: string } }>(
    '/api/v1/reports/:id/run',
    {
      onRequest: supervisor,
      bodyLimit: 1024,
      schema: {
        tags: ['reports'],
        summary: 'Runs a report now for one period',
        ...needsRole(
          'supervisor',
          'WRITE',
          '`periodStart`: the period’s first local day: any day for a daily report, a Monday for a weekly one, the 1st for a monthly one. The period in progress may be run (its figures so far); one not yet begun is a 400.',
        ),
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        body: {
          type: 'object',
          required: ['periodStart'],
          properties: { periodStart: DATE },
          propertyNames: { enum: ['periodStart'] },
          additionalProperties: false,
        },
        response: { 201: RUN_SCHEMA, ...errors(400, ...GUARD_ERRORS, 404, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      if (!isCalendarDate(request.body.periodStart))
        return sendError(reply, 400, 'invalid_request', `periodStart: "${request.body.periodStart}" is not a date`);
      let run: ReportRun;
      try {
        run = await app.reports.service.runNow(request.params.id, request.body.periodStart, actor(request));
      } catch (error) {
        if (error instanceof RunRefused) return sendError(reply, error.status, error.status === 404 ? 'not_found' : 'invalid_request', error.message);
        request.log.warn({ err: error }, 'report run not started');
        return sendError(reply, 503, 'store_unavailable', 'the report could not be run now; try again shortly');
      }
      return reply.code(201).send(run);
    },
  );

  app.get<{ Params: { file: string } }>(
    '/api/v1/reports/runs/:file',
    {
      onRequest: viewer,
      schema: {
        tags: ['reports'],
        summary: 'A run’s report as HTML, CSV or PDF',
        ...needsRole(
          'viewer',
          'GET',
          '`:file` is `<runId>.html`, `<runId>.csv` or `<runId>.pdf`. A PDF is printed by the server’s headless Chromium on first ask; 501 when none is installed.',
        ),
        params: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', pattern: `^r-\\d{14}-[0-9a-f]{8}\\.(${RUN_FILE_KINDS.join('|')})$` } },
        },
        querystring: { type: 'object', properties: { token: TOKEN_QUERY }, additionalProperties: false },
        response: {
          200: {
            description: 'The report in the format asked for.',
            content: {
              'text/html': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...errors(400, ...GUARD_ERRORS, 404, 501, 503),
        },
      },
    },
    async (request, reply) => {
      const dot = request.params.file.lastIndexOf('.');
      const runId = request.params.file.slice(0, dot);
      const kind = request.params.file.slice(dot + 1);
      if (!isRunId(runId) || !isRunFileKind(kind)) return sendError(reply, 400, 'invalid_request', 'file: <runId>.html, .csv or .pdf');
      let body: Buffer | null;
      try {
        body = kind === 'pdf' ? await app.reports.service.pdf(runId) : await app.reports.runs.file(runId, kind);
      } catch (error) {
        if (error instanceof PdfUnavailableError) return sendError(reply, 501, 'not_implemented', error.message);
        request.log.warn({ err: error, runId, kind }, 'report file not served');
        return sendError(reply, 503, 'store_unavailable', 'the report cannot be read or printed now; try again shortly');
      }
      if (body === null) return sendError(reply, 404, 'not_found', `no ${kind.toUpperCase()} for run ${runId}`);
      reply.header('content-type', CONTENT_TYPES[kind]);
      reply.header('content-security-policy', REPORT_CSP);
      reply.header('cache-control', 'private, max-age=3600');
      if (kind !== 'html') reply.header('content-disposition', `attachment; filename="${runId}.${kind}"`);
      return reply.send(body);
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/v1/reports/daily',
    {
      onRequest: viewer,
      schema: {
        tags: ['reports'],
        summary: 'Daily figures per line and for all lines, for local days from `from` to `to` (both included)',
        ...needsRole('viewer', 'GET', `At most ${MAX_DAILY_SPAN} days. Line \`all\` is every line together, with the incidents.`),
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: DATE, to: DATE, token: TOKEN_QUERY },
          additionalProperties: false,
        },
        response: {
          200: openObject(
            {
              from: DATE,
              to: DATE,
              lines: { type: 'array', items: { type: 'string' } },
              rows: { type: 'array', items: openObject({ date: DATE, line: { type: 'string' }, figures: FIGURES_SCHEMA }, ['date', 'line', 'figures']) },
            },
            ['from', 'to', 'lines', 'rows'],
          ),
          ...errors(400, ...GUARD_ERRORS, 503),
        },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      for (const [name, date] of [
        ['from', from],
        ['to', to],
      ] as const)
        if (!isCalendarDate(date)) return sendError(reply, 400, 'invalid_request', `${name}: "${date}" is not a date`);
      if (to < from) return sendError(reply, 400, 'invalid_request', `to: ${to} is before from: ${from}`);
      const end = nextDay(to);
      if (daysBetween(from, end).length > MAX_DAILY_SPAN) return sendError(reply, 400, 'invalid_request', `at most ${MAX_DAILY_SPAN} days at once`);
      await app.daily.flush();
      let span: Awaited<ReturnType<typeof app.daily.store.read>>;
      try {
        span = await app.daily.store.read(from, end);
      } catch (error) {
        request.log.warn({ err: error }, 'daily figures read failed');
        return sendError(reply, 503, 'store_unavailable', 'the daily figures cannot be read now; try again shortly');
      }
      const { lines, rows } = dailyRows(span, from, end, app.incidents.list('all'), app.daily.calendar, app.now());
      return { from, to, lines, rows };
    },
  );
}
