// Calls to an object that lives on a worker thread, as promises: `WorkerClient` on the calling
// side, `serveOnWorker` on the worker's. Arguments and answers cross by structured clone (Maps,
// arrays, plain objects); an error crosses as its message. The worker starts with the first call
// (a server that never calls pays nothing), and again with the next call after it died; a death
// fails the calls in flight, which their callers retry as they would any store's failure.
import { parentPort, type Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly module: URL,
    private readonly workerData: unknown,
  ) {}

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies Call);
    });
  }

  /** Whether the worker runs (it starts with the first call). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Ends the worker (after `call`ing whatever closes the object there). */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker(this.module, this.workerData);
    // The server's own handles keep the process up; an idle worker must not.
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const call = this.waiting.get(answer.id);
      if (call === undefined) return;
      this.waiting.delete(answer.id);
      if (answer.ok) call.resolve(answer.value);
      else call.reject(new Error(answer.error));
    });
    const died = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const call of this.waiting.values()) call.reject(error);
      this.waiting.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the worker thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** On the worker: answers calls of `target`'s methods, one at a time in order (each awaited). */
export function serveOnWorker(target: object): void {
  const port = parentPort;
  if (port === null) throw new Error('serveOnWorker runs on a worker thread');
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (call: Call) => {
    queue = queue.then(async () => {
      let answer: Answer;
      try {
        const method = (target as Record<string, unknown>)[call.method];
        const own = call.method !== 'constructor' && Object.hasOwn(Object.getPrototypeOf(target) as object, call.method);
        if (typeof method !== 'function' || !own) {
          throw new Error(`no method ${call.method}`);
        }
        answer = { id: call.id, ok: true, value: await (method as (...args: unknown[]) => unknown).apply(target, call.args) };
      } catch (error) {
        answer = { id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(answer);
    });
  });
}
