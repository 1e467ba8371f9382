// v3.0-v4.12 (shape A) with 831d52bc1539: prev's mm_cpumask bit is cleared after the CR3 write
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v3.0',
  description:
    "v3.0-v4.12 (shape A) with 831d52bc1539: prev's mm_cpumask bit is cleared after the CR3 write",
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'A', shapeA_clearPrevAfterCR3: true, shapeA_leaveMmKeepsLazy: true, warm: 'bothOnA' },
  params: { asids: 1 },
  violates: [],
});
