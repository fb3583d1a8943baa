import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One worker per core, not vitest's cores - 1: the suites mostly wait on the processes
    // they start (python3, Rscript, the CLI), and on two cores one worker left `npm test`
    // at 311 s where two take 212 s.
    maxWorkers: availableParallelism(),
  },
});
