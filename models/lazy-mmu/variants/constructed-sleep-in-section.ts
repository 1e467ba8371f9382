// Constructed variant (not a historical kernel; the bug catalog has no L8 entry): generic code that
// sleeps inside a lazy MMU section — an apply_to_page_range() callback that allocates with
// GFP_KERNEL (or takes a mutex) between lazy_mmu_mode_enable() and lazy_mmu_mode_disable() — on
// powerpc hash, whose arch_enter_lazy_mmu_mode() disabled preemption for the per-CPU TLB batch.
// schedule() runs with preempt_count > 0 ("scheduling while atomic"), and the next task on this CPU
// would find the batch armed by the sleeper. docs/models/lazy-mmu.md section 3: "Generic code must not sleep
// inside a section; an architecture may" (arm64, whose lazy state is per task).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'constructed-sleep-in-section',
  description: 'constructed (not a historical kernel): powerpc hash, generic code sleeps inside a lazy MMU section (GFP_KERNEL allocation in an apply_to_page_range callback)',
  flags: { arch: 'powerpc', sleepingCallback: true },
  violates: ['L8'],
});
