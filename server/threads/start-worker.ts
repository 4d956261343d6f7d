// Starts a worker thread on one of our modules. The built server runs the compiled .js at once;
// from the sources (tests, `npm run dev`), the module is a .ts file that Node 20 cannot load in a
// worker by itself (a loader given with --import does not reach workers there), so a small
// bootstrap registers tsx in the worker first. tsx is a devDependency: only the sources need it.
import { Worker } from 'node:worker_threads';

export function startWorker(module: URL, workerData?: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  const href = JSON.stringify(module.href);
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${href}, ${href}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The module beside `from` (an import.meta.url) named `name`, with `from`'s extension: .ts in the sources, .js when built. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
