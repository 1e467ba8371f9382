// A patch example: mainline without the smp_mb() on the already-set branch of SW3c. Correct under
// sequential consistency, broken on x86 TSO: the LOADED_MM_SWITCHING store sits in the store buffer
// while the switcher reads tlb_gen, so the flusher still sees the old loaded_mm and skips the CPU (H2).
// The kernel before 83b0177a6c48 "x86/mm: Fix SMP ordering in switch_mm_irqs_off()" had this shape.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'no-sw3c-fence',
  description: 'mainline without smp_mb() when the mm_cpumask bit is already set (SW3c): ok under SC, P1 under --memory tso',
  flags: { fenceWhenMaskBitSet: false, warm: 'userAcachedB' },
  memory: 'tso',
  violates: ['P1'],
});
