// Properties CTP-1 … CTP-8 of the context-tracking model (docs/models/context-tracking.md section 7).
import { bool, int } from '../src/lang/domain.ts';
import { property } from '../src/lang/property.ts';
import { arrayOf, own, perCpu } from '../src/lang/schema.ts';
import { ids, NONIDLE, watching } from '../models/context-tracking/state.ts';


/**
 * Monitors report through `fail`, which first sets the ghost bit `failed`: the violating transition
 * then always reaches a new state, so its counterexample ends with the violating step (a violation
 * on a transition into an already stored state would be reported with that state's earlier path).
 */
const fail = (g: any, x: { fail(r: string): void }, reason: string): void => {
  g.failed = true;
  x.fail(reason);
};
const failed = { failed: bool() };

const MODELS = ['context-tracking'];
const K = ids.ctx;
const ctxName = (v: number) => ['KERNEL', 'IDLE', 'USER', 'GUEST'][v];

/** The counters an interrupt must restore: (watching, nesting, nmi_nesting) packed. */
const pack = (me: any) => (me.w & 1) + 2 * (me.nesting + 3 * me.nmiNesting);

export default [
  property({
    name: 'CTP-1',
    statement: 'Code that may use RCU (instrumentable code, readers, IRQ and NMI handler bodies) runs only while RCU is watching the CPU.',
    ref: 'docs/models/context-tracking.md CTP-1; rcu_is_watching()',
    models: MODELS,
    ghost: () => failed,
    on: {
      Instr: (s, g, x, c) => {
        const me = s.cpu[c];
        if (!watching(me.w)) fail(g, x, `cpu${c} runs instrumentable code while RCU is not watching (ctx ${ctxName(me.ctx)}, nesting ${me.nesting}, nmi_nesting ${me.nmiNesting})`);
      },
    },
  }),
  property({
    name: 'CTP-2',
    statement: 'User instructions run only with ctx = USER (and not watching when active), guest instructions only with ctx = GUEST, process-level instrumentable kernel code only with ctx = KERNEL, and IRQ handlers never with ctx = USER.',
    ref: 'docs/models/context-tracking.md CTP-2 (CT-2)',
    models: MODELS,
    ghost: () => failed,
    // Per CPU: each CPU's part reads its own struct context_tracking and mode only.
    each: 'cpu',
    reads: ['cpu.mode', 'cpu.ctx', 'cpu.active', 'cpu.w'],
    check: (s, _g, _p, _f, c) => {
      const me = s.cpu[c];
      if (me.mode === ids.mode.user && (me.ctx !== K.USER || (me.active && watching(me.w)))) {
        return `cpu${c} executes user code with ctx ${ctxName(me.ctx)}${watching(me.w) ? ', RCU watching' : ''}`;
      }
      if (me.mode === ids.mode.guest && me.ctx !== K.GUEST) return `cpu${c} executes guest code with ctx ${ctxName(me.ctx)}`;
      return null;
    },
    on: {
      Instr: (s, g, x, c) => {
        const me = s.cpu[c];
        if (me.depth === 0 && me.ctx !== K.KERNEL) fail(g, x, `cpu${c} runs instrumentable kernel code in process context with ctx ${ctxName(me.ctx)}`);
        // An IRQ handler never sees ctx USER: from user mode the entry left USER first, and kernel
        // code with ctx USER runs with IRQs off. Only an NMI may observe that window.
        else if (!me.inNmi && me.ctx === K.USER) fail(g, x, `cpu${c} runs an IRQ handler with ctx USER although it interrupted kernel code`);
      },
    },
  }),
  property({
    name: 'CTP-3',
    statement:
      'Counter discipline: ct_nmi_exit finds nmi_nesting > 0 and RCU watching; ct_kernel_exit runs with nmi_nesting = N; ct_kernel_enter with nesting = 0 ⇔ not watching; every IRQ/NMI restores (watching, nesting, nmi_nesting); outside ct_* bodies watching ⇔ nesting > 0 ∨ nmi_nesting > 0.',
    ref: 'docs/models/context-tracking.md CTP-3; kernel/context_tracking.c WARN_ONs',
    models: MODELS,
    // The per-CPU ghost record is the CPU's own: only the events of its own ct_* code and interrupts
    // (emitted by its steps, with its index) write it. So each CPU's part of the invariant reads only
    // what that CPU writes.
    ghost: (p) => ({ ...failed, cpu: perCpu(p.cpus, { inCt: own(int(0, 4)), at: arrayOf(p.nesting, { v: own(int(0, 2 * 3 * (NONIDLE + 2 * p.nesting + 1))) }, null) }) }),
    each: 'cpu',
    reads: ['cpu.w', 'cpu.nesting', 'cpu.nmiNesting', '$ghost'],
    check: (s, g, _p, _f, c) => {
      const me = s.cpu[c];
      if (g.cpu[c].inCt === 0 && watching(me.w) !== (me.nesting > 0 || me.nmiNesting > 0)) {
        return `cpu${c}: RCU ${watching(me.w) ? 'watching' : 'not watching'} with nesting ${me.nesting}, nmi_nesting ${me.nmiNesting} outside the ct_* code`;
      }
      return null;
    },
    on: {
      CtBody: (_s, g, _x, c, enter) => {
        g.cpu[c].inCt = g.cpu[c].inCt + (enter ? 1 : -1);
      },
      KernelExit: (s, g, x, c) => {
        if (s.cpu[c].nmiNesting !== NONIDLE) fail(g, x, `cpu${c}: ct_kernel_exit() with nmi_nesting ${s.cpu[c].nmiNesting} (inside an IRQ/NMI)`);
      },
      KernelEnter: (s, g, x, c) => {
        const me = s.cpu[c];
        if ((me.nesting === 0) === watching(me.w)) fail(g, x, `cpu${c}: ct_kernel_enter() with nesting ${me.nesting} while RCU is ${watching(me.w) ? '' : 'not '}watching`);
      },
      NmiExit: (s, g, x, c) => {
        const me = s.cpu[c];
        if (me.nmiNesting <= 0 || !watching(me.w)) fail(g, x, `cpu${c}: ct_nmi_exit() with nmi_nesting ${me.nmiNesting}, RCU ${watching(me.w) ? '' : 'not '}watching`);
      },
      IntEnter: (s, g, _x, c, level) => {
        g.cpu[c].at[level].v = pack(s.cpu[c]);
      },
      IntDone: (s, g, x, c, level) => {
        if (g.cpu[c].at[level].v !== pack(s.cpu[c])) fail(g, x, `cpu${c}: the interrupt at level ${level} did not restore (watching, nesting, nmi_nesting)`);
        g.cpu[c].at[level].v = 0;
      },
    },
  }),
  property({
    name: 'CTP-4',
    statement:
      'An IRQ from user mode finds ctx = USER and one from kernel mode ctx ≠ USER; after __enter_from_user_mode RCU watches with ctx = KERNEL; the return to user happens with ctx = USER (not watching when active).',
    ref: 'docs/models/context-tracking.md CTP-4 (CT-2); CT_WARN_ON in __enter_from_user_mode',
    models: MODELS,
    ghost: () => failed,
    on: {
      IrqEntry: (s, g, x, c, fromUser) => {
        const ctx = s.cpu[c].ctx;
        if (fromUser && ctx !== K.USER) fail(g, x, `cpu${c}: IRQ with user-mode registers while ctx ${ctxName(ctx)}`);
        if (!fromUser && ctx === K.USER) fail(g, x, `cpu${c}: IRQ with kernel-mode registers while ctx USER`);
      },
      EnteredKernel: (s, g, x, c) => {
        const me = s.cpu[c];
        if (!watching(me.w) || me.ctx !== K.KERNEL) fail(g, x, `cpu${c}: after __enter_from_user_mode ctx ${ctxName(me.ctx)}, RCU ${watching(me.w) ? '' : 'not '}watching`);
      },
      ReturnToUser: (s, g, x, c) => {
        const me = s.cpu[c];
        if (me.ctx !== K.USER || (me.active && watching(me.w))) fail(g, x, `cpu${c}: returns to user mode with ctx ${ctxName(me.ctx)}${watching(me.w) ? ', RCU watching' : ''}`);
      },
    },
  }),
  property({
    name: 'CTP-5',
    statement: 'schedule() is never entered with ctx = USER.',
    ref: 'docs/models/context-tracking.md CTP-5 (CT-2 with preemption on IRQ exit)',
    models: MODELS,
    ghost: () => failed,
    on: {
      Schedule: (s, g, x, c) => {
        if (s.cpu[c].ctx !== K.KERNEL) fail(g, x, `cpu${c} enters schedule() with ctx ${ctxName(s.cpu[c].ctx)}`);
      },
    },
  }),
  property({
    name: 'CTP-6',
    statement: 'No RCU reader that started before a grace period began is still running when the grace period completes (the updater frees what it uses).',
    ref: 'docs/models/context-tracking.md CTP-6 (CT-1)',
    models: MODELS,
    ghost: (p) => ({ ...failed, cpu: perCpu(p.cpus, { readers: int(0, (1 << (p.nesting + 1)) - 1), preGp: int(0, (1 << (p.nesting + 1)) - 1) }) }),
    on: {
      ReaderStart: (_s, g, _x, c, level) => {
        g.cpu[c].readers = g.cpu[c].readers | (1 << level);
      },
      ReaderEnd: (_s, g, _x, c, level) => {
        g.cpu[c].readers = g.cpu[c].readers & ~(1 << level);
        g.cpu[c].preGp = g.cpu[c].preGp & ~(1 << level);
      },
      GpStart: (_s, g) => {
        for (const r of g.cpu) r.preGp = r.readers;
      },
      GpEnd: (_s, g, x) => {
        for (let c = 0; c < g.cpu.length; c++) {
          const m = g.cpu[c].preGp;
          if (m !== 0) fail(g, x, `the grace period completed while a reader on cpu${c} (level ${31 - Math.clz32(m)}) that started before it still uses the object the updater now frees`);
        }
      },
    },
  }),
  property({
    name: 'CTP-7',
    statement: 'A nohz_full CPU does not enter the user EQS with a deferred wakeup (irq_work) queued but not raised.',
    ref: 'docs/models/context-tracking.md CTP-7; rcu_irq_work_resched()',
    models: MODELS,
    ghost: () => failed,
    on: {
      EqsEnter: (s, g, x, c, ctx) => {
        const me = s.cpu[c];
        if (ctx === K.USER && me.active && me.irqWork === ids.work.queued) fail(g, x, `cpu${c} enters the user EQS with a deferred wakeup still queued`);
      },
    },
  }),
  property({
    name: 'CTP-8',
    statement: 'ctx = USER only on the CPU that runs the user task, and the task returns to user on any CPU (after sleeping and migrating) with that CPU at ctx = USER, active or not.',
    ref: 'docs/models/context-tracking.md CTP-8; __ct_user_enter comment on migration',
    models: MODELS,
    ghost: () => failed,
    reads: ['cpu.ctx', 'cpu.runsTask', 'task.cpu'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        if (s.cpu[c].ctx === K.USER && !(s.cpu[c].runsTask && s.task.cpu === c)) return `cpu${c} is left with ctx USER but does not run the user task`;
      }
      return null;
    },
    on: {
      ReturnToUser: (s, g, x, c) => {
        if (s.cpu[c].ctx !== K.USER) fail(g, x, `the task returns to user mode on cpu${c} with ctx ${ctxName(s.cpu[c].ctx)}`);
      },
    },
  }),
];
