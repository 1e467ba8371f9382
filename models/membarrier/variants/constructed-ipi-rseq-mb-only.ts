// Constructed variant (not a historical kernel; the bug catalog has no RSEQ entry): the RSEQ command's
// IPI runs only the memory barrier of ipi_rseq and forgets rseq_preempt(current), as if
// membarrier_private_expedited(MEMBARRIER_FLAG_RSEQ, -1) kept ipi_func = ipi_mb. The barriers (a)/(c)
// and the IPI still order memory (MBP-2 holds), but a critical section that was running when the
// command started is not restarted: it commits after the command returned (MBP-4). It shows that
// MBP-4 is checked by the model and is not implied by the memory-ordering properties.
import { step } from '../../../src/lang/model.ts';
import { defineVariant, replace } from '../../../src/lang/variant.ts';
import { Ipi, mb, runCsd, traitsOf } from '../api.ts';

const K = Ipi.ids;

export default defineVariant({
  model: 'membarrier',
  name: 'constructed-ipi-rseq-mb-only',
  description: 'constructed (not a historical kernel): ipi_rseq without rseq_preempt(current) — the RSEQ IPI is only smp_mb()',
  edits: [
    replace('sysvec_call_function:IPI', step('IPI', 'flush_smp_call_function_queue(): the csd function [ipi_rseq: smp_mb() only, no rseq_preempt()]; csd_unlock()', {
      do: (s, c, x) => {
        const kind = s.cpu[c].ipi;
        if (kind === K.ipi_rseq) mb(x, c);
        else runCsd(s, c, x, kind, traitsOf(x));
        s.cpu[c].ipi = K.none;
      },
    })),
  ],
  violates: ['MBP-4'],
});
