// The web's one HTTP wrapper, its pure parts: the headers every call sends, and how an answer of
// the API's error shape (`{"error":{"code","message"}}`, server/http/errors.ts) becomes an ApiError.
// The calls themselves run against a real server in the browser suites (supervisor, command, wall).
import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorOf, errorMessage, isDenied, isErrorBody, requestHeaders } from '../../../../web/src/lib/api/http.js';

describe('the headers of a call', () => {
  it('ask for JSON, carry the bearer token, and say JSON only when there is a body', () => {
    expect(requestHeaders('tok-1', false)).toEqual({ accept: 'application/json', authorization: 'Bearer tok-1' });
    expect(requestHeaders('tok-1', true)).toEqual({ accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer tok-1' });
  });

  it('send no authorization without a token, and keep the extra headers of a write', () => {
    expect(requestHeaders(null, true, { 'if-match': '7', 'idempotency-key': 'k' })).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'if-match': '7',
      'idempotency-key': 'k',
    });
  });

  it('cannot be talked out of the page token by an extra header', () => {
    expect(requestHeaders('mine', false, { authorization: 'Bearer other' }).authorization).toBe('Bearer mine');
  });
});

describe('an error answer', () => {
  it('keeps the API code and message, the status and the whole body (a 409 carries the incident)', () => {
    const body = { error: { code: 'version_conflict', message: 'the incident is at version 8' }, incident: { id: 'inc-1' } };
    const error = apiErrorOf(409, 'Conflict', body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect([error.status, error.code, error.message]).toEqual([409, 'version_conflict', 'the incident is at version 8']);
    expect(error.body).toBe(body);
  });

  it('falls back on the status line when the answer is not the API shape (a proxy page, an empty body)', () => {
    for (const body of [null, '<html>Bad gateway</html>', { message: 'not ours' }, { error: 'a string' }, { error: { code: 'x' } }]) {
      const error = apiErrorOf(502, 'Bad Gateway', body);
      expect([error.status, error.code, error.message], JSON.stringify(body)).toEqual([502, 'http_502', '502 Bad Gateway']);
    }
  });

  it('uses the status line when the API message is empty, and the status alone without a status text (HTTP/2)', () => {
    expect(apiErrorOf(400, 'Bad Request', { error: { code: 'invalid_request', message: '' } }).message).toBe('400 Bad Request');
    expect(apiErrorOf(503, '', null).message).toBe('503');
  });

  it('is recognised by shape', () => {
    expect(isErrorBody({ error: { code: 'not_found', message: 'no route GET /x' } })).toBe(true);
    expect(isErrorBody({ error: null })).toBe(false);
    expect(isErrorBody([])).toBe(false);
  });

  it('is a refusal of the token for 401 and 403 only', () => {
    expect(isDenied(apiErrorOf(401, 'Unauthorized', null))).toBe(true);
    expect(isDenied(apiErrorOf(403, 'Forbidden', null))).toBe(true);
    expect(isDenied(apiErrorOf(404, 'Not Found', null))).toBe(false);
    expect(isDenied(new ApiError(0, 'network_error', 'Failed to fetch'))).toBe(false);
    expect(isDenied(new Error('403'))).toBe(false);
  });

  it('has words for any failure', () => {
    expect(errorMessage(new ApiError(0, 'network_error', 'Failed to fetch'))).toBe('Failed to fetch');
    expect(errorMessage('plain')).toBe('plain');
  });
});
