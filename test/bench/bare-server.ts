// The baseline of docs/contract.md#targets: a bare Fastify 5 app whose one POST route only parses the batch
// (Fastify's default JSON parser) and answers 202 with the count. Same runner (plain node, compiled),
// same port handshake and same body limit as our server, so the ratio compares only the work.
import Fastify from 'fastify';

async function main(): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? '0');
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.post('/api/v1/events', async (request, reply) => {
    const count = Array.isArray(request.body) ? request.body.length : 0;
    return reply.code(202).send({ accepted: count });
  });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const listening = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`${JSON.stringify({ ready: true, port: listening, pid: process.pid })}\n`);
  const stop = (): void => {
    void app.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare server: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
