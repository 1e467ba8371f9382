// The fuzzer (`npm run fuzz -- --models N`): N random models, each through every explorer and every
// reduction combination it qualifies for, with the same agreement checks as the test suite:
// - every model: the fast explorer against the reference explorer under sc, and under tso and weak
//   when it has plain fields; the stuck-actor check against the reference's, unreduced;
// - models drawn keeping the reductions' promises ('footprints' and 'symmetric' modes): every
//   reduction combination (por, sleep, por+sleep, and with symmetry for symmetric models) against
//   the full search and the reference, under each memory model; the stuck check under reductions.
// A disagreement fails with fast-check's seed and path (reproduce with LAZYTLB_SEED); at the end the
// tally of what was compared is printed.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { agreeExplorers } from '../reference/agree-explorers.ts';
import { agreeOnRandom } from '../reference/agree-reductions.ts';
import { agreeStuck } from '../reference/agree-stuck.ts';
import { arbModelIn, type DrawMode, type RandomModel } from '../reference/arbitrary-model.ts';
import { SEED } from '../reference/seed.ts';

const MODELS = Number(process.env.LAZYTLB_FUZZ_MODELS ?? 100);
/** This process's share of a run split over several (bin/fuzz.mjs): its seed offset. */
const SHARD = Number(process.env.LAZYTLB_FUZZ_SHARD ?? 0);
const modes: readonly DrawMode[] = ['default', 'footprints', 'symmetric'];

type Tally = Record<string, number>;
const add = (t: Tally, k: string, n = 1) => (t[k] = (t[k] ?? 0) + n);

/** Every agreement check `rm` qualifies for; false (skipped) when it is too big to compare. */
function fuzzOne(mode: DrawMode, rm: RandomModel, tally: Tally): boolean {
  const memories = rm.hasPlain ? ['sc', 'tso', 'weak'] : ['sc'];
  const explorers: Tally = {};
  const reductions: Tally = {};
  const stuck: Tally = {};
  const stuckReduced: Tally = {};
  for (const memory of memories) if (!agreeExplorers(rm, memory, explorers)) return false;
  if (!agreeStuck(rm, false, stuck)) return false;
  if (mode !== 'default') {
    for (const memory of memories) if (!agreeOnRandom(rm, memory, reductions)) return false;
    if (!agreeStuck(rm, true, stuckReduced)) return false;
  }
  add(tally, `models ${mode}`);
  const parts: [string, Tally][] = [['explorers', explorers], ['reductions', reductions], ['stuck', stuck], ['stuck under por+symmetry', stuckReduced]];
  for (const [what, sub] of parts) for (const [k, n] of Object.entries(sub)) add(tally, `${what}: ${k}`, n);
  return true;
}

it(`${MODELS} random models agree across every explorer and reduction`, () => {
  const tally: Tally = {};
  const t0 = performance.now();
  let drawn = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...modes).chain((mode) => arbModelIn(mode).map((rm) => [mode, rm] as const)),
      ([mode, rm]) => {
        drawn++;
        if (drawn % 500 === 0) process.stderr.write(`fuzz: ${drawn} drawn, ${(tally['models default'] ?? 0) + (tally['models footprints'] ?? 0) + (tally['models symmetric'] ?? 0)} compared, ${Math.round((performance.now() - t0) / 1000)} s\n`);
        fc.pre(fuzzOne(mode, rm, tally));
      },
    ),
    { seed: SEED + 300 + SHARD, numRuns: MODELS, maxSkipsPerRun: 100 },
  );
  const compared = modes.reduce((n, m) => n + (tally[`models ${m}`] ?? 0), 0);
  const lines = Object.entries(tally).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`);
  console.log(`fuzz: seed ${SEED} + ${300 + SHARD} (LAZYTLB_SEED=${SEED} reproduces), ${compared} models compared, ${drawn - compared} drawn too big and skipped, ${Math.round((performance.now() - t0) / 1000)} s, no disagreement\n${lines.join('\n')}`);
  if (process.env.LAZYTLB_FUZZ_OUT) writeFileSync(process.env.LAZYTLB_FUZZ_OUT, JSON.stringify({ ...tally, 'drawn too big': drawn - compared, [`seconds (process ${SHARD})`]: Math.round((performance.now() - t0) / 1000) }));
  expect(compared).toBe(MODELS);
});
