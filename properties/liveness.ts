// Liveness properties of every model: "whenever X starts, X completes", for the waits a patch can turn
// into a hang. Each is checked after a complete search as the absence of a weakly fair cycle on which
// X stays open (src/engine/liveness.ts); `--no-liveness` skips them with the stuck-actor check.
import { property } from '../src/lang/property.ts';

export default [
  property({
    name: 'FLUSH-RETURNS',
    statement: 'Every flush_tlb_mm_range() returns: the initiator does not wait in csd_lock_wait forever for the flush IPIs of its targets.',
    ref: 'docs/steps/x86-lazy-tlb.md (flush_tlb_mm_range:F5, SF1, SF2, FL, F7); flush_tlb_mm_range -> native_flush_tlb_multi -> smp_call_function_many_cond (csd_lock_wait)',
    models: ['x86-lazy-tlb', 'xen-pv'],
    kind: 'liveness',
    completes: { procedure: 'flush_tlb_mm_range' },
  }),
  property({
    name: 'EXIT-MMAP-RETURNS',
    statement: 'Every exit_mmap() returns: under Xen PV, xen_exit_mmap does not wait forever for drop_mm_ref_this_cpu on the CPUs that still hold the mm.',
    ref: 'docs/steps/xen-pv.md; xen_exit_mmap -> xen_drop_mm_ref -> smp_call_function_many(drop_mm_ref_this_cpu, wait=1)',
    models: ['x86-lazy-tlb', 'xen-pv'],
    kind: 'liveness',
    completes: { procedure: 'exit_mmap' },
  }),
  property({
    name: 'MEMBARRIER-RETURNS',
    statement: 'Every membarrier() call returns: its IPI wait (smp_call_function_many / smp_call_function_single with wait=1) and its synchronize_rcu() end.',
    ref: 'docs/steps/membarrier.md; membarrier_private_expedited, membarrier_global_expedited, synchronize_rcu in MEMBARRIER_CMD_GLOBAL',
    models: ['membarrier'],
    // The model reports a CPU's quiescent state (rcu_qs) only while the CPU is idle; the kernel's
    // __schedule() also reports one (rcu_note_context_switch). A CPU that keeps scheduling is idle only
    // now and then, so under weak fairness MEMBARRIER_CMD_GLOBAL's synchronize_rcu() (GL2) never ends.
    // With that quiescent state modeled too, weak fairness still finds cycles of the model: a CPU that
    // keeps scheduling has IRQs on only between two switches, so a queued membarrier csd is never
    // forced (P6w; the hardware takes a pending interrupt at local_irq_enable), and a kthread that
    // loops kthread_use_mm / kthread_unuse_mm without sleeping passes no quiescent state (the kernel's
    // scheduler tick reports one, rcu_sched_clock_irq). Both need a fairness the checker does not have.
    onRequest: 'under weak fairness an interrupt or quiescent state enabled only now and then is never forced: a CPU that keeps scheduling starves synchronize_rcu (the model has rcu_qs only when idle; the kernel reports one in __schedule too) and its pending membarrier IPI (taken by the hardware at local_irq_enable), a kthread looping in kthread_use_mm starves the grace period (the tick reports its quiescent state): fair cycles of the model, not of the kernel',
    kind: 'liveness',
    completes: { busy: 'the membarrier call' },
  }),
  property({
    name: 'KTHREAD-USE-MM-RETURNS',
    statement: 'Every kthread_use_mm() returns.',
    ref: 'docs/steps/membarrier.md; kthread_use_mm (task_lock, switch_mm_irqs_off, membarrier_update_current_mm)',
    models: ['membarrier'],
    kind: 'liveness',
    completes: { procedure: 'kthread_use_mm' },
  }),
  property({
    name: 'GP-ENDS',
    statement: 'Every RCU grace period that starts ends: each CPU it waits for reports a quiescent state (or is seen idle, in user mode or offline by the watching counter).',
    ref: 'docs/steps/context-tracking.md; rcu_gp_kthread, rcu_gp_fqs (rcu_watching snapshots), rcu_report_qs_rnp, rcu_gp_cleanup',
    models: ['context-tracking'],
    // The model's RCU watching counter has 4 values: it wraps back to the GP kthread's snapshot, so
    // rcu_watching_snap_recheck (GP3) is enabled only now and then on a cycle of syscalls, and weak
    // fairness does not force it; the kernel's counter does not wrap within a grace period.
    onRequest: 'under weak fairness the 4-valued watching counter wraps to the snapshot (GP3 is enabled only now and then): a fair cycle of the abstraction, not of the kernel',
    kind: 'liveness',
    completes: { busy: 'the grace period' },
  }),
  property({
    name: 'flush-returns',
    statement: 'Every flush returns: each flush IPI it sent is taken.',
    ref: 'docs/steps/shootdown.md (the flush, abstracted from the x86 flush_tlb_mm_range and flush_tlb_func)',
    models: ['shootdown'],
    kind: 'liveness',
    completes: { busy: 'the flush' },
  }),
];
