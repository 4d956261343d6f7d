// Builds the real app on a throwaway DATA_DIR with known tokens, for tests and benchmarks.
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';

// The tokens and temp dirs live in a module of their own that imports nothing of the server: the
// bench's server process takes them without loading the server's TypeScript a second time.
import { TOKEN_ENV, TOKENS, tempDir } from './tokens.js';

export { TOKEN_ENV, TOKENS, tempDir };

export interface TestAppOptions extends BuildOptions {
  /** Reuse a DATA_DIR (restart tests); a new temp dir otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({ DATA_DIR: dataDir, WATCHFLOOR_TOKENS: TOKEN_ENV, LOG_LEVEL: 'silent', PORT: '0', ...options.env });
  const app = await buildApp(config, { logger: false, webRoot: null, ...options });
  return { app, config, dataDir, close: () => app.close() };
}

export function bearer(role: keyof typeof TOKENS): Record<string, string> {
  return { authorization: `Bearer ${TOKENS[role]}` };
}
