import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The machine has 2 cores; suites that start servers and browsers must not starve each other.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // "Today" is local midnight; tests pin the zone so hand-computed figures hold everywhere.
    env: { TZ: 'UTC' },
  },
});
