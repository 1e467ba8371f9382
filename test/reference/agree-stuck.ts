// The agreement check of the stuck-actor check between the fast explorer and the reference on one
// random model: shared by test/reference/stuck-differential.test.ts and the fuzzer (`npm run fuzz`).
import { expect } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import type { RandomModel } from './arbitrary-model.ts';
import { differences, fastTrace } from './compare.ts';
import { count, type Tally } from './tally.ts';

/** Random models above this many states are skipped (the reference's check is quadratic). */
const MAX_STATES = 1500;


/** Both explorers with the stuck check; false when the model is too big to compare. */
export function agreeStuck(rm: RandomModel, reduced: boolean, tally: Tally): boolean {
  const fast = check(rm.model, rm.properties, { maxStates: MAX_STATES, ...(reduced ? { por: true, symmetry: true } : {}) });
  if (fast.verdict === 'incomplete') return false;
  const ref = exploreReference(rm.model, rm.properties, {});
  if (!reduced) {
    const diffs = differences({ fast, ref });
    if (diffs.length > 0) throw new Error(`explorers disagree:\n  ${diffs.join('\n  ')}`);
  } else {
    // Under reductions the search's counts and safety traces may differ; the stuck verdict may not.
    // The stuck check runs after a complete safety search only, so a stuck finding means both safety
    // searches were ok. When several safety findings are reachable (a model error and an invariant),
    // a reduced search may meet another one first (see reductions.test.ts): both must find one.
    expect(fast.verdict === 'ok', `reduced ${fast.verdict} ${fast.property ?? ''}, reference ${ref.verdict} ${ref.property ?? ''}`).toBe(ref.verdict === 'ok');
    expect(fast.property === 'stuck').toBe(ref.property === 'stuck');
    if (ref.property !== 'stuck' && ref.verdict !== 'ok' && (fast.verdict !== ref.verdict || fast.property !== ref.property)) count(tally, 'first finding differs');
    if (ref.property === 'stuck') {
      expect(fast.reason).toBe(ref.reason);
      expect(fastTrace(fast)).toEqual(ref.trace);
      expect(fast.liveness?.graph).toBe(fast.reductions.symmetry || (fast.reductions.por?.ampleStates ?? 0) > 0 ? 'unreduced' : 'search');
    }
  }
  count(tally, ref.property === 'stuck' ? `stuck ${/stays false|stays there/.test(ref.reason!) ? 'forever' : /is false here/.test(ref.reason!) ? 'blocked' : 'looping'}` : ref.verdict);
  return true;
}

