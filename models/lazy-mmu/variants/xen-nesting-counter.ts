// LMMU-1 (docs/models/bugs.md): 49147beb0ccb "x86/xen: allow nesting of same lazy mode" (2023) added a per-CPU
// xen_lazy_nesting counter so a nested arch_enter_lazy_mmu_mode() succeeds. At a context switch
// xen_start_context_switch() leaves the mode with a single arch_leave_lazy_mmu_mode(), which in a
// nested section only unwinds one level; enter_lazy(XEN_LAZY_CPU) then hits BUG_ON(mode != NONE).
// Reverted by c36549ff8d84 (v6.15).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'xen-nesting-counter',
  description: 'Xen PV 2023 – v6.14: direct arch hooks with the per-CPU xen_lazy_nesting counter (49147beb0ccb)',
  flags: { arch: 'xen', layer: 'directHooks', xenNestingCounter: true },
  violates: ['L1'],
});
