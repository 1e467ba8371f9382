// v4.20-v6.13 (shape D): flush_tlb_range passed freed_tables = false, so lazy CPUs were skipped when khugepaged freed a table (TLB-4)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v6.13',
  description:
    "v4.20-v6.13 (shape D): flush_tlb_range passed freed_tables = false, so lazy CPUs were skipped when khugepaged freed a table (TLB-4)",
  flags: { lazyDesign: 'D', flushRangeFreedTables: false, warm: 'lazyOnA' },
  violates: ['P3'],
});
