// v6.12.y (shape D with 3ef938c35035) as a paravirt guest whose hypervisor flushes TLBs (KVM
// PV_TLB_FLUSH, Hyper-V, Xen PV set pv_ops.mmu.tlb_remove_table = tlb_remove_table): mmu_gather frees
// table pages after an RCU grace period, and khugepaged with pte_free_defer. The CPU in the window
// between clearing prev's mm_cpumask bit and the CR3 write has IRQs off, which holds off the grace
// period: the free waits until its CR3 has left the mm. Same switch as v6.12.y, no P3. (The flush
// transport stays the native IPI: the variant changes only when the table page is freed.)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v6.12.y-pv',
  description:
    'v6.12.y (shape D with 3ef938c35035) as a paravirt guest with tlb_remove_table: RCU-deferred table freeing closes the TLB-1 window of the shape-D switch',
  flags: { tableFree: 'rcu', collapseTableFree: 'rcu', lazyDesign: 'D', warm: 'lazyOnA' },
  violates: [],
});
