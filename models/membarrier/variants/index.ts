// The membarrier model's named variants: the historical kernels of the bug catalog (MB-1 … MB-5), the
// 2020 exit_lazy_tlb RFC, a constructed RSEQ variant that shows MBP-4 is checked, and the pre-v6.8
// expedited commands without membarrier_ipi_mutex (with a second issuer).
import type { VariantDef } from '../../../src/lang/variant.ts';
import mb1 from './mb1-sync-core-skips-caller.ts';
import mb2 from './mb2-sync-core-ipi-mb-only.ts';
import mb3 from './mb3-global-skips-pf-kthread.ts';
import mb4 from './mb4-kthread-use-mm-no-rq-update.ts';
import mb5 from './mb5-global-reads-remote-mm.ts';
import rfc from './rfc-exit-lazy-tlb.ts';
import rseqMbOnly from './constructed-ipi-rseq-mb-only.ts';
import noIpiMutex from './pre-v6.8-no-ipi-mutex.ts';

export const membarrierVariants: readonly VariantDef[] = [mb1, mb2, mb3, mb4, mb5, rfc, rseqMbOnly, noIpiMutex];
