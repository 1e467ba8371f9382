// MB-4 (docs/models/bugs.md; fixed by 618758ed3a4f, raised in review by Boqun Feng): kthread_use_mm and
// kthread_unuse_mm did not call membarrier_update_current_mm, so rq->membarrier_state kept
// describing the mm of the task that ran before the kthread.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'mb4-kthread-use-mm-no-rq-update',
  description: 'v5.4–v5.9 kthread_use_mm / kthread_unuse_mm without membarrier_update_current_mm (before 618758ed3a4f)',
  flags: { kthreadUseMmUpdatesRqState: false },
  violates: ['MBP-1', 'MBP-2'],
});
