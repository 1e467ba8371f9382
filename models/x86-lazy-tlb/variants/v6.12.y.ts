// A v4.20-v6.13 stable kernel with the TLB-4 fix 3ef938c35035 backported (6.12.y), on bare metal.
// Shape D still clears prev's mm_cpumask bit before the CR3 write (the TLB-1 window), and on bare
// metal exit_mmap's tlb_finish_mmu frees the table page right after the flush (native
// tlb_remove_table = tlb_remove_page; MMU_GATHER_RCU_TABLE_FREE only for paravirt guests until
// a37259732a7d, v6.15). A CPU leaving the exiting mm in that window is not IPIed by the flush and
// still has the table in its paging-structure cache when the page is freed (P3). khugepaged's free
// is pte_free_defer here (v6.5+), which the IRQs-off window holds off.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'v6.12.y',
  description:
    "v6.12.y (shape D with 3ef938c35035 backported), bare metal: the switch clears prev's bit before the CR3 write and exit_mmap frees the table page right after the flush (tlb_remove_page): the TLB-1 window (P3, a finding of this model)",
  flags: { tableFree: 'immediate', lazyDesign: 'D', warm: 'lazyOnA' },
  violates: ['P3'],
});
