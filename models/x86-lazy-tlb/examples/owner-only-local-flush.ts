// An example patch written against the model's variant API (docs/language.md, "x86-lazy-tlb: the
// variant API"): flush_tlb_mm_range's self-only local flush tests whether the initiating task owns
// the mm (`current->mm == mm`) instead of `mm == this_cpu_read(cpu_tlbstate.loaded_mm)`. A kernel
// thread lazy on the mm (khugepaged collapsing a table of it) then skips its own flush: its CR3 and
// paging-structure cache still point into the retracted table when pte_free_defer's grace period
// ends (P3). Check it with
//   npx lazytlb check x86-lazy-tlb --variant models/x86-lazy-tlb/examples/owner-only-local-flush.ts
import { defineVariant, patch } from '../../../src/lang/variant.ts';
import type { StepCtx } from '../../../src/lang/model.ts';
import { bit, shippedStep, x86Env } from '../api.ts';

const flags = { kthreadFlush: true };
const params = { exits: 0 };
// the shipped FL at the scope this variant sets, to call from the patched step
const fl = shippedStep('flush_tlb_mm_range:FL', x86Env(params, flags));

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'owner-only-local-flush',
  description: "flush_tlb_mm_range flushes locally only when current->mm == mm (a kthread lazy on the mm skips its own flush)",
  flags,
  params,
  edits: [
    patch('flush_tlb_mm_range:FL', {
      do: (s: any, c: number, x: StepCtx) => {
        const me = s.cpu[c];
        // F6 (only this CPU in the mask) and the initiating task is not the mm's: no flush
        if ((me.fSnap & ~bit(c)) === 0 && me.currMm !== me.fMm) return;
        fl.do!(s, c, x);
      },
    }),
  ],
  violates: ['P3'],
});
