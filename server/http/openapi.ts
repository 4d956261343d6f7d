// The server describes itself: `GET /api/openapi.json` is an OpenAPI 3.1 document built from the
// schemas the routes are declared with (so it cannot drift from them), and `/api/docs` a
// browsable reference (Swagger UI, its files served from this server, no CDN). Registered before
// the routes: @fastify/swagger learns them as they are added. Both are open to all, like the
// README: they describe the API and hold no data.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PREFIX = '/api/docs';

/** A documented-only body (see `documentedBody` in server/routes/schemas/common.ts) becomes the body of the document. */
function withDocumentedBody({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (schema?.documentedBody === undefined) return { schema, url };
  const { documentedBody, ...rest } = schema;
  return { schema: { ...rest, body: documentedBody }, url };
}

/**
 * The reference's pages keep the site's policy (scripts only from this server) with two
 * allowances, for them alone: images from data: URIs (Swagger UI's icons and logo) and inline
 * <style> elements, which its renderer inserts at run time. Styles cannot run code, and these
 * pages show nothing but this document. A hash list would have to follow each Swagger UI release.
 */
function docsPolicy(policy: string): string {
  return policy
    .replace(/img-src ([^;]*)/, (_all, sources: string) => `img-src ${sources} data:`)
    .replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");
}

async function openApi(app: FastifyInstance): Promise<void> {
  // Response schemas document the answers; they do not shape them. Fastify's default serializer
  // for a response schema drops every property the schema does not list, so a field missing from
  // a schema would silently vanish for clients; JSON.stringify sends what the route returns.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Watchfloor API',
        version: '1',
        description: [
          'The live operations wall and incident command center for technical support.',
          '',
          'Every route but /healthz, this document and the helpdesk webhooks needs a token: `Authorization: Bearer <token>`, or `?token=<token>` on GET.',
          'The role a route needs is the first line of its description and its `x-role` extension. Roles are ranked viewer < supervisor < commander < admin (a higher role may do what a lower one may); `ingest` may only send events.',
          "Webhooks (`/api/v1/connectors/{vendor}`) are authenticated by the vendor's signature or shared secret instead (`x-role: vendor-signature`).",
          'Every error is `{"error":{"code","message"}}`.',
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Watchfloor token (WATCHFLOOR_TOKENS, role:name:secret).' },
          tokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The same token as a query parameter, GET and HEAD only.' },
        },
      },
      tags: [
        { name: 'screens', description: 'What the wall and the supervisor read' },
        { name: 'events', description: 'Ingest' },
        { name: 'dashboards', description: 'Dashboards and wall control' },
        { name: 'incidents', description: 'Major incidents' },
        { name: 'alerts', description: 'Alert rules' },
        { name: 'connectors', description: 'Helpdesk webhooks and pollers' },
        { name: 'operations', description: 'Health, metrics, administration' },
      ],
    },
    transform: withDocumentedBody,
  });

  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 },
    theme: { title: 'Watchfloor API reference' },
    // No badge from validator.swagger.io: nothing on this page may reach another host.
    validatorUrl: false,
    transformStaticCSP: docsPolicy,
  });

  app.get(
    OPENAPI_PATH,
    {
      schema: {
        tags: ['operations'],
        summary: 'This API, as an OpenAPI 3.1 document',
        'x-role': 'public',
        description: '**Role: none** (open to all). Built from the schemas the routes are declared with.',
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return app.swagger();
    },
  );
}

export const openApiPlugin = fp(openApi, { name: 'openapi', fastify: '5.x' });
