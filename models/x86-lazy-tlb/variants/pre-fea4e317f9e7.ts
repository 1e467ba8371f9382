// mainline without fea4e317f9e7: should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING (TLB-5, CVE-2025-37964)
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'x86-lazy-tlb',
  name: 'pre-fea4e317f9e7',
  description:
    "mainline without fea4e317f9e7: should_flush_tlb skips a CPU whose loaded_mm is LOADED_MM_SWITCHING (TLB-5, CVE-2025-37964)",
  flags: { shouldFlushChecksSwitching: false, warm: 'userAcachedB' },
  violates: ['P1', 'P2'],
});
