// Helpdesk connectors (SPEC 11, issue 7):
//   POST /api/v1/connectors/:vendor   the vendor's own webhook deliveries, authenticated by the
//                                      vendor's signature or secret (not a Watchfloor token)
//   GET  /api/v1/connectors            viewer: each connector's webhook and poller status
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';

/** Vendors' deliveries are a few kilobytes; Zendesk caps trigger bodies at 16,000 characters. */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

export async function connectorRoutes(app: FastifyInstance): Promise<void> {
  const { connectors, tokens } = app.watch;

  app.get('/api/v1/connectors', { onRequest: requireRole(tokens, 'viewer') }, async () => ({
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
      { bodyLimit: MAX_DELIVERY_BYTES, onRequest: enabled },
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
