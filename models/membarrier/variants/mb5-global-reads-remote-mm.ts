// MB-5 (docs/models/bugs.md; fixed by 227a4aadc75b "sched/membarrier: Fix p->mm->membarrier_state racy load",
// v5.4): GLOBAL_EXPEDITED read p->mm->membarrier_state of the task running on each remote CPU; that
// task can exit and its mm be freed between the p->mm load and the state load.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'mb5-global-reads-remote-mm',
  description: 'v4.16–v5.3 GLOBAL_EXPEDITED filter on p->mm->membarrier_state, no rq copy (before 227a4aadc75b)',
  flags: { globalSource: 'remoteMm' },
  violates: ['MBP-5'],
});
