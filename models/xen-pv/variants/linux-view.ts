// A patch example on the mainline skeleton: xen_exit_mmap choosing its drop IPIs from Linux-side state
// (xen_cr3 / loaded_mm) instead of xen_current_cr3 — the XEN-1 mistake on a modern kernel.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'xen-pv',
  name: 'linux-view',
  description: 'mainline with the drop mask computed from xen_cr3 / loaded_mm and no pending-batch flush in the handler (XEN-1 on a mainline skeleton)',
  flags: { xenDropMask: 'linuxView', xenHandlerFlushesPending: false },
  params: { changes: 0 },
  violates: ['X1'],
});
