// context-tracking(cpus, nesting): context tracking and RCU extended quiescent states
// (docs/models/context-tracking.md). Per CPU: the `struct context_tracking` state (kernel/context_tracking.c), the
// entry and exit paths of kernel/entry/common.c for syscalls, interrupts, NMIs (NMIs nest into
// anything, including the ct_* bodies) and machine checks (NMI-like, inside NMIs too), the idle loop, the KVM guest run loop, and a user task T that
// can sleep in a syscall and be resumed by another CPU (migration). An updater with the RCU
// grace-period kthread waits for quiescent states; readers run in syscalls and softirqs and can be
// interrupted. Warm start: CPU0 runs T in user mode (EQS when nohz_full), the others are idle.
import { defineModel } from '../../src/lang/model.ts';
import { ctProcedures } from './ct.ts';
import { idleProcedures } from './idle.ts';
import { irqProcedures } from './irq.ts';
import { rcuProcedures } from './rcu.ts';
import { ctState, ids, NONIDLE } from './state.ts';
import { syscallProcedures } from './syscall.ts';

export default defineModel({
  name: 'context-tracking',
  title: 'Context tracking and RCU extended quiescent states',
  description:
    'Per-CPU ctx / RCU-watching counter / nesting / nmi_nesting; syscall, IRQ, NMI, NMI-like exception (#MC inside an NMI), idle and KVM guest transitions; a task that sleeps and migrates; an RCU grace period with interruptible readers.',
  params: {
    cpus: { default: 1, min: 1, max: 3, doc: 'CPUs (2 or 3 for migration of the sleeping task)' },
    nesting: { default: 2, min: 1, max: 3, doc: 'IRQ/NMI frames on top of process context' },
  },
  flags: {
    active: { default: true, doc: 'context_tracking.active: the CPUs are nohz_full (RCU EQS in user mode)', scope: true },
    idleIrqAlwaysEntersRcu: { default: true, doc: 'irqentry_enter: the idle task calls ct_irq_enter() unconditionally (0bf3924bfabd, CT-1)' },
    syscallTrackBeforeIrqEnable: { default: true, doc: 'syscall entry: __ct_user_exit(USER) before local_irq_enable() (x86-64 since v4.3, CT-2)' },
    nmiAnywhere: { default: true, doc: 'NMIs may arrive between any two steps', scope: true },
    nmiLike: { default: true, doc: 'NMI-like exceptions: a machine check (#MC; #DB, #BP alike) at any kernel instruction boundary, inside an NMI too (irqentry_nmi_enter)', scope: true },
  },
  scopes: {
    // ok, 10,390,696 states with symmetry, under a minute (with NMIs anywhere or nesting 2, two CPUs
    // do not finish in 10 minutes)
    wide: { doc: '2 CPUs (the task migrates), nesting 1, NMIs only where the entry code takes them', params: { cpus: 2, nesting: 1 }, flags: { nmiAnywhere: false, nmiLike: false } },
    // 2 CPUs with the default scope's nesting and NMIs between any two steps (machine checks off:
    // --set nmiLike=true adds them); incomplete after 10 minutes with symmetry: 65,764,376 states,
    // depth 45, 1.5 GB
    deep: { doc: '2 CPUs (the task migrates), nesting 2, NMIs between any two steps, no machine checks', params: { cpus: 2, nesting: 2 }, flags: { nmiAnywhere: true, nmiLike: false } },
  },
  actors: (p) => ({ cpu: p.cpus, gp: 1 }),
  // The CPUs run the same code; the grace-period kthread names them only through its quiescent-state
  // masks and per-CPU snapshots, and the user task through the CPU it runs on (all permuted). Only
  // the warm start tells them apart (CPU0 runs the task).
  symmetry: () => [{ of: 'cpu' }],
  state: (p) => ctState(p),
  init: (s, p, f) => {
    for (let c = 0; c < p.cpus; c++) {
      const me = s.cpu[c];
      me.active = f.active;
      me.irqsOn = true;
      me.ctArg = ids.ctx.KERNEL;
      if (c === 0) {
        // T runs user code: after __ct_user_enter(USER), EQS when active.
        me.runsTask = true;
        me.mode = ids.mode.user;
        me.ctx = ids.ctx.USER;
        me.w = f.active ? 0 : 1;
        me.nesting = f.active ? 0 : 1;
        me.nmiNesting = f.active ? 0 : NONIDLE;
      } else {
        // The idle task between two rounds of its loop: kernel context, RCU watching.
        me.mode = ids.mode.kernel;
        me.ctx = ids.ctx.KERNEL;
        me.w = 1;
        me.nesting = 1;
        me.nmiNesting = NONIDLE;
      }
    }
    s.task.state = ids.task.running;
    s.task.cpu = 0;
  },
  events: {
    CtBody: ['cpu', 'entering (1) or leaving (0) a ct_* body'],
    KernelExit: ['cpu'],
    KernelEnter: ['cpu'],
    NmiExit: ['cpu'],
    EqsEnter: ['cpu', 'ctx'],
    Instr: ['cpu'],
    EnteredKernel: ['cpu'],
    ReturnToUser: ['cpu'],
    Schedule: ['cpu'],
    IrqEntry: ['cpu', 'from user mode'],
    IntEnter: ['cpu', 'level'],
    IntDone: ['cpu', 'level'],
    ReaderStart: ['cpu', 'level'],
    ReaderEnd: ['cpu', 'level'],
    GpStart: [],
    GpEnd: [],
  },
  stackDepth: 8,
  procedures: (p, f) => [...ctProcedures(), ...syscallProcedures(f), ...irqProcedures(p, f), ...idleProcedures(), ...rcuProcedures(p)],
  // The grace period is the gp actor's phase (rcu.ts), not a procedure: the stuck-actor check is told
  // here that a grace period once started must be able to end (synchronize_rcu returns).
  busy: (p) => ({
    'the grace period': {
      at: (s) => (s.rcu.phase === ids.gp.waiting ? 1 + s.rcu.qsmask : 0),
      what: (s) => `grace period G waits for a quiescent state of ${Array.from({ length: p.cpus }, (_, c) => c).filter((c) => (s.rcu.qsmask & (1 << c)) !== 0).map((c) => `cpu${c}`).join(', ') || 'no CPU'}`,
    },
  }),
});
