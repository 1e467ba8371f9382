// The agreement check between the fast explorer and the reference explorer on one random model:
// shared by the differential tests (test/reference/differential.test.ts) and the fuzzer (`npm run fuzz`).
import { check } from '../../src/pipeline/check.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import type { RandomModel } from './arbitrary-model.ts';
import { differences } from './compare.ts';
import type { Tally } from './tally.ts';

/** Random models above this many states are skipped (fast-check draws another). */
const MAX_STATES = 3000;


/** Explores `rm` under `memory` with both explorers; false when the model is too big to compare. */
export function agreeExplorers(rm: RandomModel, memory: string, tally: Tally): boolean {
  // The fast explorer first, with a bound: a model too big for the reference is not compared.
  // Safety only (the stuck-actor check is compared in stuck-differential.test.ts).
  const fast = check(rm.model, rm.properties, { memory, maxStates: MAX_STATES, liveness: false });
  if (fast.verdict === 'incomplete') return false;
  const ref = exploreReference(rm.model, rm.properties, { memory, liveness: false });
  const diffs = differences({ fast, ref });
  if (diffs.length > 0) throw new Error(`explorers disagree under ${memory}:\n  ${diffs.join('\n  ')}`);
  const key = `${memory} ${ref.verdict}${ref.kind && ref.kind !== 'error' ? ` ${ref.kind}` : ''}`;
  tally[key] = (tally[key] ?? 0) + 1;
  if (ref.verdict === 'ok') tally[`${memory} states`] = (tally[`${memory} states`] ?? 0) + ref.states;
  if (ref.intoVisited) tally['monitor into stored state'] = (tally['monitor into stored state'] ?? 0) + 1;
  return true;
}

