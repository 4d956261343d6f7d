// The worker thread of ThreadedDailyStore: the embedded daily store, its methods answered in order.
import { workerData } from 'node:worker_threads';
import { EmbeddedDailyStore } from './embedded-daily-store.js';
import { serveOnWorker } from '../threads/worker-rpc.js';

serveOnWorker(new EmbeddedDailyStore(workerData as { dataDir: string }));
