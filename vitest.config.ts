import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import './vitest.seed.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests change the working directory (counterexample files) and run searches: separate processes.
    pool: 'forks',
    // One test process per core (the searches are CPU-bound; the main process only collects results).
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
  },
});
