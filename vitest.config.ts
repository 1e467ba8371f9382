import { defineConfig } from 'vitest/config';
import './vitest.seed.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests change the working directory (counterexample files) and run searches: separate processes.
    pool: 'forks',
    testTimeout: 120_000,
  },
});
