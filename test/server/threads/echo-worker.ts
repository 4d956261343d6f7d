// A worker for worker-rpc.test.ts: answers, throws, and dies on request.
import { serveOnWorker } from '../../../server/threads/worker-rpc.js';

class Echo {
  echo(value: unknown): unknown {
    return value;
  }

  async later(value: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return value * 2;
  }

  fail(message: string): never {
    throw new Error(message);
  }

  die(): void {
    process.exit(3);
  }
}

serveOnWorker(new Echo());
