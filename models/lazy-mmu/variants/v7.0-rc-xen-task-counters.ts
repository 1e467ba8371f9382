// LMMU-3 (docs/models/bugs.md): 291b3abed657 "x86/xen: use lazy_mmu_state when context-switching" (v7.0-rc):
// xen_end_context_switch(next) re-arms lazy MMU mode from next's counters. A task preempted between
// E2 (enable_count 0 → 1) and E3 (arch_enter) is re-armed at switch-in, and E3 then enters a second
// time: BUG_ON(xen_lazy_mode != XEN_LAZY_NONE). Mirror: preempted between D2 and D3. The fix is under
// discussion (revert to TIF_LAZY_MMU_UPDATES, or idempotent Xen enter/leave).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'v7.0-rc-xen-task-counters',
  description: 'v7.0-rc: generic layer, Xen PV re-arms from __task_lazy_mmu_mode_active(next) (291b3abed657)',
  flags: { arch: 'xen', layer: 'generic', xenSwitchRearm: 'taskCounters' },
  violates: ['L1'],
});
