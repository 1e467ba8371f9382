// RFC (Nicholas Piggin, July 2020), "[RFC PATCH 3/7] mm: introduce exit_lazy_tlb" and
// "[RFC PATCH 4/7] x86: use exit_lazy_tlb rather than membarrier_mm_sync_core_before_usermode",
// applied to the mainline model:
//
//   context_switch():              switch_mm_irqs_off(prev->active_mm, next->mm, next);
//                                  if (!prev->mm) {
//                                +         exit_lazy_tlb(prev->active_mm, next);
//                                          rq->prev_mm = prev->active_mm; ...
//   finish_task_switch():        -         membarrier_mm_sync_core_before_usermode(mm);
//   kthread_use_mm():                      switch_mm_irqs_off(active_mm, mm, tsk);
//                                +         exit_lazy_tlb(active_mm, tsk);
//                                          local_irq_enable();
//
//   x86: static inline void exit_lazy_tlb(struct mm_struct *mm, struct task_struct *tsk)
//        {
//            /* Switching mm is serializing with write_cr3 */
//            if (tsk->mm != mm) return;
//            if (likely(!(atomic_read(&mm->membarrier_state) & MEMBARRIER_STATE_PRIVATE_EXPEDITED_SYNC_CORE))) return;
//            sync_core_before_usermode();
//        }
//   Other architectures get the asm-generic exit_lazy_tlb(), which does nothing.
import { defineVariant, insertAfter, remove } from '../../../src/lang/variant.ts';
import { step, type StepCtx } from '../../../src/lang/model.ts';
import { mmOf, NO_MM, PRIVATE_EXPEDITED_SYNC_CORE, readState, ser, traitsOf } from '../api.ts';

/** x86 exit_lazy_tlb(mm, tsk) on CPU c, where tsk is the CPU's current task. */
function exitLazyTlb(s: any, c: number, x: StepCtx, mm: number): void {
  const A = traitsOf(x);
  if (!A.x86Lazy) return; // asm-generic: no-op
  if (mmOf(s, s.cpu[c].curr) !== mm) return; // switching mm is serializing with write_cr3
  if (!(readState(s, x, mm) & PRIVATE_EXPEDITED_SYNC_CORE)) return;
  if (A.syncCoreBeforeUsermode) ser(x, c, A); // sync_core_before_usermode()
}

export default defineVariant({
  model: 'membarrier',
  name: 'rfc-exit-lazy-tlb',
  description: 'RFC 2020-07 (Piggin): x86 exit_lazy_tlb() in context_switch (kernel → user) and kthread_use_mm replaces membarrier_mm_sync_core_before_usermode() in finish_task_switch',
  edits: [
    insertAfter('__schedule:SCH7u', step('ELT', 'if (!prev->mm) exit_lazy_tlb(prev->active_mm, next)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (mmOf(s, me.prev) === NO_MM) exitLazyTlb(s, c, x, me.activeMm); // kernel → user
      },
    })),
    remove('finish_task_switch:SCH11a'),
    insertAfter('kthread_use_mm:KU6', step('ELT', 'exit_lazy_tlb(active_mm, tsk)', {
      do: (s, c, x) => exitLazyTlb(s, c, x, s.cpu[c].kuOld),
    })),
  ],
});
