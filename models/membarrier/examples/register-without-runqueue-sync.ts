// A patch to kernel/sched/membarrier.c written as a variant with the model's API: the registration
// no longer calls sync_runqueues_membarrier_state(), so a CPU already running a thread of the mm keeps
// a stale rq->membarrier_state, and the GLOBAL_EXPEDITED that follows skips it (MBP-2):
//
//    static int membarrier_register_global_expedited(void)
//    {
//            ...
//            atomic_or(MEMBARRIER_STATE_GLOBAL_EXPEDITED, &mm->membarrier_state);
//    -       ret = sync_runqueues_membarrier_state(mm);
//    -       if (ret)
//    -               return ret;
//    +       smp_mb();
//            atomic_or(MEMBARRIER_STATE_GLOBAL_EXPEDITED_READY, &mm->membarrier_state);
//
// Checked with two calls on an unregistered mm (register, then the command), no kthread, no exit:
// MBP-1 after 5 steps (rq->membarrier_state is stale once the registration returns), and with
// --property MBP-2 the missed IPI after 29 steps; the same scope without the patch is ok (300,826 states):
//   lazytlb check membarrier --variant models/membarrier/examples/register-without-runqueue-sync.ts
import { step } from '../../../src/lang/model.ts';
import { defineVariant, remove, replace } from '../../../src/lang/variant.ts';
import { mb } from '../api.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'register-without-runqueue-sync',
  description: 'patch: membarrier_register_*_expedited without sync_runqueues_membarrier_state() (a full barrier in its place)',
  params: { calls: 2, registered: 0, rseq: 0, kthread: 0, otherExits: 0 },
  flags: { switchMmSameMmShortcut: false },
  edits: [
    // The steps of sync_runqueues_membarrier_state go (a jump target goes after the step jumping to it).
    replace('membarrier_register:RG3', step('RG3', 'smp_mb() (sync_runqueues_membarrier_state() removed)', { jumps: [], do: (s, c, x) => mb(x, c) })),
    remove('membarrier_register:RG5'),
    remove('membarrier_register:RG6b'),
    remove('membarrier_register:RG6a'),
    remove('membarrier_register:RG7'),
    remove('membarrier_register:RG7l'),
    remove('membarrier_register:RG7w'),
  ],
  violates: ['MBP-1', 'MBP-2'],
});
