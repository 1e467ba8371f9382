// context-tracking at 3 CPUs: a complete search does not fit a test (2 CPUs at nesting 1 without
// NMIs is already 10 M orbits), so the counts are those of the CT-2 searches, which stop at the
// violation: the same verdict and shortest trace unreduced and under CPU symmetry, with fewer
// states stored under symmetry by the deeper one. And the deep scope's params.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/context-tracking/model.ts';
import ct2 from '../../models/context-tracking/variants/x86-64-pre-v4.3-syscall.ts';

const run = (opts: Parameters<typeof check>[2] = {}) => check(model as any, allProperties, { liveness: false, ...opts });
const scope = { params: { cpus: 3, nesting: 1 }, flags: { nmiAnywhere: false, nmiLike: false } };

describe('context-tracking at 3 CPUs', () => {
  it('CT-2 still reports CTP-4 (3 steps) and CTP-5 (9 steps), unreduced and under symmetry', () => {
    const got: unknown[] = [];
    for (const [property, length] of [['CTP-4', 3], ['CTP-5', 9]] as const) {
      const full = run({ ...scope, variant: ct2, properties: [property] });
      const sym = run({ ...scope, variant: ct2, properties: [property], symmetry: true, por: true });
      expect([full.verdict, full.property, full.trace?.length]).toEqual(['violation', property, length]);
      expect([sym.verdict, sym.property, sym.trace?.length]).toEqual(['violation', property, length]);
      got.push([property, full.states, sym.states]);
    }
    // States stored when the violation is met: under symmetry and partial-order reduction far fewer
    // (each CPU's context-tracking record is its own, so its private stretches run alone).
    expect(got).toEqual([['CTP-4', 37, 9], ['CTP-5', 5737, 314]]);
  });

  it('the deep scope is 2 CPUs, nesting 2, NMIs anywhere', () => {
    expect(model.scopes?.deep).toMatchObject({ params: { cpus: 2, nesting: 2 }, flags: { nmiAnywhere: true, nmiLike: false } });
  });
});
