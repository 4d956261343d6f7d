// Known tokens (one per role) and throwaway directories for tests and benchmarks. Imports nothing
// of the server, so a process that runs the compiled server (the bench's) can use it as is.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
