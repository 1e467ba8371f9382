// State of the lazy-TLB model (the kernel fields it mirrors: struct tlb_state and tlb_state_shared in arch/x86/include/asm/tlbflush.h, mm_context_t, struct mm_struct): per-CPU `cpu_tlbstate`, the running task and
// the runqueue, the hardware (CR3, TLB and paging-structure caches per PCID), the flush_tlb_info of
// the CPU as initiator, per-mm `mm_struct` fields, the arguments a caller passes to a procedure, and
// the locals other CPUs or the properties read; the C locals of switch_mm_irqs_off and of
// use_temporary_mm's caller are per-frame locals (switchMmLocals, temporaryMmLocals).
import { bool, enumOf, int, ref, setOf } from '../../src/lang/domain.ts';
import type { Params } from '../../src/lang/model.ts';
import { arrayOf, own, perCpu, perMm, plain, published } from '../../src/lang/schema.ts';

/**
 * What happened to an mm's lower-level page-table page (one per mm):
 * linked, unlinked (PMD cleared, flush not yet returned), freed, or deferred: handed to call_rcu
 * (tlb_remove_table under MMU_GATHER_RCU_TABLE_FREE, pte_free_defer) and freed once the grace period
 * that started then has ended (mm.gp empty).
 */
export const Table = enumOf(['linked', 'unlinked', 'freed', 'deferred']);
/** mm_struct life: not yet allocated (exec's new mm), alive, pgd freed by __mmdrop. */
export const Life = enumOf(['unborn', 'live', 'dead']);

/**
 * One encoding for every mm reference: user mms 0..M-1, init_mm, LOADED_MM_SWITCHING, NULL, and the
 * pseudo-value 'kthread' (context_switch's next task is a kernel thread); see env.ts.
 */
export const mmRefDomain = (p: Params) => ref('mm', p.mms, { extra: ['init_mm', 'SWITCHING', 'NULL', 'kthread'] });
/**
 * A loaded_mm value kept in a frame's local: the same numbers (user mms, init_mm, LOADED_MM_SWITCHING;
 * loaded_mm is never NULL or 'kthread'), with one more value first, NULL (-1): what a frame holds
 * before the procedure stores the local and after the call returns. A frame that is not live then
 * names no mm, so symmetry over the user mms has nothing in it to rename.
 */
const frameMmRef = (p: Params) => ref('mm', p.mms, { nullable: true, extra: ['init_mm', 'SWITCHING'] });

/**
 * The locals of switch_mm_irqs_off (arch/x86/mm/tlb.c): `prev` (loaded_mm at entry), `prev_asid`,
 * `was_lazy`, `next_tlb_gen`, `new_asid`, `need_flush`. Per frame: each call has its own, and a
 * finished call leaves none in the state. The kernel runs the function with IRQs off
 * (`lockdep_assert_irqs_disabled()`; every caller disables them: context_switch under the rq lock,
 * flush_tlb_func in the IPI or the local call's local_irq_disable / local_irq_save), so no interrupt
 * nests a second call inside a live one; the frame is the C function's stack frame.
 */
export function switchMmLocals(p: Params) {
  return { prev: frameMmRef(p), prevAsid: int(0, p.asids - 1), wasLazy: bool(), nextTlbGen: int(0, p.gens + 1), newAsid: int(0, p.asids - 1), needFlush: bool() };
}

/**
 * The local of use_temporary_mm's caller: `prev` = use_temporary_mm()'s return value (the loaded_mm
 * to go back to), held from TM2 to TM5: `prev` in __text_poke (arch/x86/kernel/alternative.c),
 * `efi_prev_mm` in efi_enter_mm (arch/x86/platform/efi/efi_64.c, a static of the one EFI caller at a
 * time, efi_runtime_lock). Across the EFI call IRQs may be on (TM3): a flush IPI runs flush_tlb_func
 * on top of this frame.
 */
export function temporaryMmLocals(p: Params) {
  return { prev: frameMmRef(p) };
}

export function lazyTlbState(p: Params) {
  const M = p.mms;
  const N = p.cpus;
  const G = p.gens;
  const mmRef = () => mmRefDomain(p);
  const mm = mmRef;
  const mmOrNull = mmRef;
  const userMmOrNull = mmRef;
  const loaded = mmRef;
  const cpuOrNull = () => ref('cpu', N, { extra: ['none'] });
  const asid = () => int(0, p.asids - 1);
  return {
    // scope bound: page-table changes (PTE change, table unlink, reclaim) still allowed, all mms together
    changes: int(0, p.changes),
    // scope bound: task exits (exit_mm) still allowed
    exits: int(0, p.exits),
    // Fields another CPU's steps read are published (this CPU alone writes them): cpu_online_mask's
    // bit (set_cpu_online on the CPU itself, take_cpu_down), the running task (rq->curr, tsk->mm: what
    // context_switch's choice of a runnable thread and exit_mm's user count look at),
    // cpu_tlbstate.loaded_mm and cpu_tlbstate_shared.is_lazy (should_flush_tlb, SF1/SF2), the
    // initiator's flush_tlb_info (read by flush_tlb_func on every target) and the mmdrop / mmput
    // arguments that do_shoot_lazy_tlb and xen_exit_mmap's drop_mm_ref_this_cpu read. The queued
    // call_single_queue entries are shared (llist_add by the initiator, the target takes them). Every
    // `own` field is touched only by this CPU's own steps (a property may still read it; a step of
    // another CPU never does).
    cpu: perCpu(N, {
      online: published(bool()),
      // own: scope bound on this CPU's context switches, consulted only by its own __schedule (CS1)
      // and kthread_use_mm (KU1)
      switches: own(int(0, p.switches)),
      // own: local_irq_disable / local_irq_enable act on this CPU only; a flush IPI's delivery
      // (sysvec_call_function) tests the target's own flag
      irqsOn: own(bool()),
      // the running task (rq->curr): PF_KTHREAD, tsk->mm, tsk->active_mm; and rq->prev_mm
      currKthread: published(bool()),
      currMm: published(userMmOrNull()),
      activeMm: published(mmOrNull()),
      // own: rq->prev_mm is handed from context_switch to finish_task_switch on the same CPU
      prevMm: own(userMmOrNull()),
      // cpu_tlbstate / cpu_tlbstate_shared
      loadedMm: published(plain(loaded())),
      // own: cpu_tlbstate.loaded_mm_asid is read only by this CPU (switch_mm_irqs_off, flush_tlb_func)
      loadedAsid: own(asid()),
      isLazy: published(plain(bool())),
      // own: cpu_tlbstate.next_asid, the round-robin cursor of this CPU's choose_new_asid
      nextAsid: own(asid()),
      // cpu_tlbstate.ctxs[] is written only by the CPU in the kernel, but P2's monitor reads the
      // skipped CPU's ctxs[] when the initiator emits FlushSkip (in the initiator's step): published
      ctxs: arrayOf(p.asids, { ctxId: published(mmOrNull()), tlbGen: published(int(0, G + 1)) }, 'asid'),
      // hardware: CR3 (pgd, PCID), TLB entries as page-table versions (gens+2 = none), PSC holds the table page.
      // own: only this CPU's CR3 write (load_new_mm_cr3), its flush_tlb_func (INVLPG / invpcid) and its
      // MMU walk touch them; native TLB shootdowns are IPIs, never remote invalidations
      cr3Mm: own(mm()),
      cr3Asid: own(asid()),
      tlb: arrayOf(p.asids, { ver: arrayOf(p.pages, { v: own(int(0, G + 2)) }), psc: own(bool()) }, 'asid'),
      // queued flush_tlb_func calls (call_single_queue), one bit per initiating CPU
      csd: setOf('cpu', N),
      // SHOOTDOWN scheme: queued do_shoot_lazy_tlb calls, one bit per initiator
      shootCsd: setOf('cpu', N),
      // this CPU as flush initiator: its flush_tlb_info (mm, range, new_tlb_gen: read by the targets'
      // flush_tlb_func) and the loop state of native_flush_tlb_multi (own: locals of the initiator)
      fMm: published(userMmOrNull()),
      fBatch: published(bool()),
      fPage: published(int(0, p.pages)),
      // own: info->freed_tables is tested only on the initiator (should_flush_tlb's caller, FL)
      fFreed: own(bool()),
      fGen: published(int(0, G + 1)),
      // own: should_trim_cpumask()'s result, a local of flush_tlb_mm_range
      fTrim: own(bool()),
      // own: the caller's "a table page was unlinked" (freed after the flush returned)
      fUnlink: own(bool()),
      // own: smp_call_function_many_cond's copy of the mask, and its iterator (none: not iterating)
      fSnap: own(setOf('cpu', N)),
      fIter: own(cpuOrNull()),
      // own: with anyOrderTargets, the targets of the snapshot not yet visited (empty otherwise)
      fLeft: own(setOf('cpu', N)),
      // own: should_flush_tlb's local copy of the target's loaded_mm
      fLm: own(loaded()),
      // own: this CPU's arch_tlbflush_unmap_batch (current->tlb_ubc), used only by its own reclaim
      batchMask: own(setOf('cpu', N)),
      batchMm: own(userMmOrNull()),
      // own: flush_tlb_func in progress on this CPU: the initiator whose info it reads (none: not running)
      ftFrom: own(cpuOrNull()),
      // own: switch_mm_irqs_off's argument `next`, stored by the caller before the call (init_mm when
      // no call is in progress); its locals are per frame (switchMmLocals)
      swNext: own(mm()),
      // context_switch: the next task (a user task of mm, or KTHREAD) is rq->curr, read by other CPUs'
      // schedule decisions; the mm finish_task_switch drops is a local of this CPU (own)
      csNext: published(mmRef()),
      csDrop: own(userMmOrNull()),
      // own: preempt_schedule's "switch back to the preempted kthread", and its preemptible window
      csForceK: own(bool()),
      preemptible: own(bool()),
      // mmdrop argument (read by do_shoot_lazy_tlb on the CPUs it IPIs); exec_mmap and kthread_use_mm
      // locals (own: old_mm / active_mm of this CPU's task); exit_mm / mmput's mm, exec's new mm and
      // kthread_use_mm's mm (whose caller holds an mm_users reference) (counted as references by other
      // CPUs' context_switch, read by xen_exit_mmap's handler)
      mdMm: published(userMmOrNull()),
      exOld: own(mmOrNull()),
      exHolds: own(bool()),
      kuMm: published(userMmOrNull()),
      kuOld: own(mmOrNull()),
      // own: the kthread inside kthread_use_mm(kuMm) was switched out on this CPU (kthreadUseMm scope),
      // and context_switch's next is that kthread (it is switched in like a user task of kuMm)
      kuPreempted: own(bool()),
      csKu: own(bool()),
      putMm: published(userMmOrNull()),
      exNew: published(userMmOrNull()),
      // own: do_shoot_lazy_tlb in progress on this CPU: the initiator whose mm it drops
      shFrom: own(cpuOrNull()),
    }),
    mm: perMm(M, {
      life: Life,
      tlbGen: int(0, G + 1),
      ptv: arrayOf(p.pages, { v: int(0, G + 1) }),
      cpumask: setOf('cpu', N),
      table: Table,
      // set_notrack_mm(mm): a temporary mm (text_poke_mm, efi_mm; temporaryMm scope), constant in a run
      notrack: bool(),
      // the RCU grace period of the deferred table free: online CPUs that have not passed a quiescent
      // state since call_rcu (rcu.ts)
      gp: setOf('cpu', N),
      // mm_users: the threads (at most 2), kthread_use_mm callers and kernel-thread initiators (one per
      // CPU); mm_count: the users' one reference and at most two per CPU (a lazy active_mm, and
      // kthread_use_mm's mmgrab). The bounds are those of three CPUs up to three (the same layout), one
      // CPU's worth more with four
      users: int(0, 2 + Math.max(3, N)),
      count: int(0, 1 + 2 * Math.max(3, N)),
    }),
  };
}
