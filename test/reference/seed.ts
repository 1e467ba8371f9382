// The seed of the random-model suites: fresh for each test run (chosen in vitest.config.ts and
// printed there), or the one given in LAZYTLB_SEED (decimal or 0x hex), which reproduces a run.
// Each suite adds its own offset, so the suites draw different models from one seed.

/** Parses a seed as LAZYTLB_SEED gives it; throws on anything but a decimal or 0x-hex 31-bit integer. */
export function parseSeed(text: string): number {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new Error(`LAZYTLB_SEED=${text} is not a decimal or 0x-hex integer`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n > 0x7fffffff) throw new Error(`LAZYTLB_SEED=${text} is above 0x7fffffff`);
  return n;
}

/** A fresh seed (31 bits, so that seed + offset stays a valid fast-check seed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x40000000);
}

export const SEED = process.env.LAZYTLB_SEED !== undefined ? parseSeed(process.env.LAZYTLB_SEED) : freshSeed();

/** The time limit of one random-model test: the models drawn, and so the time taken, vary with the seed. */
export const RANDOM_SUITE_MS = 600_000;
