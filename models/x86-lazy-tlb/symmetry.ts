// Interchangeable objects of the lazy-TLB models (symmetry reduction).
//
// CPUs: every per-CPU field, reference to a CPU (the initiator of a queued call) and set of CPUs
// (mm_cpumask, the call queues, the flush snapshot) is permuted together. Two things tell CPUs apart:
// - smp_call_function_many_cond visits the targets in CPU order (SF1/SF2 over fIter): with three CPUs
//   an initiator's loop state is not symmetric; with two it has at most one remote target;
// - with the hotplug scope, CPU 0 (the boot CPU) is never offlined (HP1).
// So CPUs are interchangeable with at most two CPUs and without hotplug (with one, there is nothing
// to permute).
//
// User mms: no step, guard or property tells one user mm from another. init_mm, LOADED_MM_SWITCHING
// and NULL are values beyond the user mms, never permuted. The warm starts give mm0 and mm1 different
// tasks, but only the initial state differs, and a permutation of a reachable state behaves like it.
// exec_mmap takes the first unborn mm, and at most one mm (the last) is ever unborn.
//
// Only one kind is declared: two interchangeable CPUs, else the user mms. Both together are exact
// too, but from the warm starts the two user mms play different parts and rarely have twins: at the
// default scope both kinds store 137,001 states against 137,318 with the CPUs alone, at twice the
// canonicalization cost per state.
import type { Flags, Params, SymmetrySpec } from '../../src/lang/model.ts';

export function lazyTlbSymmetry(p: Params, f: Flags): SymmetrySpec[] {
  const cpus = f.hotplug === false && p.cpus === 2;
  // with temporaryMm the last mm is the temporary (notrack) mm: not interchangeable with the user mms
  return cpus ? [{ of: 'cpu' }] : [{ of: 'mm', ...(f.temporaryMm ? { fixed: [p.mms - 1] } : {}) }];
}
