// Differential tests: the fast explorer (packed states, generated views and successor code) against
// the reference explorer (Immutable.js states, plain views), on random small models and on the shipped
// calibration model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import shootdown from '../../models/bench/shootdown.ts';
import noFlushOnUnlazy from '../../models/bench/variants/no-flush-on-unlazy.ts';
import { allProperties } from '../../properties/index.ts';
import { agreeExplorers as agree } from './agree-explorers.ts';
import { arbModel, arbModelIn } from './arbitrary-model.ts';
import { differences, runBoth } from './compare.ts';
import { RANDOM_SUITE_MS, SEED as RUN_SEED } from './seed.ts';
import { expectCoverage, type Tally } from './tally.ts';

const SEED = RUN_SEED;

describe('fast and reference explorers agree on random models', { timeout: RANDOM_SUITE_MS }, () => {
  it('under sequential consistency (300 models)', () => {
    const tally: Tally = {};
    fc.assert(
      fc.property(arbModel, (rm) => {
        fc.pre(agree(rm, 'sc', tally));
      }),
      { seed: SEED, numRuns: 300, maxSkipsPerRun: 100 },
    );
    // The random models reach every kind of outcome, so each comparison above means something; monitors
    // failing on a transition into a state stored before is a case the fast explorer once got wrong.
    expectCoverage('differential sc', tally, {
      'sc ok': 60,
      'sc violation invariant': 20,
      'sc violation monitor': 12,
      'sc violation deadlock': 8,
      'sc error': 20,
      'sc states': 1000,
      'monitor into stored state': 1,
    });
  });

  it('with per-frame locals (150 models whose seq procedures keep a local per frame)', () => {
    const tally: Tally = {};
    fc.assert(
      fc.property(arbModelIn('locals'), (rm) => {
        fc.pre(agree(rm, 'sc', tally));
      }),
      { seed: SEED + 7, numRuns: 150, maxSkipsPerRun: 100 },
    );
    expectCoverage('differential locals', tally, { 'sc ok': 30, 'sc violation invariant': 8, 'sc violation monitor': 6, 'sc error': 10, 'sc states': 300 });
  });

  it('under tso and weak store buffers (150 models with plain fields)', () => {
    const tally: Tally = {};
    fc.assert(
      fc.property(
        arbModel.filter((rm) => rm.hasPlain),
        (rm) => {
          fc.pre(agree(rm, 'tso', tally) && agree(rm, 'weak', tally));
        },
      ),
      { seed: SEED + 1, numRuns: 150, maxSkipsPerRun: 100 },
    );
    const violations = (m: string) => (tally[`${m} violation invariant`] ?? 0) + (tally[`${m} violation monitor`] ?? 0);
    expectCoverage('differential tso/weak', { ...tally, 'tso violations': violations('tso'), 'weak violations': violations('weak') }, {
      'tso ok': 25,
      'tso violations': 17,
      'tso states': 2000,
      'weak ok': 25,
      'weak violations': 17,
      'weak states': 2000,
    });
  });
});

describe('fast and reference explorers agree on shootdown', () => {
  const configs: [number, number][] = [
    [1, 1],
    [2, 1],
    [2, 2],
    [2, 3],
    [3, 2],
    [3, 3],
  ];
  for (const [cpus, gens] of configs) {
    for (const flushOnUnlazy of [true, false]) {
      it(`shootdown(${cpus}, ${gens}) flushOnUnlazy=${flushOnUnlazy}`, () => {
        const pair = runBoth(shootdown, allProperties, { params: { cpus, gens }, flags: { flushOnUnlazy } });
        expect(differences(pair)).toEqual([]);
        // With the catch-up flush the protocol is correct at every size.
        if (flushOnUnlazy) expect(pair.ref.verdict).toBe('ok');
      });
    }
  }

  it('shootdown(2, 2) has 129 states (as its SPIN and rumur twins)', () => {
    const { fast, ref } = runBoth(shootdown, allProperties, { params: { cpus: 2, gens: 2 } });
    expect(fast.verdict).toBe('ok');
    expect(ref.verdict).toBe('ok');
    expect(fast.states).toBe(129);
    expect(ref.states).toBe(129);
  });

  it('shootdown(3, 3) without the catch-up flush: no-stale-user fails after 6 steps', () => {
    const { fast, ref } = runBoth(shootdown, allProperties, { params: { cpus: 3, gens: 3 }, variant: noFlushOnUnlazy });
    for (const r of [fast, ref]) {
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe('no-stale-user');
    }
    expect(fast.rawTrace).toHaveLength(6);
    expect(ref.traceLength).toBe(6);
    // A lazy CPU skipped by the flush returns to user code; the flush then completes.
    expect(ref.trace).toEqual([
      'cpu0 switch_to_user:U',
      'cpu0 switch_to_kthread:K',
      'cpu1 switch_to_user:U',
      'cpu1 flush_start:F',
      'cpu0 switch_to_user:U',
      'flusher0 flush_done:D',
    ]);
  });
});
