// mm reference counting and the mm->membarrier_state reads, as the model's steps use them
// (docs/models/lazy-tlb.md 7.1, REFCOUNT scheme). M, the caller's mm, outlives every run (its threads never
// exit), so only the counts of N and E are tracked; the barrier a refcount RMW implies is emitted by
// the step that performs it.
import type { StepCtx } from '../../src/lang/model.ts';
import { M, NO_MM } from './defs.ts';

/** mmgrab / mmgrab_lazy_tlb: atomic_inc(&mm->mm_count). */
export function mmgrab(s: any, m: number): void {
  if (m !== M && m < NO_MM) s.mm[m].count = s.mm[m].count + 1;
}

/** mmdrop / mmdrop_lazy_tlb(_sched): atomic_dec_and_test(&mm->mm_count), then __mmdrop (frees the mm). */
export function mmdrop(s: any, m: number): void {
  if (m === M || m >= NO_MM) return;
  s.mm[m].count = s.mm[m].count - 1;
  if (s.mm[m].count === 0) s.mm[m].freed = true;
}

/** mmput: atomic_dec_and_test(&mm->mm_users); the last user runs __mmput → exit_mmap, then mmdrop. */
export function mmput(s: any, m: number): void {
  if (m === M || m === NO_MM) return;
  s.mm[m].users = s.mm[m].users - 1;
  if (s.mm[m].users === 0) mmdrop(s, m);
}

/** atomic_read(&mm->membarrier_state): a dereference of mm, which MBP-5 requires to be alive. */
export function readState(s: any, x: StepCtx, m: number): number {
  x.emit('MmStateRead', m);
  return s.mm[m].state;
}
