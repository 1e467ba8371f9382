// v4.14-v4.19 (shape C, b956575bed91): lazy CPUs stay in mm_cpumask and switch to init_mm on a flush IPI (with PCID: at enter_lazy_tlb)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v4.14',
  description:
    "v4.14-v4.19 (shape C, b956575bed91): lazy CPUs stay in mm_cpumask and switch to init_mm on a flush IPI (with PCID: at enter_lazy_tlb)",
  flags: { lazyDesign: 'C', warm: 'lazyOnA' },
  violates: [],
});
