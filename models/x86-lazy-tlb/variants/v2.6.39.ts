// v2.6.24-v2.6.39 (shape A): switch_mm cleared prev's mm_cpumask bit before the CR3 write (TLB-1, fixed by 831d52bc1539)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v2.6.39',
  description:
    "v2.6.24-v2.6.39 (shape A): switch_mm cleared prev's mm_cpumask bit before the CR3 write (TLB-1, fixed by 831d52bc1539)",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'A', shapeA_clearPrevAfterCR3: false, shapeA_leaveMmKeepsLazy: true, warm: 'bothOnA' },
  params: { asids: 1 },
  violates: ['P3'],
});
