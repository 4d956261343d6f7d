// The one error shape of the API (docs/contract.md#the-numbers): {"error":{"code","message"}}, never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  return reply.code(statusCode).send({ error: { code, message } });
}

/** Fastify's own error codes, in words a client can act on. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message?: (e: FastifyError) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: () => 'body is larger than the limit of this route' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: () => 'unsupported Content-Type; send application/json (or application/x-ndjson for events)',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: () => 'body is empty; send JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error.statusCode, error.code, error.message);
    if (error.validation) {
      const message = error.validation
        .map((v) => `${v.instancePath ? v.instancePath.slice(1).replace(/\//g, '.') : (error.validationContext ?? 'request')}: ${v.message ?? 'is invalid'}`)
        .join('; ');
      return sendError(reply, 400, 'invalid_request', message);
    }
    const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (known) return sendError(reply, known.status, known.code, known.message ? known.message(error) : error.message);
    if (error instanceof SyntaxError) return sendError(reply, 400, 'invalid_json', `body is not valid JSON: ${error.message}`);
    const status = error.statusCode ?? 500;
    if (status < 500) return sendError(reply, status, 'invalid_request', error.message);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'internal', 'internal error; the server log has the details');
  });
}
