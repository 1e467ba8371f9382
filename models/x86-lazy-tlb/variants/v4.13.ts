// v4.13 (shape B, 94b1b03b519b): a CPU entering lazy mode leaves mm_cpumask and keeps CR3 (TLB-2, fixed by b956575bed91)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v4.13',
  description:
    "v4.13 (shape B, 94b1b03b519b): a CPU entering lazy mode leaves mm_cpumask and keeps CR3 (TLB-2, fixed by b956575bed91)",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'B', warm: 'lazyOnA' },
  violates: ['P3'],
});
