// anyOrderTargets (models/x86-lazy-tlb/flush.ts): smp_call_function_many_cond's walk over the mask
// snapshot visits the remaining targets in any order, an over-approximation of the kernel's CPU-order
// walk under which the x86 CPUs are interchangeable with three CPUs (symmetry.ts). Pinned here: the
// symmetry it declares, the state counts it adds, one state per orbit of the CPUs (by brute force),
// and the historical variants reporting their properties with three CPUs under it.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import x86Model from '../../models/x86-lazy-tlb/model.ts';
import xenPvModel from '../../models/xen-pv/model.ts';
import { lazyTlbFlags, lazyTlbParams } from '../../models/x86-lazy-tlb/config.ts';
import { lazyTlbSymmetry } from '../../models/x86-lazy-tlb/symmetry.ts';
import { x86LazyTlbVariants } from '../../models/x86-lazy-tlb/variants/index.ts';
import { xenPvVariants } from '../../models/xen-pv/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import { searchAgrees } from '../reference/agree-reductions.ts';
import type { Tally } from '../reference/tally.ts';
import type { AnyModel } from '../../src/lang/model.ts';
import type { VariantDef } from '../../src/lang/variant.ts';

const model: AnyModel = x86Model;
const xenPv: AnyModel = xenPvModel;
const params = Object.fromEntries(Object.entries(lazyTlbParams).map(([k, v]) => [k, v.default]));
const flags = Object.fromEntries(Object.entries(lazyTlbFlags).map(([k, v]) => [k, v.default]));
const any = { anyOrderTargets: true };
// three CPUs on one mm, two context switches each: an initiator flushes with two remote targets
const THREE = { cpus: 3, mms: 1, switches: 2, exits: 0 };

describe('anyOrderTargets: the target walk in any order', () => {
  it('is an abstraction flag of both lazy-TLB models, off by default', () => {
    for (const m of [model, xenPv]) expect((m.flags as any).anyOrderTargets).toMatchObject({ default: false, abstraction: true, scope: true });
  });

  it('declares the CPUs interchangeable with three CPUs only under it, CPU 0 fixed with hotplug', () => {
    const sym = (cpus: number, f: Record<string, unknown>) => lazyTlbSymmetry({ ...params, cpus }, { ...flags, ...f });
    expect(sym(3, {})).toEqual([{ of: 'mm' }]);
    expect(sym(3, any)).toEqual([{ of: 'cpu' }]);
    expect(sym(3, { ...any, hotplug: true })).toEqual([{ of: 'cpu', fixed: [0] }]);
    expect(sym(2, {})).toEqual([{ of: 'cpu' }]);
    // with hotplug and two CPUs only CPU 1 could move: the user mms instead
    expect(sym(2, { ...any, hotplug: true })).toEqual([{ of: 'mm' }]);
  });

  it('adds executions with two remote targets only: three CPUs, 69,149 states in CPU order, 69,581 in any order (no reduction)', () => {
    const exact = check(model, allProperties, { params: THREE, liveness: false });
    const abstract = check(model, allProperties, { params: THREE, flags: any, liveness: false });
    expect([exact.verdict, exact.states]).toEqual(['ok', 69149]);
    expect([abstract.verdict, abstract.states]).toEqual(['ok', 69581]);
  }, 60_000);

  it('three CPUs: the reductions agree with the full search, with one state per orbit of the CPUs', () => {
    const tally: Tally = {};
    const agrees = searchAgrees({
      model,
      properties: allProperties,
      opts: { params: THREE, flags: any },
      symmetric: true,
      symmetricInit: false,
      reference: false,
      exact: true,
      maxStates: 100_000,
      maxCompared: 100_000,
      what: 'x86-lazy-tlb anyOrderTargets cpus=3',
    }, tally);
    expect(agrees).toBe(true);
    expect(tally['symmetry: fewer states']).toBe(1);
  }, 120_000);
});

describe('the historical kernels still report their properties under anyOrderTargets', () => {
  // the property the exact model reports at that scope, found under the abstraction and confirmed there
  const reports = (m: AnyModel, v: VariantDef, p: Record<string, number>) => {
    const exact = check(m, allProperties, { variant: v, params: p, por: true, symmetry: true, maxSeconds: 60 });
    const abstract = check(m, allProperties, { variant: v, params: p, flags: any, por: true, symmetry: true, maxSeconds: 60 });
    expect(exact.verdict).toBe('violation');
    expect([abstract.verdict, abstract.property, abstract.trace!.length]).toEqual(['violation', exact.property, exact.trace!.length]);
    expect(abstract.abstraction).toMatchObject({ confirmed: true, by: 'replay' });
    return exact.property;
  };
  const shipped: [AnyModel, readonly VariantDef[]][] = [[model, x86LazyTlbVariants], [xenPv, xenPvVariants]];

  it('every one at the default scope (two CPUs), each its catalogued property', () => {
    let n = 0;
    for (const [m, variants] of shipped) {
      for (const v of variants.filter((x) => x.violates?.length)) {
        expect(v.violates, `${m.name} ${v.name}`).toContain(reports(m, v, {}));
        n++;
      }
    }
    expect(n).toBe(12);
  }, 120_000);

  it('with three CPUs (v2.6.39, v4.13, v4.14, v6.13: P3; Xen PV v2.6.23: X1)', () => {
    const three = { cpus: 3 };
    for (const name of ['v2.6.39', 'v4.13', 'v4.14', 'v6.13']) expect(reports(model, x86LazyTlbVariants.find((v) => v.name === name)!, three), name).toBe('P3');
    expect(reports(xenPv, xenPvVariants.find((v) => v.name === 'v2.6.23')!, three)).toBe('X1');
  }, 120_000);
});
