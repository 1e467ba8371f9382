// The procedures of the lazy-TLB model, built from the configuration: the building blocks the Xen PV
// model reuses (it replaces the CR3 write and adds its own procedures by step label).
import type { ProcedureDef } from '../../src/lang/model.ts';
import type { Env } from './env.ts';
import { archTlbbatchFlush, changePtes, flushIpi, flushTlbFunc, flushTlbMmRange, kthreadInitiators } from './flush.ts';
import { hardware } from './hw.ts';
import { cpuDown, doShootLazyTlb, execMmap, exitMm, kthreadUseMm, mmdrop } from './lifetime.ts';
import { rcuQuiescentStates, rcuTableFree } from './rcu.ts';
import { contextSwitch, preemptSchedule } from './sched.ts';
import { switchMmIrqsOff } from './switch.ts';
import { temporaryMm } from './temporary.ts';

export function lazyTlbProcedures(e: Env): ProcedureDef<any>[] {
  const { f } = e;
  return [
    contextSwitch(e),
    switchMmIrqsOff(e),
    changePtes(e),
    ...(f.kthreadFlush ? kthreadInitiators(e) : []),
    flushTlbMmRange(e),
    ...(f.batchedFlush || f.kthreadFlush ? [archTlbbatchFlush(e)] : []),
    flushTlbFunc(e),
    flushIpi(e),
    mmdrop(e),
    ...(f.lazyRefs === 'shootdown' ? doShootLazyTlb(e) : []),
    ...(f.exitMm ? exitMm(e) : []),
    ...(f.exec ? [execMmap(e), ...preemptSchedule()] : []),
    ...(f.kthreadUseMm ? kthreadUseMm(e) : []),
    ...(f.hotplug ? [cpuDown(e)] : []),
    ...(f.temporaryMm ? [temporaryMm(e)] : []),
    ...(rcuTableFree(e) ? [rcuQuiescentStates(e)] : []),
    ...hardware(e),
  ];
}
