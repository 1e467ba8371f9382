// mainline (with fea4e317f9e7) from the TLB-5 warm start: C1 on user A caches B in its second ASID slot
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'fea4e317f9e7',
  description:
    "mainline (with fea4e317f9e7) from the TLB-5 warm start: C1 on user A caches B in its second ASID slot",
  flags: { warm: 'userAcachedB' },
  violates: [],
});
