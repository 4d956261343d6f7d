// The page a screen names at the live handshake, which the server's metrics count clients by.
import { expect, it } from 'vitest';
import { pageOfPath } from '../../../../web/src/lib/live/page-of-path.js';

it('names the wall, the supervisor page and the console by their paths, and nothing else', () => {
  expect(pageOfPath('/wall/support')).toBe('wall');
  expect(pageOfPath('/supervisor')).toBe('supervisor');
  expect(pageOfPath('/command')).toBe('command');
  expect(pageOfPath('/command/inc-3')).toBe('command');
  for (const other of ['/', '/api/docs', '/walls', '/commander', '/x/wall']) expect(pageOfPath(other), other).toBeUndefined();
});
