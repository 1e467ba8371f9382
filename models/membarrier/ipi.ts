// IPIs (docs/models/membarrier.md 4.1 handler table) and the RCU grace period's quiescent states.
// A csd queued by membarrier runs when the target has IRQs on; the handler returns through
// irqentry_exit: to user mode the exit-work loop may schedule() (MB-2), otherwise IRET.
import { type Params, type ProcedureDef, rules, seq, step, type StepCtx } from '../../src/lang/model.ts';
import type { ArchTraits } from './arch.ts';
import { CALLER, IDLE, Ipi, M, mb, mmOf, rcuQs, RseqCs, secondIssuerOf, ser, setRqState } from './defs.ts';
import { readState } from './mm.ts';
import { resumeCurrent } from './sched.ts';

const K = Ipi.ids;
const R = RseqCs.ids;

/** The function a membarrier csd runs on CPU c (from the IPI, or locally from on_each_cpu_mask). */
export function runCsd(s: any, c: number, x: StepCtx, kind: number, A: ArchTraits): void {
  if (kind === K.ipi_mb) {
    mb(x, c); // ipi_mb: smp_mb()
  } else if (kind === K.ipi_sync_core) {
    mb(x, c); // ipi_sync_core: smp_mb(); sync_core_before_usermode()
    if (A.syncCoreBeforeUsermode) ser(x, c, A);
  } else if (kind === K.ipi_rseq) {
    // ipi_rseq: smp_mb(); rseq_preempt(current): RSEQ_EVENT_PREEMPT and TIF_NOTIFY_RESUME on the
    // task current here. Only a user thread interrupted in user mode can be inside a critical
    // section; its return to user space (IRQX) restarts it at the abort handler.
    mb(x, c);
    if (s.cpu[c].rseqCs === R.active) s.cpu[c].rseqCs = R.doomed;
  } else if (kind === K.ipi_sync_rq_state) {
    // ipi_sync_rq_state(mm): if (current->mm != mm) return; rq->membarrier_state = mm state; smp_mb()
    if (mmOf(s, s.cpu[c].curr) !== M) return;
    setRqState(s, c, x, readState(s, x, M));
    mb(x, c);
  }
}


/** Text of the csd functions, for step descriptions. */
export const csdText = 'ipi_mb: smp_mb() | ipi_sync_core: smp_mb(); sync_core_before_usermode() | ipi_rseq: smp_mb(); rseq_preempt(current) | ipi_sync_rq_state: rq->membarrier_state = mm->membarrier_state; smp_mb()';

export function ipiProcedures(p: Params, A: ArchTraits): ProcedureDef[] {
  const second = secondIssuerOf(p)?.task;
  /** The task current on CPU c is a membarrier call inside rcu_read_lock() (its rq->curr loop). */
  const inReader = (s: any, c: number): boolean => {
    const t = s.cpu[c].curr;
    return (t === CALLER && s.call.rcu) || (t === second && s.call2.rcu);
  };
  return [
    rules('irq', 'cpu', [
      step('IRQ', 'the call-function IPI is taken (IRQs on): irqentry_enter', {
        // IRQs off first: a CPU inside an IRQ-off region does not look at its csd queue at all
        when: (s, c) => s.cpu[c].irqsOn && (s.cpu[c].ipi !== K.none || (p.issuers > 1 && s.cpu[c].ipi2 !== K.none)),
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.fromUser = me.inUser;
          me.inUser = false;
          me.irqsOn = false;
          x.call('sysvec_call_function');
        },
      }),
    ]),
    seq('sysvec_call_function', 'cpu', [
      step('IPI', `flush_smp_call_function_queue(): ${csdText}; csd_unlock() — every queued csd (the caller's, the second issuer's)`, {
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (me.ipi !== K.none) {
            runCsd(s, c, x, me.ipi, A);
            me.ipi = K.none;
          }
          if (p.issuers > 1 && me.ipi2 !== K.none) {
            runCsd(s, c, x, me.ipi2, A);
            me.ipi2 = K.none;
          }
        },
      }),
      step('IRQX', 'irqentry_exit: to user mode, exit_to_user_mode_loop() may schedule() on need_resched, and on TIF_NOTIFY_RESUME rseq_handle_notify_resume() moves an interrupted rseq critical section to its abort handler; else IRET', {
        jumps: ['IRQS'],
        choose: { name: 'need_resched', count: 2, of: null },
        when: (s, c, x) => x.choice === 0 || s.cpu[c].fromUser,
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (x.choice === 1) {
            me.fromUser = false;
            return x.call('__schedule', 'IRQS');
          }
          // resume_user_mode_work() → rseq_handle_notify_resume(): the critical section restarts at its
          // abort_ip (only a return to user mode reaches it; rseqCs is doomed only when fromUser).
          if (me.rseqCs === R.doomed) {
            me.rseqCs = R.none;
            x.emit('RseqAbort', c);
          }
          // IRET (x86: serializing); ERET/rfid elsewhere; riscv SRET is not serializing.
          if (A.returnToUser === 'always' || A.returnToUser === 'iret-only') ser(x, c, A);
          me.inUser = me.fromUser;
          me.fromUser = false;
          me.irqsOn = true;
          x.ret();
        },
      }),
      step('IRQS', 'schedule() returned in another task: it returns from its own syscall (SYSRET possible)', {
        do: (s, c, x) => resumeCurrent(s, c, x),
      }),
    ]),
    // A CPU outside any IRQ-off / read-side region reports a quiescent state for the grace period in
    // flight. The GP implies a full barrier on every CPU that was not in an extended quiescent state
    // (idle, or user mode on a nohz_full CPU; docs/models/context-tracking.md). A context switch
    // reports one too, in __schedule (SCH1, rcu_note_context_switch). A membarrier call inside its
    // rq->curr loop holds rcu_read_lock(): its CPU passes no quiescent state there (a second issuer's
    // loop can overlap the caller's synchronize_rcu).
    rules('rcu_qs', 'cpu', [
      step('QS', 'rcu_qs(): this CPU passes a quiescent state (EQS: idle, nohz_full user mode)', {
        when: (s, c) => (s.gp & (1 << c)) !== 0 && !inReader(s, c),
        do: (s, c, x) => rcuQs(s, c, x, s.cpu[c].curr === IDLE || (p.nohzFull === 1 && c !== 0 && s.cpu[c].inUser)),
      }),
    ], { idleOnly: true }),
  ];
}
