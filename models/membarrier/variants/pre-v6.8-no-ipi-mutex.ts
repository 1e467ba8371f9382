// The v4.14–v6.7 shape of the expedited commands (before 944d5fe50f3f "sched/membarrier: reduce the
// ability to hammer on sys_membarrier", v6.8, CVE-2024-26602): no membarrier_ipi_mutex, so two
// membarrier calls sample the runqueues, IPI and wait concurrently. The scope has the second issuer
// (OTHER's GLOBAL_EXPEDITED, docs/models/membarrier.md 4.10; with --param secondIssuer=1 CALLER2's
// PRIVATE_EXPEDITED), without which the mutex changes nothing.
// The mutex was added against IPI storms, not for ordering: no property is expected to fail.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'pre-v6.8-no-ipi-mutex',
  description: 'v4.14–v6.7: no membarrier_ipi_mutex (before 944d5fe50f3f); a second issuer, OTHER\'s GLOBAL_EXPEDITED, runs concurrently with the caller\'s call',
  flags: { ipiMutex: false },
  params: { issuers: 2 },
});
