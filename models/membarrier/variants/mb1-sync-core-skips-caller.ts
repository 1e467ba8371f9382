// MB-1 (docs/models/bugs.md; fixed by e45cdc71d1fa "membarrier: Execute SYNC_CORE on the calling thread", v5.11):
// PRIVATE_EXPEDITED_SYNC_CORE skipped the calling CPU in the rq->curr loop and used
// smp_call_function_many, so a thread of the mm that later runs on the caller's CPU through a
// same-mm switch and SYSRET never serializes.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'mb1-sync-core-skips-caller',
  description: 'v4.16–v5.10 SYNC_CORE: the caller\'s CPU is neither sampled nor synced (before e45cdc71d1fa)',
  flags: { syncCoreIncludesSelf: false },
  violates: ['MBP-3'],
});
