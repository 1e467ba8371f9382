// mainline without 3ef938c35035: flush_tlb_range passes freed_tables = false, so a lazy CPU is skipped when khugepaged frees a table (TLB-4, CVE-2025-22045)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'pre-3ef938c35035',
  description:
    "mainline without 3ef938c35035: flush_tlb_range passes freed_tables = false, so a lazy CPU is skipped when khugepaged frees a table (TLB-4, CVE-2025-22045)",
  flags: { flushRangeFreedTables: false, warm: 'lazyOnA' },
  violates: ['P3'],
});
