// v4.20-v5.9 (shape D): exec_mmap read active_mm before its IRQs-off region (TLB-3, fixed by d53c3dfb23c4)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v5.9',
  description:
    "v4.20-v5.9 (shape D): exec_mmap read active_mm before its IRQs-off region (TLB-3, fixed by d53c3dfb23c4)",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'D', flushRangeFreedTables: false, execIrqsOff: false, exec: true, exitMm: false, warm: 'execKthread' },
  params: { cpus: 1, mms: 3, asids: 1 },
  // P5 (TLB-3) at one CPU; from two CPUs with page-table changes, also P3: these kernels still
  // have TLB-4 (flush_tlb_range without freed_tables, v4.20 until 3ef938c35035)
  violates: ['P5', 'P3'],
});
