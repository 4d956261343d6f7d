// Builds the real app on a throwaway DATA_DIR with known tokens, for tests and benchmarks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';

export const TOKENS = {
  ingest: 'test-ingest-secret-0001',
  viewer: 'test-viewer-secret-0001',
  supervisor: 'test-supervisor-secret-01',
  commander: 'test-commander-secret-01',
  admin: 'test-admin-secret-000001',
} as const;

export const TOKEN_ENV = Object.entries(TOKENS)
  .map(([role, secret]) => `${role}:${role}-user:${secret}`)
  .join(',');

export function tempDir(prefix = 'watchfloor-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

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
