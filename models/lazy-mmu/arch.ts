// The arch backends of lazy_mmu (docs/models/lazy-mmu.md section 4), as the effects of one step each: the hooks
// run with preemption disabled around their per-CPU accesses (Xen leave/flush, powerpc/sparc all of
// the section), so each hook is atomic with respect to preemption and migration.
// Events: ArchEnter / ArchLeave (owner, was lazy, nesting tolerated by this kernel: no check there) for L1,
// BatchAdd (cpu, task, previous owner) for L5.
import { step, type StepCtx } from '../../src/lang/model.ts';
import { ids, noTask, taskActive } from './state.ts';

const X = ids.xen;

export interface LazyFlags {
  arch: string;
  layer: string;
  xenNestingCounter: boolean;
  arm64NestedEnter: string;
  xenSwitchRearm: string;
  nestedSections: boolean;
  sleepingCallback: boolean;
}

/** enter_lazy(mode) (arch/x86/xen/enlighten_pv.c); with xen_lazy_nesting (49147beb0ccb) the same mode nests. */
export function xenEnterLazy(s: any, c: number, mode: number, x: StepCtx, f: LazyFlags): void {
  const me = s.cpu[c];
  if (f.xenNestingCounter && me.xenMode === mode) {
    me.xenNesting = me.xenNesting + 1;
    x.emit('ArchEnter', c, 1, 1);
    return;
  }
  x.emit('ArchEnter', c, me.xenMode !== X.NONE ? 1 : 0, 0); // BUG_ON(old_mode != XEN_LAZY_NONE)
  me.xenMode = mode;
}

/** xen_leave_lazy(mode): BUG_ON(xen_lazy_mode != mode); the nesting counter unwinds one level only. */
export function xenLeaveLazy(s: any, c: number, mode: number, x: StepCtx): void {
  const me = s.cpu[c];
  x.emit('ArchLeave', c, me.xenMode === mode ? 1 : 0, 0);
  if (me.xenNesting > 0) me.xenNesting = me.xenNesting - 1;
  else me.xenMode = X.NONE;
}

/** xen_mc_flush(): issue this CPU's multicall batch (one hypercall, in order). */
export function xenMcFlush(s: any, c: number): void {
  s.cpu[c].mcCount = 0;
  s.cpu[c].mcOwner = noTask(s);
}

function batchFlush(s: any, me: any): void {
  me.batchN = 0;
  me.batchOwner = noTask(s);
}

/** arch_enter_lazy_mmu_mode() for task t on CPU c. */
export function archEnter(s: any, c: number, t: number, x: StepCtx, f: LazyFlags): void {
  const me = s.cpu[c];
  const tk = s.task[t];
  switch (f.arch) {
    case 'xen':
      return xenEnterLazy(s, c, X.MMU, x, f);
    case 'arm64':
      // 5fdd05efa1cd warned on a nested enter; 1ef3095b1405 tolerates it (direct-hook layer only).
      x.emit('ArchEnter', t, tk.tifLazy ? 1 : 0, f.layer === 'directHooks' && f.arm64NestedEnter === 'tolerate' ? 1 : 0);
      tk.tifLazy = true;
      return;
    default:
      // powerpc hash / sparc64: preempt_disable(); batch->active = 1. Neither checks the old value
      // (arch_enter_lazy_mmu_mode in arch/sparc/mm/tlb.c and book3s/64/tlbflush-hash.h): a nested
      // enter re-arms the batch, no BUG_ON or warning.
      tk.preemptCount = tk.preemptCount + 1;
      x.emit('ArchEnter', c, me.batchActive ? 1 : 0, 1);
      me.batchActive = true;
  }
}

/** arch_leave_lazy_mmu_mode(). */
export function archLeave(s: any, c: number, t: number, x: StepCtx, f: LazyFlags): void {
  const me = s.cpu[c];
  const tk = s.task[t];
  switch (f.arch) {
    case 'xen':
      // preempt_disable(); xen_mc_flush(); xen_leave_lazy(XEN_LAZY_MMU); preempt_enable()
      xenMcFlush(s, c);
      return xenLeaveLazy(s, c, X.MMU, x);
    case 'arm64':
      // = arch_flush (emit the pending barriers); then clear TIF_LAZY_MMU.
      tk.tifPending = false;
      x.emit('ArchLeave', t, tk.tifLazy ? 1 : 0, f.layer === 'directHooks' && f.arm64NestedEnter === 'tolerate' ? 1 : 0);
      tk.tifLazy = false;
      return;
    default:
      // if (batch->index) __flush_tlb_pending(batch); batch->active = 0; preempt_enable(): no check
      // of batch->active either, so an inner leave ends the batching early (later updates of the
      // outer section are issued at once) and the outer leave finds it off
      batchFlush(s, me);
      x.emit('ArchLeave', c, me.batchActive ? 1 : 0, 1);
      me.batchActive = false;
      tk.preemptCount = tk.preemptCount - 1;
  }
}

/** arch_flush_lazy_mmu_mode(). */
export function archFlush(s: any, c: number, t: number, f: LazyFlags): void {
  switch (f.arch) {
    case 'xen':
      if (s.cpu[c].xenMode === X.MMU) xenMcFlush(s, c);
      return;
    case 'arm64':
      s.task[t].tifPending = false; // test_and_clear(TIF_LAZY_MMU_PENDING) → emit_pte_barriers()
      return;
    default:
      batchFlush(s, s.cpu[c]);
  }
}

/** Whether a PTE update of task t on CPU c is deferred by the arch (it is never in interrupt context). */
function deferred(s: any, c: number, t: number, f: LazyFlags): boolean {
  switch (f.arch) {
    case 'xen':
      return s.cpu[c].xenMode === X.MMU; // xen_mc_issue(XEN_LAZY_MMU) leaves it queued
    case 'arm64':
      return f.layer === 'generic' ? taskActive(s.task[t]) : s.task[t].tifLazy; // queue_pte_barriers()
    default:
      return s.cpu[c].batchActive; // hpte_need_flush() / tlb_batch_add()
  }
}

/** A kernel PTE update by task t on CPU c: queued in the arch batch or effective at once. */
export function setPte(s: any, c: number, t: number, x: StepCtx, f: LazyFlags): void {
  if (!deferred(s, c, t, f)) return; // issued now: hypercall, dsb(ishst); isb, or flush_hash_page
  const me = s.cpu[c];
  switch (f.arch) {
    case 'xen':
      x.emit('BatchAdd', c, t, me.mcOwner);
      me.mcCount = me.mcCount + 1;
      me.mcOwner = t;
      return;
    case 'arm64':
      s.task[t].tifPending = true;
      return;
    default:
      x.emit('BatchAdd', c, t, me.batchOwner);
      me.batchN = me.batchN + 1;
      me.batchOwner = t;
  }
}

/** The one-step arch hook procedures' steps, run by the task on the CPU it is on. */
export const archSteps = (f: LazyFlags, on: (s: any, t: number) => number) => ({
  enter: step<any>('AE', 'arch_enter_lazy_mmu_mode()', { do: (s, t, x) => archEnter(s, on(s, t), t, x, f) }),
  leave: step<any>('AL', 'arch_leave_lazy_mmu_mode()', { do: (s, t, x) => archLeave(s, on(s, t), t, x, f) }),
  flush: step<any>('AF', 'arch_flush_lazy_mmu_mode()', { do: (s, t) => archFlush(s, on(s, t), t, f) }),
});
