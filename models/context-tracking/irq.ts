// Interrupts and NMIs (docs/models/context-tracking.md section 4): the hardware delivery is a rule of the CPU
// (an IRQ only while IRQs are on; an NMI at any instruction boundary, including inside ct_* bodies;
// an NMI-like exception, a machine check, at any kernel instruction boundary, inside an NMI too),
// which saves a frame for its nesting level and calls the entry code; IRET restores the frame.
// NMIs and NMI-like exceptions enter through irqentry_nmi_enter(): __nmi_enter() (in_nmi()) and
// ct_nmi_enter(); IRQs through irqentry_enter() and ct_irq_enter(), which is ct_nmi_enter() too, so
// both nest on ct->nmi_nesting, while process-level entries nest on ct->nesting (ct.ts).
// Events: IrqEntry (CTP-4), IntEnter / IntDone (CTP-3: a completed IRQ/NMI restores the counters).
import { bool } from '../../src/lang/domain.ts';
import { rules, seq, step } from '../../src/lang/model.ts';
import { ids, reportQs, watching } from './state.ts';

const M = ids.mode;

function enterFrame(s: any, c: number, x: any): void {
  const me = s.cpu[c];
  const fr = me.frame[me.depth];
  fr.mode = me.mode;
  fr.irqs = me.irqsOn;
  x.emit('IntEnter', c, me.depth);
  me.depth = me.depth + 1;
  me.irqsOn = false;
  me.mode = M.kernel;
}

function iret(s: any, c: number, x: any): void {
  const me = s.cpu[c];
  const fr = me.frame[me.depth - 1];
  me.mode = fr.mode;
  me.irqsOn = fr.irqs;
  fr.mode = M.kernel;
  fr.irqs = false;
  me.depth = me.depth - 1;
  x.emit('IntDone', c, me.depth);
  if (me.mode === M.user) x.emit('ReturnToUser', c);
}

/** irqentry_nmi_enter(): __nmi_enter() raises in_nmi(), then ct_nmi_enter(). */
function nmiEnter(s: any, c: number, x: any): void {
  s.cpu[c].inNmi = s.cpu[c].inNmi + 1;
  x.call('ct_nmi_enter');
}

export const irqProcedures = (p: { nesting: number }, f: { idleIrqAlwaysEntersRcu: boolean; nmiAnywhere: boolean; nmiLike: boolean }) => [
  rules<any>('irq', 'cpu', [
    step<any>('IRQ', 'an external interrupt is delivered (IRQs enabled): push the frame, IF cleared', {
      when: (s, c) => s.cpu[c].irqsOn && s.cpu[c].depth < p.nesting,
      do: (s, c, x) => {
        x.emit('IrqEntry', c, s.cpu[c].mode === M.user ? 1 : 0);
        enterFrame(s, c, x);
        x.call('common_interrupt');
      },
    }),
  ]),
  rules<any>('nmi', 'cpu', [
    step<any>('NMI', 'an NMI is delivered at any instruction boundary, IRQs on or off (NMIs blocked until IRET)', {
      // The hardware blocks NMIs until the NMI's IRET. An exception inside the NMI handler unblocks
      // them at its own IRET, but the nested-NMI logic of entry_64.S (asm_exc_nmi: "NMI executing")
      // then only latches the new NMI and the outer one repeats after it: NMI handlers never nest.
      when: (s, c) => f.nmiAnywhere && !s.cpu[c].nmiBlocked && s.cpu[c].depth < p.nesting,
      do: (s, c, x) => {
        enterFrame(s, c, x);
        s.cpu[c].nmiBlocked = true;
        x.call('exc_nmi');
      },
    }),
  ]),
  rules<any>('mce', 'cpu', [
    // exc_machine_check_kernel() (arch/x86/kernel/cpu/mce/core.c): from kernel mode a #MC is
    // NMI-like (irqentry_nmi_enter), at any instruction boundary, IRQs on or off, noinstr code and
    // NMI handlers included. #DB (exc_debug_kernel) and #BP (exc_int3) from kernel mode take the same
    // path, at a subset of those points (not in noinstr code). From user mode each of them enters
    // through irqentry_enter_from_user_mode(), like an IRQ from user mode.
    step<any>('MCE', 'a machine check (#MC) in kernel mode, also inside an NMI: push the frame (MCIP set)', {
      when: (s, c) => f.nmiLike && !s.cpu[c].mcip && s.cpu[c].mode === M.kernel && s.cpu[c].depth < p.nesting,
      do: (s, c, x) => {
        enterFrame(s, c, x);
        s.cpu[c].mcip = true;
        x.call('exc_machine_check');
      },
    }),
  ]),
  // DEFINE_IDTENTRY_IRQ(common_interrupt) / sysvec: irqentry_enter, handler, irq_exit_rcu, irqentry_exit.
  seq<any>('common_interrupt', 'cpu', [
    step<any>('IE1', 'irqentry_enter(): user_mode(regs) ? irqentry_enter_from_user_mode() : is_idle_task(current) ? ct_irq_enter() [exit_rcu] : rcu_irq_enter_check_tick()', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        const fr = me.frame[me.depth - 1];
        if (fr.mode === M.user) return x.call('enter_from_user_mode');
        // Mainline (0bf3924bfabd): the idle task always enters RCU, watching or not. v5.8-rc
        // idtentry_enter_cond_rcu() entered RCU only if it was not watching (CT-1).
        const enter = f.idleIrqAlwaysEntersRcu ? !me.runsTask : !watching(me.w);
        if (enter) {
          x.locals.exitRcu = true;
          x.call('ct_nmi_enter');
        }
      },
    }),
    step<any>('IE2', 'handle_irq_event(): the scheduler tick (rcu_sched_clock_irq(user_mode(regs))) or a device interrupt (try_to_wake_up); irq_work_run()', {
      choose: { name: 'irq', count: 2, of: null },
      do: (s, c, x) => {
        x.emit('Instr', c);
        const me = s.cpu[c];
        const fr = me.frame[me.depth - 1];
        if (me.irqWork === ids.work.raised) me.irqWork = ids.work.none;
        if (x.choice === 0) {
          // rcu_sched_clock_irq(user): user || rcu_is_cpu_rrupt_from_idle() ⇒ rcu_qs().
          // rcu_is_cpu_rrupt_from_idle(): nmi_nesting > 1 ⇒ false; else nesting == 0.
          const fromIdle = me.nmiNesting <= 1 && me.nesting === 0;
          if (fr.mode === M.user || fromIdle) reportQs(s, c);
        } else {
          if (s.task.state === ids.task.sleeping) s.task.state = ids.task.runnable;
          me.needResched = true;
        }
      },
    }),
    step<any>('IE3', '__irq_exit_rcu(): if (!in_interrupt() && local_softirq_pending()) invoke_softirq()', {
      choose: { name: 'softirq', count: 2, of: null },
      when: (s, c, x) => x.choice === 0 || s.cpu[c].depth === 1,
      do: (_s, _c, x) => {
        if (x.choice === 1) x.call('__do_softirq');
      },
    }),
    step<any>('IE4', 'irqentry_exit(): user_mode(regs) ? irqentry_exit_to_user_mode() : exit_rcu ? ct_irq_exit() : irqentry_exit_cond_resched()', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        const fr = me.frame[me.depth - 1];
        if (fr.mode === M.user) return x.call('exit_to_user_mode');
        if (x.locals.exitRcu) return x.call('ct_nmi_exit');
        // Preemptible only at the first level over a task with preempt_count() == 0 (the idle task
        // runs with preemption disabled).
        if (me.depth === 1 && me.runsTask && me.preemptCount === 0 && me.needResched) x.call('preempt_schedule_irq');
      },
    }),
    step<any>('IE5', 'IRET: return to the interrupted context, restoring IF', { do: (s, c, x) => iret(s, c, x) }),
    // irqentry_state_t state = irqentry_enter(regs): exit_rcu lives in this call's frame.
  ], { locals: { exitRcu: bool() } }),
  // preempt_schedule_irq(): local_irq_enable(); __schedule(SM_PREEMPT); local_irq_disable().
  seq<any>('preempt_schedule_irq', 'cpu', [
    step<any>('PS1', 'preempt_schedule_irq(): local_irq_enable(); __schedule(SM_PREEMPT)', {
      do: (s, c, x) => {
        s.cpu[c].irqsOn = true;
        x.call('schedule');
      },
    }),
    step<any>('PS2', 'local_irq_disable()', {
      do: (s, c) => {
        s.cpu[c].irqsOn = false;
      },
    }),
  ]),
  // __do_softirq(): softirq handlers run with IRQs enabled, inside the IRQ's RCU-watching region.
  seq<any>('__do_softirq', 'cpu', [
    step<any>('SQ1', '__local_bh_disable_ip(SOFTIRQ_OFFSET); local_irq_enable()', {
      do: (s, c, x) => {
        x.emit('Instr', c);
        s.cpu[c].irqsOn = true;
      },
    }),
    step<any>('SQ2', 'h->action(): a softirq handler with an RCU reader', { do: (_s, _c, x) => x.call('rcu_read_section') }),
    step<any>('SQ3', 'local_irq_disable(); __local_bh_enable(SOFTIRQ_OFFSET)', {
      do: (s, c) => {
        s.cpu[c].irqsOn = false;
      },
    }),
  ]),
  // exc_nmi(): irqentry_nmi_enter(), the handler, irqentry_nmi_exit(), IRET.
  seq<any>('exc_nmi', 'cpu', [
    step<any>('NM1', 'irqentry_nmi_enter(): __nmi_enter(); ct_nmi_enter()', { do: nmiEnter }),
    step<any>('NM2', 'the NMI handler (perf, watchdog): may use RCU', { do: (_s, c, x) => x.emit('Instr', c) }),
    step<any>('NM3', 'irqentry_nmi_exit(): ct_nmi_exit()', { do: (_s, _c, x) => x.call('ct_nmi_exit') }),
    step<any>('NM4', '__nmi_exit(); IRET from the NMI (NMIs unblocked)', {
      do: (s, c, x) => {
        s.cpu[c].inNmi = s.cpu[c].inNmi - 1;
        s.cpu[c].nmiBlocked = false;
        iret(s, c, x);
      },
    }),
  ]),
  // exc_machine_check_kernel(): irqentry_nmi_enter(), do_machine_check(), irqentry_nmi_exit(), IRET.
  seq<any>('exc_machine_check', 'cpu', [
    step<any>('MC1', 'irqentry_nmi_enter(): __nmi_enter(); ct_nmi_enter()', { do: nmiEnter }),
    step<any>('MC2', 'do_machine_check(): the handler (may use RCU)', { do: (_s, c, x) => x.emit('Instr', c) }),
    step<any>('MC3', 'irqentry_nmi_exit(): ct_nmi_exit()', { do: (_s, _c, x) => x.call('ct_nmi_exit') }),
    step<any>('MC4', '__nmi_exit(); MCIP cleared; IRET', {
      do: (s, c, x) => {
        s.cpu[c].inNmi = s.cpu[c].inNmi - 1;
        s.cpu[c].mcip = false;
        iret(s, c, x);
      },
    }),
  ]),
];
