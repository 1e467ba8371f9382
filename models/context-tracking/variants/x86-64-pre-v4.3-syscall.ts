// CT-2 (docs/models/bugs.md): before v4.3, x86-64 entry_SYSCALL_64 enabled interrupts before the context-tracking
// user exit. An interrupt in that window is taken with kernel-mode registers while ctx = USER (RCU not
// watching on a nohz_full CPU), and its exit may preempt into schedule() with ctx = USER. Fixed by
// "x86/entry/64: Context-track syscalls before enabling interrupts" (v4.3).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'context-tracking',
  name: 'x86-64-pre-v4.3-syscall',
  description: 'x86-64 before v4.3: syscall entry enables IRQs before __ct_user_exit(USER)',
  flags: { syscallTrackBeforeIrqEnable: false },
  violates: ['CTP-2', 'CTP-4', 'CTP-5'],
});
