// v4.20-v6.13 (shape D): flush_tlb_range passed freed_tables = false, so lazy CPUs were skipped when khugepaged freed a table (TLB-4).
// The table frees as in v6.13 on bare metal: khugepaged's pte_free_defer (v6.5+; RCU: the skipped lazy
// CPU passes a quiescent state, so the grace period does not help) and mmu_gather's tlb_remove_page
// right after the flush (RCU-deferred only for paravirt guests before a37259732a7d).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v6.13',
  description:
    "v4.20-v6.13 (shape D): flush_tlb_range passed freed_tables = false, so lazy CPUs were skipped when khugepaged freed a table (TLB-4)",
  flags: { tableFree: 'immediate', lazyDesign: 'D', flushRangeFreedTables: false, warm: 'lazyOnA' },
  violates: ['P3'],
});
