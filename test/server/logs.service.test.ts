// Structured logs never contain a token (docs/contract.md#authentication-and-roles): not from the Authorization header, not from
// ?token= on a page or API URL, not from a failed attempt with a wrong one.
import { logSink } from '../helpers/log-sink.js';
import { afterEach, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { TOKENS, TOKEN_ENV, tempDir } from '../helpers/app.js';
import { ticketEvent } from '../helpers/events.js';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

it('logs requests at debug level without any secret', async () => {
  const { stream, text: logText } = logSink();
  const config = loadConfig({ DATA_DIR: tempDir(), WATCHFLOOR_TOKENS: TOKEN_ENV, LOG_LEVEL: 'debug' });
  const app = await buildApp(config, { webRoot: null, logStream: stream });
  close = () => app.close();
  const wrong = 'not-a-real-token-but-secret-looking';

  await app.inject({ method: 'GET', url: `/api/v1/state?token=${TOKENS.viewer}` });
  await app.inject({ method: 'GET', url: '/api/v1/state', headers: { authorization: `Bearer ${TOKENS.viewer}` } });
  await app.inject({ method: 'GET', url: `/api/v1/agents?view=x&token=${wrong}` });
  await app.inject({ method: 'GET', url: `/wall/support?name=lobby&token=${TOKENS.viewer}` });
  await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${TOKENS.ingest}` },
    payload: [ticketEvent({ id: 'L-1' })],
  });
  await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${wrong}` }, payload: [] });

  const log = logText();
  // The requests were logged (so the check below is not vacuous), with the token cut out.
  expect(log).toContain('/api/v1/state?token=[redacted]');
  expect(log).toContain('/wall/support?name=lobby&token=[redacted]');
  expect(log).toContain('"method":"POST","url":"/api/v1/events"');
  for (const secret of [...Object.values(TOKENS), wrong]) expect(log).not.toContain(secret);
});
