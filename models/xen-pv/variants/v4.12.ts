// v4.12, the last shape-A kernel: the drop IPIs go to mm_cpumask and every vCPU whose
// xen_current_cr3 is the pgd (9f79991d4186), and drop_other_mm_ref pushes a stale CR3 out with
// load_cr3(swapper_pg_dir); v4.13's lazy-TLB rework made it drop_mm_ref_this_cpu with xen_mc_flush().
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'xen-pv',
  name: 'v4.12',
  description: 'v4.12 (shape A, prev bit cleared after the CR3 write): drop IPIs to mm_cpumask and xen_current_cr3 matches; the handler does load_cr3(swapper_pg_dir)',
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'A', shapeA_clearPrevAfterCR3: true, xenDropMask: 'currentCr3', xenHandlerFlushesPending: true, xenHandlerLoadsSwapper: true },
  params: { changes: 0 },
  violates: [],
});
