// Admin actions on the server itself (role admin):
//   POST /api/v1/admin/journal/ack   clears the notice of journal records that could not be
//                                    replayed at start (/healthz `journal.damaged`); the damaged
//                                    files stay under DATA_DIR/journal/damaged/ for inspection.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../http/auth.js';
import { sendError } from '../http/errors.js';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { store, tokens } = app.watch;

  app.post('/api/v1/admin/journal/ack', { onRequest: requireRole(tokens, 'admin') }, async (request, reply) => {
    if (store.acknowledgeJournalDamage === undefined || store.journalDamage === undefined) {
      return sendError(reply, 404, 'not_found', 'this instance keeps no journal (distributed mode): there is nothing to acknowledge');
    }
    const acknowledged = store.acknowledgeJournalDamage();
    request.log.info({ acknowledged, by: request.principal?.name }, 'journal damage notice acknowledged');
    return reply.code(200).send({ acknowledged, journal: { damaged: store.journalDamage() } });
  });
}
