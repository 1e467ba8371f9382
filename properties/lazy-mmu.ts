// Properties L1 … L8 of the lazy-mmu model (docs/models/lazy-mmu.md section 6).
import { bool, int } from '../src/lang/domain.ts';
import { property } from '../src/lang/property.ts';
import { arrayOf } from '../src/lang/schema.ts';
import { ids, noTask, taskActive } from '../models/lazy-mmu/state.ts';


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

const MODELS = ['lazy-mmu'];
/** Who holds the arch lazy state: the task on arm64 (TIF_LAZY_MMU), the CPU elsewhere. */
const perArch = (x: { flags: { arch?: unknown } }) => (x.flags.arch === 'arm64' ? 'task' : 'cpu');

export default [
  property({
    name: 'L1',
    statement: 'arch_enter only when the arch lazy state is off and arch_leave only when it is on (the Xen BUG_ONs, the arm64 nesting warning), unless this kernel tolerates nesting there (powerpc and sparc check neither).',
    ref: 'docs/models/lazy-mmu.md L1 (LMMU-1, LMMU-2, LMMU-3)',
    models: MODELS,
    ghost: () => failed,
    on: {
      ArchEnter: (s, g, x, who, wasLazy, tolerated) => {
        if (wasLazy && !tolerated) fail(g, x, `arch enter while ${perArch(x)}${who} is already in a lazy mode (BUG_ON / nesting warning)`);
      },
      ArchLeave: (s, g, x, who, wasLazy, tolerated) => {
        if (!wasLazy && !tolerated) fail(g, x, `arch leave while ${perArch(x)}${who} is not in that lazy mode (BUG_ON)`);
      },
    },
  }),
  property({
    name: 'L2',
    statement: 'When lazy_mmu_mode_disable() or pause() returns, every page-table update the task issued before has taken effect.',
    ref: 'docs/models/lazy-mmu.md L2',
    models: MODELS,
    ghost: () => failed,
    on: {
      Flushed: (s, g, x, t) => {
        if (s.task[t].tifPending) return fail(g, x, `task${t} closed its section with TIF_LAZY_MMU_PENDING still set (barriers not emitted)`);
        for (let c = 0; c < s.cpu.length; c++) {
          const me = s.cpu[c];
          if ((me.mcOwner === t && me.mcCount > 0) || (me.batchOwner === t && me.batchN > 0)) return fail(g, x, `task${t} closed its section with its updates still batched on cpu${c}`);
        }
      },
    },
  }),
  property({
    name: 'L3',
    statement: 'enable_count is unchanged across a pause/resume pair and lazy mode is active after resume() exactly when it was before pause().',
    ref: 'docs/models/lazy-mmu.md L3',
    models: MODELS,
    ghost: (p) => ({ ...failed, task: arrayOf(p.tasks, { enable: int(0, p.counts), active: bool() }, 'task') }),
    on: {
      PauseBegin: (s, g, _x, t) => {
        g.task[t].enable = s.task[t].enableCount;
        g.task[t].active = taskActive(s.task[t]);
      },
      ResumeEnd: (s, g, x, t) => {
        const tk = s.task[t];
        if (tk.enableCount !== g.task[t].enable || taskActive(tk) !== g.task[t].active) fail(g, x, `task${t}: resume() left enable_count ${tk.enableCount} (was ${g.task[t].enable} at pause())`);
        g.task[t].enable = 0;
        g.task[t].active = false;
      },
    },
  }),
  property({
    name: 'L4',
    statement: 'Page-table updates issued in interrupt context take effect immediately and never land in the interrupted task\'s batch.',
    ref: 'docs/models/lazy-mmu.md L4; is_lazy_mmu_mode_active(), xen_get_lazy_mode()',
    models: MODELS,
    ghost: () => failed,
    on: {
      IrqPte: (_s, g, x, c, deferred) => {
        if (deferred) fail(g, x, `an interrupt's PTE update on cpu${c} was deferred`);
      },
    },
  }),
  property({
    name: 'L5',
    statement: 'A per-CPU batch holds only entries of the task that armed it on that CPU, and a task leaves a CPU with none of its entries in that CPU\'s batch.',
    ref: 'docs/models/lazy-mmu.md L5',
    models: MODELS,
    ghost: () => failed,
    on: {
      BatchAdd: (s, g, x, c, t, owner) => {
        if (owner !== noTask(s) && owner !== t) fail(g, x, `task${t} adds to cpu${c}'s batch, which holds entries of task${owner}`);
      },
      Switched: (s, g, x, c, t) => {
        const me = s.cpu[c];
        if (t !== noTask(s) && ((me.mcOwner === t && me.mcCount > 0) || (me.batchOwner === t && me.batchN > 0))) fail(g, x, `task${t} was switched out of cpu${c} with entries in its batch`);
      },
    },
  }),
  property({
    name: 'L6',
    statement: 'Xen PV, generic layer: outside the E2–E3, D2–D3, PA2–PA3, RS2–RS3 windows and the context switch, xen_lazy_mode = MMU exactly when the current task\'s lazy mode is active.',
    ref: 'docs/models/lazy-mmu.md L6',
    models: MODELS,
    reads: ['cpu.switching', 'cpu.curr', 'cpu.xenMode', 'task.call', 'task.enableCount', 'task.pauseCount'],
    check: (s, _g, _p, f) => {
      if (f.arch !== 'xen' || f.layer !== 'generic') return null;
      for (let c = 0; c < s.cpu.length; c++) {
        const me = s.cpu[c];
        if (me.switching || me.curr === noTask(s)) continue;
        const tk = s.task[me.curr];
        if (tk.call !== ids.call.none) continue;
        if ((me.xenMode === ids.xen.MMU) !== taskActive(tk)) return `cpu${c}: xen_lazy_mode ${['NONE', 'MMU', 'CPU'][me.xenMode]} but task${me.curr} lazy mode is ${taskActive(tk) ? '' : 'in'}active`;
      }
      return null;
    },
  }),
  property({
    name: 'L7',
    statement: 'enable_count and pause_count stay within bounds: no overflow or underflow warning.',
    ref: 'docs/models/lazy-mmu.md L7',
    models: MODELS,
    ghost: () => failed,
    on: {
      CounterWarn: (_s, g, x, t, which) => fail(g, x, `task${t}: ${['enable_count overflow', 'enable_count underflow', 'pause_count overflow', 'pause_count underflow'][which]} warning`),
    },
  }),
  property({
    name: 'L8',
    statement: 'powerpc / sparc: no context switch away from a task inside a lazy section (preemption stays disabled): neither a preemption nor a blocking schedule() from a call that sleeps.',
    ref: 'docs/models/lazy-mmu.md L8',
    models: MODELS,
    ghost: () => failed,
    on: {
      Schedule: (s, g, x, c, t) => {
        if (t !== noTask(s) && (x.flags.arch === 'powerpc' || x.flags.arch === 'sparc') && s.task[t].preemptCount > 0) fail(g, x, `task${t} scheduled out of cpu${c} inside a lazy section`);
      },
    },
  }),
];
