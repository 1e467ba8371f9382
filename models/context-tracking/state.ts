// State of the context-tracking model (docs/models/context-tracking.md section 2 and 6): the per-CPU
// `struct context_tracking` (ctx, the RCU-watching counter, nesting, nmi_nesting), the hardware mode
// and IRQ flag, one frame per interrupt nesting level (what the entry code saved), the task that may
// sleep and migrate, and the RCU grace-period state.
import { bool, enumOf, int, ref, setOf } from '../../src/lang/domain.ts';
import { arrayOf, own, perCpu, published } from '../../src/lang/schema.ts';

/** `enum ctx_state` low bits of `context_tracking.state`: CT_STATE_KERNEL, _IDLE, _USER, _GUEST. */
export const Ctx = enumOf(['KERNEL', 'IDLE', 'USER', 'GUEST']);
/** What the CPU executes: user instructions, kernel instructions, guest instructions (VMX non-root). */
export const Mode = enumOf(['kernel', 'user', 'guest']);
/** The user task T: running on `task.cpu`, sleeping in a syscall, or woken and waiting for a CPU. */
export const TaskState = enumOf(['running', 'sleeping', 'runnable']);
/** A deferred wakeup (irq_work) of this CPU: none, queued, or raised as a self-IPI (arch_irq_work_raise). */
export const IrqWork = enumOf(['none', 'queued', 'raised']);
/** The grace period of the updater: not started, waiting for quiescent states, completed (object freed). */
export const GpPhase = enumOf(['idle', 'waiting', 'done']);

/** CT_NESTING_IRQ_NONIDLE ("N" in the guide): nmi_nesting of non-EQS process context. Any value above 2·depth+1 behaves the same. */
export const NONIDLE = 8;

export const ids = { ctx: Ctx.ids, mode: Mode.ids, task: TaskState.ids, work: IrqWork.ids, gp: GpPhase.ids };

export const watching = (w: number): boolean => (w & 1) === 1;

export function ctState(p: { cpus: number; nesting: number }) {
  return {
    // Only the CPU's own steps touch its record (own: partial-order reduction may take a stretch of
    // them alone), except the RCU-watching counter, which the grace-period kthread samples
    // (rcu_watching_snap_save(), published); `check --verify-footprints` checks both.
    cpu: perCpu(p.cpus, {
      // struct context_tracking
      ctx: own(Ctx),
      w: published(int(0, 3)), // the CT_RCU_WATCHING counter mod 4: watching <=> odd
      nesting: own(int(0, 2)),
      nmiNesting: own(int(0, NONIDLE + 2 * p.nesting)),
      active: own(bool()),
      // hardware and scheduler state of the CPU
      mode: own(Mode),
      irqsOn: own(bool()),
      depth: own(int(0, p.nesting)), // IRQ/NMI frames on top of process context (hardirq + NMI count)
      inNmi: own(int(0, p.nesting)), // in_nmi(): the NMI count of preempt_count (__nmi_enter), NMIs and NMI-like exceptions
      nmiBlocked: own(bool()), // an NMI is being handled: the next NMI waits until its IRET
      mcip: own(bool()), // MCG_STATUS.MCIP: a machine check is being handled (another one would shut down)
      frame: arrayOf(p.nesting, { mode: own(Mode), irqs: own(bool()) }, null), // what the hardware saved: the interrupted mode and IF
      ctArg: own(Ctx), // argument of __ct_user_enter/exit, ct_kernel_exit/enter at process level (the EQS state)
      runsTask: own(bool()), // current == T (else the idle task)
      needResched: own(bool()),
      preemptCount: own(int(0, 1)), // process-level preempt_disable() (rcu_read_lock of a non-preemptible RCU)
      irqWork: own(IrqWork),
    }),
    task: { state: TaskState, cpu: ref('cpu', p.cpus) },
    rcu: { phase: GpPhase, qsmask: setOf('cpu', p.cpus), snapped: setOf('cpu', p.cpus), snap: arrayOf(p.cpus, { w: int(0, 3) }, 'cpu') },
  };
}

/** rcu_qs() → rcu_report_qs_rdp(): this CPU passed a quiescent state for the current grace period. */
export function reportQs(s: any, c: number): void {
  if (s.rcu.phase === ids.gp.waiting) s.rcu.qsmask = s.rcu.qsmask & ~(1 << c);
}
