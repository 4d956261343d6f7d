// Helpdesk connectors (docs/contract.md#helpdesk-connectors, issue 7):
//   POST /api/v1/connectors/:vendor   the vendor's own webhook deliveries, authenticated by the
//                                      vendor's signature or secret (not a Watchfloor token)
//   GET  /api/v1/connectors            viewer: each connector's webhook and poller status
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { VENDORS } from '../connectors/types.js';
import { errors, GUARD_ERRORS, needsRole, openObject, TOKEN_QUERY } from './schemas/common.js';

/** Each vendor's proof that a delivery is its own (server/connectors/<vendor>/verify.ts checks them). */
const SIGNATURE_HEADERS = {
  type: 'object',
  properties: {
    'x-zendesk-webhook-signature': {
      type: 'string',
      description: 'Zendesk: base64 HMAC-SHA256 of the signing secret over the timestamp header followed by the raw body.',
    },
    'x-zendesk-webhook-signature-timestamp': { type: 'string', description: 'Zendesk: the signed timestamp; refused when more than 5 minutes off.' },
    'x-hub-signature': { type: 'string', description: 'Jira: sha256=<hex HMAC-SHA256 of the webhook secret over the raw body>.' },
    'x-webhook-secret': { type: 'string', description: 'Freshdesk: the shared secret itself (HTTPS only), compared in constant time.' },
  },
} as const;

/** Vendors' deliveries are a few kilobytes; Zendesk caps trigger bodies at 16,000 characters. */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

export async function connectorRoutes(app: FastifyInstance): Promise<void> {
  const { connectors, tokens } = app;

  const statusSchema = {
    tags: ['connectors'],
    summary: "Each connector's webhook and poller status, and the field mapping's problems",
    ...needsRole('viewer', 'GET'),
    querystring: { type: 'object', properties: { token: TOKEN_QUERY } },
    response: {
      200: openObject(
        {
          connectors: { type: 'array', items: openObject({ vendor: { type: 'string' } }, ['vendor']) },
          mapping: openObject({ file: { type: ['string', 'null'] }, problems: { type: 'array' } }, ['problems']),
        },
        ['connectors', 'mapping'],
      ),
      ...errors(...GUARD_ERRORS),
    },
  };
  app.get('/api/v1/connectors', { onRequest: requireRole(tokens, 'viewer'), schema: statusSchema }, async () => ({
    connectors: connectors.status(),
    mapping: { file: connectors.mappings.file, problems: connectors.mappings.problems },
  }));

  // Encapsulated: the body is taken as raw bytes whatever its type, because the signature is over
  // those bytes exactly; a parser that re-encoded them would break every signature.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_DELIVERY_BYTES }, (_request, body, done) => done(null, body));

    // Before the body is read: a connector that is off costs the sender nothing but a 404.
    const enabled = async (request: FastifyRequest<{ Params: { vendor: string } }>, reply: FastifyReply) => {
      if (connectors.secret(request.params.vendor) === null) {
        return sendError(reply, 404, 'not_found', `no ${request.params.vendor} connector here (its webhook secret is not configured)`);
      }
    };

    scope.post<{ Params: { vendor: string } }>(
      '/api/v1/connectors/:vendor',
      {
        bodyLimit: MAX_DELIVERY_BYTES,
        onRequest: enabled,
        schema: {
          tags: ['connectors'],
          summary: "A helpdesk's webhook delivery",
          'x-role': 'vendor-signature',
          description: [
            "**Role: none; the vendor's signature instead.** No Watchfloor token: each delivery is authenticated by the header its vendor sends, over the raw body exactly as received:",
            '- Zendesk: `X-Zendesk-Webhook-Signature` and `X-Zendesk-Webhook-Signature-Timestamp`',
            '- Jira: `X-Hub-Signature: sha256=…`',
            '- Freshdesk: `X-Webhook-Secret`',
            '',
            "404 when that vendor's webhook secret is not configured; 401 for a missing or wrong signature.",
          ].join('\n'),
          params: { type: 'object', required: ['vendor'], properties: { vendor: { type: 'string', enum: [...VENDORS] } } },
          headers: SIGNATURE_HEADERS,
          // Taken as raw bytes (the signature covers them), so Fastify does not validate the body.
          documentedBody: { type: 'object', additionalProperties: true, description: "The vendor's own webhook payload (its ticket, as the vendor sends it)." },
          response: { 200: { type: 'object', additionalProperties: true, description: 'What the delivery changed.' }, ...errors(400, 401, 404, 413, 503) },
        },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await connectors.receive(request.params.vendor, request.headers, raw);
        if (outcome.status === 200) return reply.code(200).send(outcome.body);
        if (outcome.status === 503) reply.header('retry-after', '5');
        return sendError(reply, outcome.status, outcome.code, outcome.message);
      },
    );
  });
}
