// The LMMU-1 fix: c36549ff8d84 reverts the Xen nesting counter (v6.15) and callers stop nesting lazy
// MMU sections (documentation: no nesting, no interrupt context, preemption may be enabled).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'xen-v6.15-no-nesting',
  description: 'Xen PV v6.15 – v6.19: direct arch hooks, no xen_lazy_nesting, callers do not nest (c36549ff8d84)',
  flags: { arch: 'xen', layer: 'directHooks', xenNestingCounter: false, nestedSections: false },
  violates: [],
});
