// What a random-model suite compared: a count per kind of outcome, and the check that the models drawn
// reached each kind often enough for the agreement to mean something. The models, and so the counts,
// change with the seed of the run (test/reference/seed.ts): each minimum is about half the lowest
// count seen over 38 seeds (1 to 38, every suite; `LAZYTLB_TALLY=1` prints the tallies), so that a run
// fails only when the generator stops reaching an outcome, and a failure names the seed and the whole
// tally. An outcome some seeds never reach has no minimum here: a pinned seed or a fixture covers it.
import { expect } from 'vitest';
import { SEED } from './seed.ts';

export type Tally = Record<string, number>;

export const count = (tally: Tally, key: string, n = 1) => (tally[key] = (tally[key] ?? 0) + n);

/** Fails, listing the tally and the seed, when some `key` of `minimums` was counted fewer than its minimum times. */
export function expectCoverage(suite: string, tally: Tally, minimums: Tally): void {
  if (process.env.LAZYTLB_TALLY) console.log(`tally ${JSON.stringify(suite)} ${JSON.stringify(tally)}`);
  const short = Object.entries(minimums)
    .filter(([key, min]) => (tally[key] ?? 0) < min)
    .map(([key, min]) => `${key}: ${tally[key] ?? 0} < ${min}`);
  expect(
    short,
    `${suite}: the random models of LAZYTLB_SEED=${SEED} reached too few of some outcomes; the tally: ${JSON.stringify(tally)}`,
  ).toEqual([]);
}
