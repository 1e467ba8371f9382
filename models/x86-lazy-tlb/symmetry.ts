// Interchangeable objects of the lazy-TLB models (symmetry reduction).
//
// CPUs: every per-CPU field, reference to a CPU (the initiator of a queued call) and set of CPUs
// (mm_cpumask, the call queues, the flush snapshot) is permuted together. Two things tell CPUs apart:
// - smp_call_function_many_cond visits the targets in CPU order (SF1/SF2 over fIter): with three CPUs
//   an initiator's loop state is not symmetric (three or four CPUs); with two it has at most one remote target. Under
//   anyOrderTargets (an over-approximation, flush.ts) SF1 visits the remaining targets in any order,
//   and this difference is gone;
// - with the hotplug scope, CPU 0 (the boot CPU) is never offlined (HP1): CPU 0 stays fixed, and only
//   the others are permuted (with two CPUs that leaves nothing to permute).
// The rest treats CPUs alike: the queues, masks and grace-period sets are sets, every loop over CPUs
// computes a set or tests all of them, the properties watch each CPU by the same rule, and the warm
// starts differ from a cold start in the initial state only (a permutation of a reachable state
// behaves like it). So CPUs are interchangeable with two CPUs, or three or four under anyOrderTargets;
// with hotplug, CPU 0 is fixed.
//
// User mms: no step, guard or property tells one user mm from another. init_mm, LOADED_MM_SWITCHING
// and NULL are values beyond the user mms, never permuted. The warm starts give mm0 and mm1 different
// tasks, but only the initial state differs, and a permutation of a reachable state behaves like it.
// exec_mmap takes the first unborn mm, and at most one mm (the last) is ever unborn.
//
// Only one kind is declared: interchangeable CPUs, else the user mms. Both together are exact too,
// but from the warm starts the two user mms play different parts and rarely have twins: at the
// default scope both kinds stored 137,001 states against 137,318 with the CPUs alone, at twice the
// canonicalization cost per state (measured before FL cleared the flush's dead mask copy and trim
// flag; the CPUs alone now store 109,084).
import type { Flags, Params, SymmetrySpec } from '../../src/lang/model.ts';

export function lazyTlbSymmetry(p: Params, f: Flags): SymmetrySpec[] {
  // CPUs the permutations may move: all but the boot CPU with hotplug
  const movable = f.hotplug === false ? p.cpus : p.cpus - 1;
  const inOrderOk = p.cpus <= 2 || f.anyOrderTargets === true;
  if (inOrderOk && movable >= 2) return [{ of: 'cpu', ...(f.hotplug === false ? {} : { fixed: [0] }) }];
  // with temporaryMm the last mm is the temporary (notrack) mm: not interchangeable with the user mms
  return [{ of: 'mm', ...(f.temporaryMm ? { fixed: [p.mms - 1] } : {}) }];
}
