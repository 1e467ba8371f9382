// v2.6.23: xen_exit_mmap IPIs only the CPUs in mm_cpumask, and the handler only leaves the mm; a vCPU
// whose CR3 switch is still queued in its lazy-CPU batch is missed (XEN-1, fixed by 9f79991d4186).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'xen-pv',
  name: 'v2.6.23',
  description: 'v2.6.23 (shape A): drop IPIs chosen by mm_cpumask, handler does not flush the pending batch (XEN-1, fixed by 9f79991d4186)',
  flags: { tableFree: 'immediate', collapseTableFree: 'immediate', lazyDesign: 'A', shapeA_clearPrevAfterCR3: false, xenDropMask: 'linuxView', xenHandlerFlushesPending: false },
  params: { changes: 0 },
  // X1 (XEN-1) at the default scope; with page-table changes (the wide and deep scopes) also P3:
  // v2.6.23 still clears prev's mm_cpumask bit before the CR3 write (TLB-1, fixed in v3.0)
  violates: ['X1', 'P3'],
});
