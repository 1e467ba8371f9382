// v4.14-v4.19 (shape C, b956575bed91) on bare metal: lazy CPUs stay in mm_cpumask and switch to
// init_mm on a flush IPI (fixes TLB-2). The switch clears prev's mm_cpumask bit before the CR3 write
// ("Stop remote flushes for the previous mm"), which reopens the TLB-1 window: a flush of prev that
// runs in the window does not IPI this CPU, and its table page is freed at once — khugepaged's
// retract_page_tables does pte_free() right after pmdp_collapse_flush() in every configuration, and
// on bare metal mmu_gather frees tables with tlb_remove_page() after the flush (RCU-deferred freeing,
// 9e52fc2b50de, served only CONFIG_PARAVIRT builds and from 48a8b97cfd80 on only paravirt guests).
// A real window of the TLB-1 class (P3), closed in v6.14 by 209954cbc7d0 (no clear in the switch)
// and, for the free itself, by pte_free_defer (v6.5) and a37259732a7d (v6.15).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v4.14',
  description:
    "v4.14-v4.19 (shape C, b956575bed91), bare metal: lazy CPUs stay in mm_cpumask and switch to init_mm on a flush IPI (fixes TLB-2); the switch clears prev's bit before the CR3 write and khugepaged frees the retracted table at once (pte_free), which reopens the TLB-1 window (P3, a finding of this model)",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'C', warm: 'lazyOnA' },
  violates: ['P3'],
});
