// Admin actions on the server itself (role admin):
//   POST /api/v1/admin/journal/ack   clears the notice of journal records that could not be
//                                    replayed at start (/healthz `journal.damaged`); the damaged
//                                    files stay under DATA_DIR/journal/damaged/ for inspection.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { errors, GUARD_ERRORS, needsRole, openObject } from './schemas/common.js';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { store, tokens } = app;

  const schema: FastifySchema = {
    tags: ['operations'],
    summary: 'Acknowledge the journal records that could not be replayed',
    ...needsRole(
      'admin',
      'WRITE',
      'Clears the notice in /healthz `journal.damaged`; the damaged files stay under DATA_DIR/journal/damaged/. 404 in distributed mode (no journal).',
    ),
    response: {
      200: openObject({ acknowledged: { type: 'number' }, journal: openObject({ damaged: { type: 'object', additionalProperties: true } }) }, [
        'acknowledged',
        'journal',
      ]),
      ...errors(...GUARD_ERRORS, 404),
    },
  };
  app.post('/api/v1/admin/journal/ack', { onRequest: requireRole(tokens, 'admin'), schema }, async (request, reply) => {
    if (store.acknowledgeJournalDamage === undefined || store.journalDamage === undefined) {
      return sendError(reply, 404, 'not_found', 'this instance keeps no journal (distributed mode): there is nothing to acknowledge');
    }
    const acknowledged = store.acknowledgeJournalDamage();
    request.log.info({ acknowledged, by: request.principal?.name }, 'journal damage notice acknowledged');
    return reply.code(200).send({ acknowledged, journal: { damaged: store.journalDamage() } });
  });
}
