// v2.6.24 with 9f79991d4186: xen_current_cr3 (set by the multicall callback) selects the drop IPIs,
// and the handler pushes out a stale CR3: load_cr3(swapper_pg_dir); arch_flush_lazy_cpu_mode().
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'xen-pv',
  name: 'v2.6.24',
  description: 'v2.6.24 (shape A) with 9f79991d4186: drop IPIs to mm_cpumask and every vCPU whose xen_current_cr3 is the pgd; the handler does load_cr3(swapper_pg_dir)',
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'A', shapeA_clearPrevAfterCR3: false, xenDropMask: 'currentCr3', xenHandlerFlushesPending: true, xenHandlerLoadsSwapper: true },
  params: { changes: 0 },
  violates: [],
});
