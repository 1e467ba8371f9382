// Differential tests of the stuck-actor check: on random models the fast check (one backward search
// per obligation over the transition graph, src/engine/stuck.ts) and the reference (an explicit
// forward search from every state, src/reference/stuck.ts) agree on the verdict, the reason and the
// trace, without reductions and with partial-order and symmetry reduction (under which the fast check
// explores the unreduced graph itself).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreeStuck as agree } from './agree-stuck.ts';
import { arbModel, arbModelIn } from './arbitrary-model.ts';
import { differences, runBoth } from './compare.ts';
import { RANDOM_SUITE_MS, SEED as RUN_SEED } from './seed.ts';
import { expectCoverage, type Tally } from './tally.ts';

const SEED = RUN_SEED + 200;
import { waiter } from '../fixtures/models/waiter.ts';

describe('the stuck check agrees with the reference on random models', { timeout: RANDOM_SUITE_MS }, () => {
  it('without reductions (200 models)', () => {
    const tally: Tally = {};
    fc.assert(fc.property(arbModel, (rm) => void fc.pre(agree(rm, false, tally))), { seed: SEED, numRuns: 200, maxSkipsPerRun: 100 });
    // Stuck states that never move again and ones that keep looping occur, and enough models pass, for
    // the agreement to mean something (seeds 1 to 38: 3 to 14 forever, 2 to 16 looping, 59 to 86 ok;
    // blocked ones: below).
    expectCoverage('stuck unreduced', tally, { 'stuck forever': 1, 'stuck looping': 1, ok: 30 });
  });

  for (const mode of ['footprints', 'symmetric'] as const) {
    it(`with partial-order and symmetry reduction (${mode} models, 100)`, () => {
      const tally: Tally = {};
      fc.assert(fc.property(arbModelIn(mode), (rm) => void fc.pre(agree(rm, true, tally))), { seed: SEED + (mode === 'symmetric' ? 2 : 1), numRuns: 100, maxSkipsPerRun: 100 });
      expectCoverage(`stuck ${mode}`, tally, { ok: 15, violation: 10 });
    });
  }
});

describe('the stuck check agrees with the reference on the waiter fixture', () => {
  const cases: { what: string; params: Record<string, number>; flags: Record<string, boolean> }[] = [
    { what: 'blocked at the wait (NMIs keep the CPU moving)', params: { posts: 1 }, flags: {} },
    { what: 'never moving again (no NMIs)', params: { posts: 1, ticks: 2 }, flags: { nmi: false } },
    { what: 'looping at the wait', params: { posts: 1 }, flags: { spin: true } },
    { what: 'three CPUs, two tokens', params: { cpus: 3, posts: 2 }, flags: {} },
    { what: 'enough tokens: ok', params: { cpus: 3, posts: 3 }, flags: {} },
    { what: 'the posts are a scope bound: ok', params: { cpus: 3, posts: 2 }, flags: { bounded: true } },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const pair = runBoth(waiter, [], { params: c.params, flags: c.flags });
      expect(differences(pair)).toEqual([]);
      expect(pair.ref.property ?? 'ok').toBe(c.what.endsWith('ok') ? 'ok' : 'stuck');
    });
  }
});
