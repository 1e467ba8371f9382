// lazy-mmu at 3 CPUs: exact counts with and without CPU and task symmetry, the historical LMMU-3 violation
// still found, and the deep scope's params.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/lazy-mmu/model.ts';
import lmmu3 from '../../models/lazy-mmu/variants/v7.0-rc-xen-task-counters.ts';

const run = (opts: Parameters<typeof check>[2] = {}) => check(model as any, allProperties, { liveness: false, ...opts });

describe('lazy-mmu at 3 CPUs', () => {
  it('arm64, 2 tasks: ok unreduced and under CPU and task symmetry, which stores fewer states (the orbits of 2 CPUs: the third only idles)', () => {
    const scope = { params: { cpus: 3 }, flags: { arch: 'arm64' } };
    const full = run(scope);
    const sym = run({ ...scope, symmetry: true, por: true });
    expect([full.verdict, full.states]).toEqual(['ok', 143160]);
    expect([sym.verdict, sym.states]).toEqual(['ok', 16341]);
  });

  it('LMMU-3 still reports L1 at 3 CPUs, with and without reductions, in 16 steps, as at 1 CPU', () => {
    for (const red of [{}, { symmetry: true, por: true }]) {
      const r = run({ variant: lmmu3, params: { cpus: 3 }, ...red });
      expect([r.verdict, r.property, r.trace?.length]).toEqual(['violation', 'L1', 16]);
    }
  });

  it('the deep scope is 3 CPUs and 3 tasks', () => {
    expect(model.scopes?.deep?.params).toEqual({ cpus: 3, tasks: 3 });
  });
});
