// Calls to an object on a worker thread (server/threads/worker-rpc.ts): answers come back whole
// and in order, a thrown error comes back as a rejection with its message, a name that is not
// one of the object's methods is refused, and a worker that dies fails the calls in flight and
// is started again by the next call.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../../server/threads/worker-rpc.js';

const clients: WorkerClient[] = [];
const client = (): WorkerClient => {
  const c = new WorkerClient(new URL('./echo-worker.ts', import.meta.url), null);
  clients.push(c);
  return c;
};

afterEach(async () => {
  for (const c of clients.splice(0)) await c.terminate();
});

describe('a call to a worker thread', () => {
  it('starts the worker with the first call, and answers with what the method returned, Maps and all', async () => {
    const c = client();
    expect(c.running).toBe(false);
    const value = { a: [1, 'two', null], m: new Map([['2026-12-03', { n: 1 }]]) };
    expect(await c.call('echo', value)).toEqual(value);
    expect(c.running).toBe(true);
    // Answered in the order called, an awaited one too.
    expect(await Promise.all([c.call('later', 1), c.call('echo', 'b'), c.call('later', 3)])).toEqual([2, 'b', 6]);
  });

  it('rejects with the message of what the method threw, and goes on answering', async () => {
    const c = client();
    await expect(c.call('fail', 'the disk is full')).rejects.toThrow('the disk is full');
    expect(await c.call('echo', 1)).toBe(1);
  });

  it("refuses what is not one of the object's own methods", async () => {
    const c = client();
    for (const name of ['nothing', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(c.call(name)).rejects.toThrow(`no method ${name}`);
    }
  });

  it('fails the calls in flight when the worker dies, and starts a new one for the next call', async () => {
    const c = client();
    const inFlight = c.call('later', 5);
    await expect(Promise.all([c.call('die'), inFlight])).rejects.toThrow(/exited \(code 3\)/);
    expect(c.running).toBe(false);
    expect(await c.call('echo', 'again')).toBe('again');
  });
});
