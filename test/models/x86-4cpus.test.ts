// The lazy-TLB models with four CPUs (x86-lazy-tlb, xen-pv: cpus up to 4) and their deep named
// scopes. Pinned here at a small four-CPU scope: the full search's and the default reductions' state
// counts and verdicts, the footprints, the symmetry over all four CPUs under anyOrderTargets (at least
// one state per orbit of the 24 permutations, the same verdict), a historical kernel still reporting
// its property, and the scopes' params and flags.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import x86Model from '../../models/x86-lazy-tlb/model.ts';
import xenPvModel from '../../models/xen-pv/model.ts';
import { lazyTlbSymmetry } from '../../models/x86-lazy-tlb/symmetry.ts';
import { x86LazyTlbVariants } from '../../models/x86-lazy-tlb/variants/index.ts';
import { xenPvVariants } from '../../models/xen-pv/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import type { AnyModel } from '../../src/lang/model.ts';
import type { VariantDef } from '../../src/lang/variant.ts';

const model: AnyModel = x86Model;
const xenPv: AnyModel = xenPvModel;
const any = { anyOrderTargets: true };
// four CPUs on one mm (one thread), one context switch each, one page-table change, no exit
const FOUR = { cpus: 4, mms: 1, switches: 1, exits: 0 };
const reduced = { por: true, symmetry: true };

describe('x86-lazy-tlb with four CPUs', () => {
  it('accepts cpus=4 in both models, and no more', () => {
    for (const m of [model, xenPv]) {
      expect(instantiate(m, allProperties, { params: { cpus: 4 } }).params.cpus).toBe(4);
      expect(() => instantiate(m, allProperties, { params: { cpus: 5 } })).toThrow(/cpus=5 is outside its range; accepted: a decimal integer from 1 to 4/);
    }
  });

  it('small scope: ok, 20,125 states in the full search, 17,792 with the default reductions (symmetry over the user mms, partial-order)', () => {
    const full = check(model, allProperties, { params: FOUR, liveness: false });
    const red = check(model, allProperties, { params: FOUR, liveness: false, ...reduced });
    expect([full.verdict, full.states]).toEqual(['ok', 20125]);
    expect([red.verdict, red.states]).toEqual(['ok', 17792]);
  }, 30_000);

  it('small scope: every step respects the declared own and published fields, and every invariant its reads, with targets in any order', () => {
    const fp = verifyFootprints(compile(instantiate(model, allProperties, { params: FOUR, flags: any })));
    expect([fp.complete, fp.problems]).toEqual([true, []]);
  }, 30_000);

  it('declares the four CPUs interchangeable only under anyOrderTargets (CPU 0 fixed with hotplug)', () => {
    const sym = (flags: Record<string, boolean>) => {
      const inst = instantiate(model, allProperties, { params: { cpus: 4 }, flags });
      return lazyTlbSymmetry(inst.params, inst.flags);
    };
    expect(sym({})).toEqual([{ of: 'mm' }]);
    expect(sym(any)).toEqual([{ of: 'cpu' }]);
    expect(sym({ ...any, hotplug: true })).toEqual([{ of: 'cpu', fixed: [0] }]);
  });

  it('anyOrderTargets: symmetry over the CPUs stores 1,315 states (1,119 with partial-order) of the 20,125, at least one per orbit of the 24 permutations, ok as the full search', () => {
    const full = check(model, allProperties, { params: FOUR, flags: any, liveness: false });
    const sym = check(model, allProperties, { params: FOUR, flags: any, liveness: false, symmetry: true });
    const both = check(model, allProperties, { params: FOUR, flags: any, liveness: false, ...reduced });
    expect([full.verdict, full.states]).toEqual(['ok', 20125]);
    expect([sym.verdict, sym.states]).toEqual(['ok', 1315]);
    expect([both.verdict, both.states]).toEqual(['ok', 1119]);
    expect(sym.states * 24).toBeGreaterThanOrEqual(full.states);
  }, 30_000);

  // A historical variant at four CPUs, exact and under anyOrderTargets (found there, confirmed on the
  // exact model by replaying its trace): its catalogued property, in as many steps as with two CPUs.
  const variants: [string, AnyModel, VariantDef, string, number, number | null, number | null][] = [
    ['v2.6.39 (TLB-1)', model, x86LazyTlbVariants.find((x) => x.name === 'v2.6.39')!, 'P3', 11, null, null],
    ['Xen PV v2.6.23 (XEN-1)', xenPv, xenPvVariants.find((x) => x.name === 'v2.6.23')!, 'X1', 17, 17074, 8723],
  ];
  for (const [name, m, v, property, steps, exactStates, abstractStates] of variants) {
    it(`${name} still reports ${property} with four CPUs in ${steps} steps, exact and under anyOrderTargets (confirmed on the exact model)`, () => {
      const params = { cpus: 4, switches: 1 };
      const exact = check(m, allProperties, { variant: v, params, liveness: false, ...reduced });
      const abstract = check(m, allProperties, { variant: v, params, flags: any, liveness: false, ...reduced });
      expect([exact.verdict, exact.property, exact.trace!.length]).toEqual(['violation', property, steps]);
      expect([abstract.verdict, abstract.property, abstract.trace!.length]).toEqual(['violation', property, steps]);
      if (exactStates !== null) expect([exact.states, abstract.states]).toEqual([exactStates, abstractStates]);
      expect(abstract.abstraction).toMatchObject({ confirmed: true, by: 'replay' });
    }, 30_000);
  }
});

describe('the deep scopes', () => {
  const scopes: [AnyModel, string, Record<string, number>][] = [
    [model, 'deep', { cpus: 3, switches: 2, gens: 3, changes: 2 }],
    [model, 'deep-4cpus', { cpus: 4, switches: 1, gens: 3, changes: 2 }],
    [xenPv, 'deep', { cpus: 3, switches: 2, gens: 3, changes: 2 }],
    [xenPv, 'deep-4cpus', { cpus: 4, switches: 1, gens: 3, changes: 2 }],
  ];
  it('instantiate with their params, targets in any order, symmetry over the CPUs; --param and --set still apply on top', () => {
    for (const [m, scope, params] of scopes) {
      const i = instantiate(m, allProperties, { scope });
      expect(i.params, `${m.name} ${scope}`).toMatchObject(params);
      expect(i.flags.anyOrderTargets).toBe(true);
      expect(m.symmetry!(i.params, i.flags)).toEqual([{ of: 'cpu' }]);
      const over = instantiate(m, allProperties, { scope, params: { switches: 0 }, flags: { anyOrderTargets: false } });
      expect([over.params.switches, over.params.cpus, over.flags.anyOrderTargets]).toEqual([0, params.cpus, false]);
    }
  });
});
