// `npm run fuzz` (bin/fuzz.mjs): the fuzzer alone, without a time limit.
import { defineConfig } from 'vitest/config';
import './vitest.seed.ts';

export default defineConfig({
  test: {
    include: ['test/fuzz/*.fuzz.ts'],
    pool: 'forks',
    testTimeout: 0,
  },
});
