// MB-2 (docs/models/bugs.md; fixed by 758c9373d841 "membarrier: Explicitly sync remote cores when SYNC_CORE is
// requested", v5.11): the SYNC_CORE IPI only ran smp_mb() and relied on the IRET ending the IPI; the
// exit-work loop of that IRET may schedule() to another thread of the mm, which returns with SYSRET.
// The catalog's configuration: CPU0 runs only the writer (cpu0Siblings = 0); threads only, no kthread.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'membarrier',
  name: 'mb2-sync-core-ipi-mb-only',
  description: 'v4.16–v5.10 SYNC_CORE IPI handler = ipi_mb (before 758c9373d841); CPU0 runs only the writer, no kthread',
  flags: { syncCoreIpiSerializes: false },
  params: { cpu0Siblings: 0, kthread: 0 },
  violates: ['MBP-3'],
});
