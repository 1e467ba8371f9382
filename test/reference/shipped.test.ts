// The fast and reference explorers on every shipped model and variant, at the smallest parameters,
// under every memory model the model supports: same verdict, property, trace and counts. A model
// whose code throws must throw the same way in both (the exception is the model's, not an explorer's).
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import { differences, runBoth } from './compare.ts';

/** Configurations whose full state space is larger than this are left to the bench. */
const MAX_STATES = 5000;

function outcome(f: () => unknown): { threw: string | null; value: unknown } {
  try {
    return { threw: null, value: f() };
  } catch (e) {
    return { threw: `${(e as Error).name}: ${(e as Error).message}`, value: null };
  }
}

describe('fast and reference explorers agree on the shipped models', () => {
  for (const { model, variants } of shipped) {
    const params = Object.fromEntries(Object.entries(model.params as Record<string, { min: number }>).map(([k, spec]) => [k, spec.min]));
    for (const memory of model.memory ?? ['sc']) {
      for (const variant of [null, ...variants]) {
        it(`${model.name}${variant ? ` ${variant.name}` : ''} (${memory}, smallest parameters)`, (ctx) => {
          const opts = { params, memory, variant };
          const probe = outcome(() => check(model as ModelDef, allProperties, { ...opts, maxStates: MAX_STATES }));
          if (probe.threw === null && (probe.value as { verdict: string }).verdict === 'incomplete') ctx.skip(`more than ${MAX_STATES} states`);
          const both = outcome(() => runBoth(model, allProperties, opts));
          if (probe.threw !== null || both.threw !== null) {
            expect(both.threw).toBe(probe.threw);
            return;
          }
          expect(differences(both.value as ReturnType<typeof runBoth>)).toEqual([]);
        });
      }
    }
  }
});
