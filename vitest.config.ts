import { defineConfig } from 'vitest/config';

// Three projects, by what a test needs rather than what it is about (test/ mirrors server/ and web/):
//   unit     *.test.ts outside test/e2e: pure, no server, no process, no socket; run in threads.
//   service  *.service.test.ts: real servers, Redis, InfluxDB, nginx, child processes, data files.
//   browser  test/e2e: the built pages in Chromium.
// `npm run test:unit` is the quick loop; `vitest run` runs all three.
export default defineConfig({
  test: {
    // The machine has 2 cores; suites that start servers and browsers must not starve each other.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // "Today" is local midnight; tests pin the zone so hand-computed figures hold everywhere.
    env: { TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.service.test.ts', 'test/e2e/**'],
          // Nothing here holds a process-wide resource, so threads (cheaper to start than forks) do.
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'service',
          include: ['test/**/*.service.test.ts'],
          exclude: ['test/e2e/**'],
          // Forks: tests start servers, spawn processes and set process-wide state.
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
        },
      },
    ],
  },
});
