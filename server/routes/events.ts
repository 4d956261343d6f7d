// POST /api/v1/events (docs/contract.md#events-in), role ingest: a JSON array or NDJSON, ≤ 10,000 events, ≤ 5 MB.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { BatchError, MAX_BODY_BYTES, type BatchFormat } from '../domain/parse-batch.js';
import { outcomeUnknown } from '../store/live-store.js';
import { errors, GUARD_ERRORS, needsRole, openObject } from './schemas/common.js';
import { EVENT_BATCH_SCHEMA } from './schemas/event.js';

const SUMMARY = openObject(
  {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    stale: { type: 'integer' },
    rejected: {
      type: 'array',
      items: openObject({ index: { type: 'integer' }, error: { type: 'string' } }),
      description: 'Each refused event: its position and why.',
    },
  },
  ['accepted', 'duplicates', 'stale', 'rejected'],
);

export async function eventRoutes(app: FastifyInstance): Promise<void> {
  const { ingest, tokens } = app;
  // Bodies are taken as bytes: they are what the write-ahead journal stores, unchanged, and
  // parsing is ours so that a bad NDJSON line rejects one event, not the batch.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/x-ndjson'], { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  const schema: FastifySchema = {
    tags: ['events'],
    summary: 'Send ticket and agent events',
    ...needsRole(
      'ingest',
      'WRITE',
      'A JSON array or NDJSON, at most 10,000 events and 5 MB. Each event is judged alone: a bad one is listed in `rejected`, the others are kept. Times must be plausible against the server clock. Sending the same batch again is safe (event ids are deduplicated).',
    ),
    consumes: ['application/json', 'application/x-ndjson'],
    // The route parses the raw bytes itself (server/domain/validate-event.ts); Fastify does not validate.
    documentedBody: EVENT_BATCH_SCHEMA,
    response: { 202: { description: 'The batch was judged and the accepted events kept.', ...SUMMARY }, ...errors(400, ...GUARD_ERRORS, 413, 415, 503) },
  };
  app.post('/api/v1/events', { onRequest: requireRole(tokens, 'ingest'), bodyLimit: MAX_BODY_BYTES, schema }, async (request, reply) => {
    const format: BatchFormat = (request.headers['content-type'] ?? '').includes('ndjson') ? 'ndjson' : 'json';
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (raw.toString('utf8', 0, 64).trim().length === 0 && raw.length < 64)
      return sendError(reply, 400, 'invalid_body', 'body is empty; send a JSON array of events or NDJSON');
    try {
      const summary = await ingest.ingestRaw(raw, format);
      return reply.code(202).send(summary);
    } catch (error) {
      if (error instanceof BatchError) return sendError(reply, error.statusCode, error.code, error.message);
      // "Nothing kept" only where it is certain (the store refused before anything was written);
      // after a timeout or a failed sync the batch may be kept, and a retry is safe either way.
      const unknown = outcomeUnknown(error);
      request.log.error({ err: error }, unknown ? 'ingest failed; the outcome of this batch is unknown' : 'ingest failed; nothing of this batch was kept');
      const message = unknown
        ? 'storage did not confirm this batch; the outcome is unknown; send the same batch again: duplicates are recognised'
        : 'storage is unavailable; nothing of this batch was kept, retry later';
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: { code: 'unavailable', message } });
    }
  });
}
