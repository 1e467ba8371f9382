// v4.14-v4.19 (shape C, b956575bed91): lazy CPUs stay in mm_cpumask and switch to init_mm on a flush IPI (with PCID: at enter_lazy_tlb)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v4.14',
  description:
    "v4.14-v4.19 (shape C, b956575bed91): lazy CPUs stay in mm_cpumask and switch to init_mm on a flush IPI (fixes TLB-2); the switch clears prev's bit before the CR3 write again, which reopens the TLB-1 window (P3, a finding of this model)",
  flags: { lazyDesign: 'C', warm: 'lazyOnA' },
  violates: ['P3'],
});
