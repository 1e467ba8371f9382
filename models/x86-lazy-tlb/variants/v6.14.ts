// v6.14 (shape E, 209954cbc7d0 + 6db2526c1d69): lazy mm_cpumask and should_flush_tlb without the LOADED_MM_SWITCHING test (TLB-5) and flush_tlb_range without freed_tables (TLB-4)
// Table frees as on bare metal: pte_free_defer (RCU) for khugepaged, tlb_remove_page for mmu_gather.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v6.14',
  description:
    "v6.14 (shape E, 209954cbc7d0 + 6db2526c1d69): lazy mm_cpumask and should_flush_tlb without the LOADED_MM_SWITCHING test (TLB-5) and flush_tlb_range without freed_tables (TLB-4)",
  flags: { tableFree: 'immediate', lazyDesign: 'E', shouldFlushChecksSwitching: false, fenceWhenMaskBitSet: false, flushRangeFreedTables: false, warm: 'userAcachedB' },
  violates: ['P1', 'P2', 'P3'],
});
