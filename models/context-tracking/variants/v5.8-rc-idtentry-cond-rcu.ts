// CT-1 (docs/models/bugs.md): v5.8-rc x86 idtentry_enter_cond_rcu() (3eeec3858488) entered RCU on an interrupt
// from kernel mode only if RCU was not watching. In the idle task, a tick nested on the softirq run
// at the exit of a first interrupt then left nmi_nesting at 1, rcu_is_cpu_rrupt_from_idle() took it
// for an interrupt of idle and reported a quiescent state inside the softirq's RCU reader. Fixed by
// 0bf3924bfabd "x86/entry: Force rcu_irq_enter() when in idle task".
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'context-tracking',
  name: 'v5.8-rc-idtentry-cond-rcu',
  description: 'v5.8-rc: irqentry from kernel mode calls rcu_irq_enter() only when RCU is not watching (3eeec3858488, before 0bf3924bfabd)',
  flags: { idleIrqAlwaysEntersRcu: false },
  violates: ['CTP-6'],
});
