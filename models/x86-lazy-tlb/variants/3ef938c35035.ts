// mainline (with 3ef938c35035) from the TLB-4 warm start: C1 lazy on A with A's table page in its PSC
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: '3ef938c35035',
  description:
    "mainline (with 3ef938c35035) from the TLB-4 warm start: C1 lazy on A with A's table page in its PSC",
  flags: { warm: 'lazyOnA' },
  violates: [],
});
