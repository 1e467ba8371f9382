// v5.10 (shape D) with d53c3dfb23c4: exec_mmap reads and replaces active_mm with IRQs off
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v5.10',
  description:
    "v5.10 (shape D) with d53c3dfb23c4: exec_mmap reads and replaces active_mm with IRQs off",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'D', flushRangeFreedTables: false, execIrqsOff: true, exec: true, exitMm: false, warm: 'execKthread' },
  params: { cpus: 1, mms: 3, asids: 1 },
  violates: [],
});
