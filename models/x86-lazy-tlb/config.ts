// Parameters, flags and events of the lazy-TLB model: each historical fix and design generation is a flag. The
// defaults are the mainline kernel at the default scope; the expensive parts are switchable.
import type { FlagSpec, ParamSpec } from '../../src/lang/model.ts';
import { warmStarts } from './warm.ts';

export const lazyTlbParams = {
  cpus: { default: 2, min: 1, max: 4, doc: 'CPUs' },
  mms: { default: 2, min: 1, max: 3, doc: 'user mms (plus init_mm); with exec the last one is the new mm' },
  gens: { default: 2, min: 1, max: 4, doc: 'bound on tlb_gen and page-table versions (PTE-change actions)' },
  asids: { default: 2, min: 1, max: 3, doc: 'ASID slots per CPU (1 = no PCID: every CR3 write flushes)' },
  changes: { default: 1, min: 0, max: 6, doc: 'scope: page-table changes (each followed by a flush) over all mms' },
  exits: { default: 1, min: 0, max: 4, doc: 'scope: task exits (exit_mm -> mmput) over all mms' },
  switches: { default: 2, min: 0, max: 8, doc: 'scope: context switches per CPU (each run explores every interleaving of at most this many)' },
  pages: { default: 1, min: 1, max: 2, doc: 'user pages per mm (2 = partial range flushes)' },
} satisfies Record<string, ParamSpec>;

export const lazyTlbFlags = {
  lazyDesign: { default: 'mainline', values: ['A', 'B', 'C', 'D', 'E', 'mainline'], doc: 'shape of switch / lazy mode / flush handler: A v2.6.24-v4.12, B v4.13, C v4.14-v4.19, D v4.20-v6.13, E v6.14 (docs/steps/x86-lazy-tlb.md)' },
  shapeA_clearPrevAfterCR3: { default: true, doc: 'shape A: clear prev\'s mm_cpumask bit after the CR3 write (831d52bc1539, TLB-1)' },
  shapeA_leaveMmKeepsLazy: { default: false, doc: "shape A: the flush IPI's leave_mm clears the CPU's bit in mm_cpumask(active_mm) and loads swapper_pg_dir, keeping cpu_tlbstate.active_mm and TLBSTATE_LAZY (v2.6.24-v4.12), so the return to the same mm takes switch_mm's reload branch; false: it switches to init_mm (the v4.13+ leave_mm)" },
  shouldFlushChecksSwitching: { default: true, doc: 'should_flush_tlb targets a CPU whose loaded_mm is LOADED_MM_SWITCHING (fea4e317f9e7, TLB-5)' },
  fenceWhenMaskBitSet: { default: true, doc: 'SW3c: smp_mb() when the mm_cpumask bit is already set (83b0177a6c48, v6.18-rc2)' },
  flushRangeFreedTables: { default: true, doc: 'flush_tlb_range passes freed_tables = true (3ef938c35035, TLB-4)' },
  kthreadUseMmIrqsOff: { default: true, doc: 'kthread_use_mm sets tsk->active_mm and tsk->mm and calls switch_mm_irqs_off in one IRQs-off region (38cf307c1f20, v5.9); false: IRQs stay on until switch_mm() saves and disables them around the switch (use_mm / kthread_use_mm before v5.9)' },
  execIrqsOff: { default: true, doc: 'exec_mmap reads and replaces active_mm with IRQs off (d53c3dfb23c4, TLB-3)' },
  tableFree: { default: 'rcu', values: ['rcu', 'immediate'], doc: "mmu_gather table frees (exit_mmap: free_pgtables -> tlb_remove_table): after an RCU grace period (MMU_GATHER_RCU_TABLE_FREE: every x86 since a37259732a7d, v6.15; before, only paravirt guests with a hypervisor TLB flush, 9e52fc2b50de / 48a8b97cfd80) or right after the flush (tlb_remove_page: bare metal up to v6.14, every x86 before v4.14)" },
  collapseTableFree: { default: 'rcu', values: ['rcu', 'immediate'], doc: "khugepaged's retracted PTE table: pte_free_defer after an RCU grace period (v6.5+) or pte_free right after pmdp_collapse_flush (up to v6.4)" },
  lazyRefs: { default: 'refcount', values: ['refcount', 'shootdown'], doc: 'lazy mm references: REFCOUNT (x86) or SHOOTDOWN (powerpc radix, v6.2+; on this x86 skeleton it breaks P6, see doShootLazyTlb)' },
  nmiChecksLazy: { default: false, doc: 'candidate fix, in no kernel: nmi_uaccess_okay() also returns false while cpu_tlbstate_shared.is_lazy is set, closing the window between enter_lazy_tlb and switch_to (property P1n)' },
  trimCpumask: { default: true, doc: 'should_trim_cpumask is a nondeterministic choice per flush (v6.14+)' },
  batchedFlush: { default: false, doc: 'model reclaim flushes: arch_tlbbatch_add_pending / arch_tlbbatch_flush', scope: true },
  kthreadFlush: { default: false, doc: 'model kernel threads that flush a user mm from a lazy or init_mm context: khugepaged (collapse_pte_mapped_thp -> pmdp_collapse_flush -> flush_tlb_range) and kswapd (try_to_unmap_one -> arch_tlbbatch_add_pending, try_to_unmap_flush -> arch_tlbbatch_flush)', scope: true },
  exitMm: { default: true, doc: 'model exit_mm -> mmput -> exit_mmap -> mmdrop', scope: true },
  exec: { default: false, doc: 'model exec_mmap by a kernel thread, with preemption before its IRQs-off region (needs a spare mm)', scope: true },
  kthreadUseMm: { default: false, doc: 'model kthread_use_mm / kthread_unuse_mm', scope: true },
  kthreadUseMmPreempt: { default: false, doc: 'with kthreadUseMm: the kthread may be preempted between kthread_use_mm and kthread_unuse_mm and switched back in like a user task', scope: true },
  temporaryMm: { default: false, doc: 'model use_temporary_mm / unuse_temporary_mm (text_poke, EFI runtime calls) on a notrack mm: the last mm is text_poke_mm / efi_mm (set_notrack_mm), with no tasks (use --param mms=3 for two user mms)', scope: true },
  hotplug: { default: false, doc: 'model CPU offlining (sched_force_init_mm, __cpu_disable, finish_cpu)', scope: true },
  hotplugForceInitMm: { default: true, doc: 'hotplug: the dying CPU drops its lazy mm at sched_cpu_wait_empty while still online (sched_force_init_mm, 2024); false: idle_task_exit switches mm after __cpu_disable and finish_cpu replaces the idle task\'s active_mm' },
  fills: { default: 'eager', values: ['eager', 'any'], doc: 'TLB/PSC fills: at every CR3 load and flush (eager), or as a nondeterministic hardware step at any time (any)', scope: true },
  anyOrderTargets: { default: false, doc: "over-approximation: smp_call_function_many_cond visits the snapshot's targets in any order, not in CPU order (SF1 chooses among the targets not yet visited); every kernel execution is one of these, so ok holds for the kernel, and the CPUs become interchangeable (symmetry reduction with 3 or 4 CPUs); a violation is confirmed on the exact model", scope: true, abstraction: true },
  warm: { default: 'cold', values: [...warmStarts], doc: 'initial state: cold (idle CPUs) or a warm pre-state a few steps before a catalogued race (TLB-1 ... TLB-5, XEN-1; warm.ts)', scope: true },
} satisfies Record<string, FlagSpec>;

export const lazyTlbEvents = {
  FlushStart: ['cpu', 'mm', 'page'],
  FlushSkip: ['initiator', 'cpu', 'mm'],
  FlushDone: ['cpu', 'mm'],
  TlbGenInc: ['cpu', 'mm', 'page'],
  Flushed: ['cpu', 'mm'],
  Cr3Write: ['cpu', 'mm', 'flush'],
  UserAccess: ['cpu', 'mm', 'page'],
  NmiUaccess: ['cpu', 'mm'],
  ReturnToUser: ['cpu', 'mm'],
  TableFree: ['cpu', 'mm'],
  MmDrop: ['cpu', 'mm'],
  FinalDrop: ['cpu', 'mm'],
  CleanupDone: ['cpu', 'mm'],
  PgdFree: ['cpu', 'mm'],
  Assert: ['cpu', 'kind'],
} as const;

/**
 * The deep named scopes of both lazy-TLB models (x86-lazy-tlb, xen-pv; `cpu` names their CPUs): more
 * switches or more CPUs than `wide`, under anyOrderTargets, the over-approximation that makes the CPUs
 * interchangeable (symmetry.ts) so that symmetry reduction over the CPUs applies; a violation found
 * under it is confirmed on the exact model by the check pipeline.
 */
export function deepScopes(cpu: string) {
  return {
    deep: {
      doc: `3 ${cpu}, two context switches each, 3 generations, 2 page-table changes; targets in any order (symmetry over the ${cpu})`,
      params: { cpus: 3, switches: 2, gens: 3, changes: 2 },
      flags: { anyOrderTargets: true },
    },
    'deep-4cpus': {
      doc: `4 ${cpu}, one context switch each, 3 generations, 2 page-table changes; targets in any order (symmetry over the ${cpu})`,
      params: { cpus: 4, switches: 1, gens: 3, changes: 2 },
      flags: { anyOrderTargets: true },
    },
  };
}
