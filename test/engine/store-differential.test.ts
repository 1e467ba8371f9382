// The compact and fingerprint stores against the exact store (whole packed states in memory): on
// every shipped model and variant at its smallest parameters under every memory model, with and
// without the reductions, and on random models, the same verdict, property, states, transitions,
// depth and the same trace, step for step. (At these sizes no fingerprint collision is expected:
// the same count is asserted.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { check, type CheckOptions, type CheckResult } from '../../src/pipeline/check.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import type { PropertyDef } from '../../src/lang/property.ts';
import { arbModel, arbModelIn } from '../reference/arbitrary-model.ts';

/** Configurations larger than this are left to the bench. */
const MAX_STATES = 20_000;

function outcome(r: CheckResult) {
  return { verdict: r.verdict, property: r.property, limit: r.limit, states: r.states, transitions: r.transitions, depth: r.depth, trace: r.rawTrace?.map((s) => `${s.step}/${s.actor}/${s.choice}`), liveness: r.liveness?.verdict };
}

/** The three stores on one configuration: their outcomes (the exact store's first), or null when it is too big. */
function allStores(model: ModelDef, properties: readonly PropertyDef[], opts: CheckOptions) {
  const exact = check(model, properties, { ...opts, store: 'exact', maxStates: MAX_STATES });
  if (exact.verdict === 'incomplete') return null;
  const compact = check(model, properties, { ...opts, store: 'compact' });
  const fingerprint = check(model, properties, { ...opts, store: 'fingerprint' });
  expect([compact.store, fingerprint.store, exact.store]).toEqual(['compact', 'fingerprint', 'exact']);
  expect(fingerprint.missProbability).toBeGreaterThanOrEqual(0);
  return { exact: outcome(exact), compact: outcome(compact), fingerprint: outcome(fingerprint) };
}

describe('every store gives the same result on the shipped models', () => {
  for (const { model, variants } of shipped) {
    const params = Object.fromEntries(Object.entries(model.params as Record<string, { min: number }>).map(([k, spec]) => [k, spec.min]));
    for (const memory of model.memory ?? ['sc']) {
      for (const variant of [null, ...variants]) {
        for (const reduced of [true, false]) {
          it(`${model.name}${variant ? ` ${variant.name}` : ''} (${memory}, smallest parameters, ${reduced ? 'POR and symmetry' : 'unreduced'})`, (ctx) => {
            let r;
            try {
              r = allStores(model as ModelDef, allProperties, { params, memory, variant, por: reduced, symmetry: reduced });
            } catch (e) {
              ctx.skip(`the model throws: ${(e as Error).message}`);
            }
            if (r === null) return ctx.skip(`more than ${MAX_STATES} states`);
            expect(r!.compact).toEqual(r!.exact);
            expect(r!.fingerprint).toEqual(r!.exact);
          });
        }
      }
    }
  }
});

describe('every store gives the same result on random models', () => {
  it('200 random models, unreduced', () => {
    const verdicts = new Set<string>();
    fc.assert(
      fc.property(arbModel, (rm) => {
        const r = allStores(rm.model, rm.properties, { liveness: false, por: false, symmetry: false });
        if (r === null) return;
        expect(r.compact).toEqual(r.exact);
        expect(r.fingerprint).toEqual(r.exact);
        verdicts.add(r.exact.verdict);
      }),
      { numRuns: 200, seed: 0x5702e },
    );
    expect([...verdicts].sort()).toEqual(['error', 'ok', 'violation']);
  }, 300_000);

  it('100 random symmetric models with POR, symmetry and the stuck-actor check', () => {
    fc.assert(
      fc.property(arbModelIn('symmetric'), (rm) => {
        const r = allStores(rm.model, rm.properties, { por: true, symmetry: true, sleep: true });
        if (r === null) return;
        expect(r.compact).toEqual(r.exact);
        expect(r.fingerprint).toEqual(r.exact);
      }),
      { numRuns: 100, seed: 0x5703e },
    );
  }, 300_000);
});
