// MB-3 (docs/models/bugs.md; fixed by 618758ed3a4f "sched: membarrier: cover kthread_use_mm (v4)", v5.10):
// GLOBAL_EXPEDITED skipped every PF_KTHREAD task, including a kthread inside kthread_use_mm of a
// registered mm.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'mb3-global-skips-pf-kthread',
  description: 'v5.4–v5.9 GLOBAL_EXPEDITED filter: if (p->flags & PF_KTHREAD) continue (before 618758ed3a4f)',
  flags: { globalSkipsPfKthread: true },
  violates: ['MBP-2'],
});
