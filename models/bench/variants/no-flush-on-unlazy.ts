// The calibration model without the catch-up flush on unlazy: a lazy CPU that was skipped by a flush
// (lazy CPUs get no IPI) returns to user code with a stale TLB — the shape of TLB-2 in docs/models/bugs.md.
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'shootdown',
  name: 'no-flush-on-unlazy',
  description: 'lazy CPUs are skipped by flushes and do not catch up when they return to user mode',
  flags: { flushOnUnlazy: false },
  violates: ['no-stale-user'],
});
