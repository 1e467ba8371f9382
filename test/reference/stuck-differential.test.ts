// Differential tests of the stuck-actor check: on random models the fast check (one backward search
// per obligation over the transition graph, src/engine/stuck.ts) and the reference (an explicit
// forward search from every state, src/reference/stuck.ts) agree on the verdict, the reason and the
// trace, without reductions and with partial-order and symmetry reduction (under which the fast check
// explores the unreduced graph itself).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import { arbModel, arbModelIn, type RandomModel } from './arbitrary-model.ts';
import { differences, fastTrace, runBoth } from './compare.ts';
import { waiter } from '../fixtures/models/waiter.ts';

const SEED = 0x57c4;
/** Random models above this many states are skipped (the reference's check is quadratic). */
const MAX_STATES = 1500;

type Tally = Record<string, number>;
const count = (t: Tally, k: string) => (t[k] = (t[k] ?? 0) + 1);

/** Both explorers with the stuck check; false when the model is too big to compare. */
function agree(rm: RandomModel, reduced: boolean, tally: Tally): boolean {
  const fast = check(rm.model, rm.properties, { maxStates: MAX_STATES, ...(reduced ? { por: true, symmetry: true } : {}) });
  if (fast.verdict === 'incomplete') return false;
  const ref = exploreReference(rm.model, rm.properties, {});
  if (!reduced) {
    const diffs = differences({ fast, ref });
    if (diffs.length > 0) throw new Error(`explorers disagree:\n  ${diffs.join('\n  ')}`);
  } else {
    // Under reductions the search's counts and safety traces may differ; the stuck verdict may not.
    expect(fast.verdict).toBe(ref.verdict);
    expect(fast.property === 'stuck').toBe(ref.property === 'stuck');
    if (ref.property === 'stuck') {
      expect(fast.reason).toBe(ref.reason);
      expect(fastTrace(fast)).toEqual(ref.trace);
      expect(fast.liveness?.graph).toBe(fast.symmetry || (fast.por && fast.ampleStates > 0) ? 'unreduced' : 'search');
    }
  }
  count(tally, ref.property === 'stuck' ? `stuck ${/stays false|stays there/.test(ref.reason!) ? 'forever' : /is false here/.test(ref.reason!) ? 'blocked' : 'looping'}` : ref.verdict);
  return true;
}

describe('the stuck check agrees with the reference on random models', () => {
  it('without reductions (200 models)', () => {
    const tally: Tally = {};
    fc.assert(fc.property(arbModel, (rm) => void fc.pre(agree(rm, false, tally))), { seed: SEED, numRuns: 200, maxSkipsPerRun: 100 });
    // Stuck states that never move again and ones that keep looping occur, and enough models pass, for
    // the agreement to mean something (seed 0x57c4: 8 forever, 12 looping, 63 ok; blocked ones: below).
    expect(tally['stuck forever']).toBeGreaterThan(4);
    expect(tally['stuck looping']).toBeGreaterThan(4);
    expect(tally.ok).toBeGreaterThan(30);
  });

  for (const mode of ['footprints', 'symmetric'] as const) {
    it(`with partial-order and symmetry reduction (${mode} models, 100)`, () => {
      const tally: Tally = {};
      fc.assert(fc.property(arbModelIn(mode), (rm) => void fc.pre(agree(rm, true, tally))), { seed: SEED + (mode === 'symmetric' ? 2 : 1), numRuns: 100, maxSkipsPerRun: 100 });
      expect(tally['stuck forever']).toBeGreaterThan(2);
      expect(tally.ok).toBeGreaterThan(20);
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
