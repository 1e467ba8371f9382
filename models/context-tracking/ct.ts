// The context-tracking primitives of kernel/context_tracking.c (docs/models/context-tracking.md section 3). All run
// with IRQs off; each numbered line of the guide that touches ct state is one step, because an NMI may
// land between any two of them and read or modify the same per-CPU state.
// Events: CtBody (+1 on entry, -1 on return: CTP-3 checks counters only outside these bodies),
// KernelExit / KernelEnter / NmiExit (the WARN_ONs of CTP-3), EqsEnter (CTP-7).
import { int } from '../../src/lang/domain.ts';
import { seq, step, type StepCtx } from '../../src/lang/model.ts';
import { ids, NONIDLE, watching } from './state.ts';

const K = ids.ctx;

function leave(x: StepCtx, c: number): void {
  x.emit('CtBody', c, 0);
}

export const ctProcedures = () => [
  // ct_kernel_exit(user, offset): process context enters an extended quiescent state (ctArg).
  seq<any>('ct_kernel_exit', 'cpu', [
    step<any>('KX2', 'WARN_ON_ONCE(ct_nmi_nesting() != CT_NESTING_IRQ_NONIDLE); WRITE_ONCE(ct->nmi_nesting, 0)', {
      do: (s, c, x) => {
        x.emit('CtBody', c, 1);
        x.emit('KernelExit', c);
        s.cpu[c].nmiNesting = 0;
      },
    }),
    step<any>('KX3', 'if (ct_nesting() != 1) { ct->nesting--; return; }  (an outer process-level entry remains)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (me.nesting !== 1) {
          me.nesting = me.nesting - 1;
          me.ctArg = K.KERNEL;
          leave(x, c);
          x.ret();
        }
      },
    }),
    step<any>('KX5', 'rcu_preempt_deferred_qs(current); WRITE_ONCE(ct->nesting, 0)', {
      do: (s, c) => {
        s.cpu[c].nesting = 0;
      },
    }),
    step<any>('KX6', 'ct_kernel_exit_state(): ct_state_inc(CT_RCU_WATCHING + ctx_new) — fully ordered; RCU stops watching', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        me.w = (me.w + 1) & 3;
        me.ctx = me.ctArg;
        x.emit('EqsEnter', c, me.ctArg);
        me.ctArg = K.KERNEL;
        leave(x, c);
      },
    }),
  ]),
  // ct_kernel_enter(user, offset): process context leaves the extended quiescent state ctArg.
  seq<any>('ct_kernel_enter', 'cpu', [
    step<any>('KE1', 'if (ct_nesting()) { ct->nesting++; return; }', {
      do: (s, c, x) => {
        x.emit('CtBody', c, 1);
        x.emit('KernelEnter', c);
        const me = s.cpu[c];
        if (me.nesting !== 0) {
          me.nesting = me.nesting + 1;
          leave(x, c);
          x.ret();
        }
      },
    }),
    step<any>('KE2', 'ct_kernel_enter_state(): ct_state_inc(CT_RCU_WATCHING - ctx_old) — fully ordered; RCU watches, ctx = KERNEL', {
      fence: true,
      do: (s, c) => {
        const me = s.cpu[c];
        me.w = (me.w + 1) & 3;
        me.ctx = K.KERNEL;
      },
    }),
    step<any>('KE3', 'WRITE_ONCE(ct->nesting, 1)', {
      do: (s, c) => {
        s.cpu[c].nesting = 1;
      },
    }),
    step<any>('KE4', 'WARN_ON_ONCE(ct_nmi_nesting()); WRITE_ONCE(ct->nmi_nesting, CT_NESTING_IRQ_NONIDLE)', {
      do: (s, c, x) => {
        s.cpu[c].nmiNesting = NONIDLE;
        leave(x, c);
      },
    }),
  ]),
  // ct_nmi_enter() (also ct_irq_enter(), which calls it): `incby` is its local, one per frame, so an
  // NMI-like exception that lands between NE2 and NE3 runs its own ct_nmi_enter with its own incby.
  seq<any>('ct_nmi_enter', 'cpu', [
    step<any>('NE2', 'if (!rcu_is_watching_curr_cpu()) { ct_state_inc(CT_RCU_WATCHING); incby = 1; } else incby = 2', {
      fence: true,
      do: (s, c, x) => {
        x.emit('CtBody', c, 1);
        const me = s.cpu[c];
        if (!watching(me.w)) {
          me.w = (me.w + 1) & 3;
          x.locals.incby = 1;
        } else x.locals.incby = 2;
      },
    }),
    step<any>('NE3', 'WRITE_ONCE(ct->nmi_nesting, ct_nmi_nesting() + incby)  (re-read: a nested NMI may have come and gone)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        me.nmiNesting = me.nmiNesting + x.locals.incby;
        leave(x, c);
      },
    }),
  ], { locals: { incby: int(0, 2) } }),
  // ct_nmi_exit() (also ct_irq_exit()).
  seq<any>('ct_nmi_exit', 'cpu', [
    step<any>('NX2', 'WARN_ON(ct_nmi_nesting() <= 0 || !rcu_is_watching_curr_cpu()); if (ct_nmi_nesting() != 1) { nmi_nesting -= 2; return; }', {
      do: (s, c, x) => {
        x.emit('CtBody', c, 1);
        x.emit('NmiExit', c);
        const me = s.cpu[c];
        if (me.nmiNesting !== 1) {
          me.nmiNesting = me.nmiNesting - 2;
          leave(x, c);
          x.ret();
        }
      },
    }),
    step<any>('NX3', 'WRITE_ONCE(ct->nmi_nesting, 0)', {
      do: (s, c) => {
        s.cpu[c].nmiNesting = 0;
      },
    }),
    step<any>('NX4', 'ct_state_inc(CT_RCU_WATCHING) — fully ordered; RCU stops watching again', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        me.w = (me.w + 1) & 3;
        leave(x, c);
      },
    }),
  ]),
  // __ct_user_enter(state), state = ctArg ∈ {USER, GUEST}.
  seq<any>('__ct_user_enter', 'cpu', [
    step<any>('UE1', 'if (__ct_state() != state && ct->active && state == CT_STATE_USER) rcu_irq_work_resched(): raise a pending irq_work as a self-IPI', {
      do: (s, c) => {
        const me = s.cpu[c];
        if (me.ctx !== me.ctArg && me.active && me.ctArg === K.USER && me.irqWork === ids.work.queued) me.irqWork = ids.work.raised;
      },
    }),
    step<any>('UE2', 'if (__ct_state() != state) { active ? ct_kernel_exit(true, CT_RCU_WATCHING + state) : atomic_add(state, &ct->state) }', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (me.ctx !== me.ctArg && me.active) {
          x.call('ct_kernel_exit'); // consumes ctArg
          return;
        }
        if (me.ctx !== me.ctArg) me.ctx = me.ctArg; // ctx is maintained on every CPU, active or not (the migration case)
        me.ctArg = K.KERNEL;
      },
    }),
  ]),
  // __ct_user_exit(state).
  seq<any>('__ct_user_exit', 'cpu', [
    step<any>('UX1', 'if (__ct_state() == state) { active ? ct_kernel_enter(true, CT_RCU_WATCHING - state) : atomic_sub(state, &ct->state) }', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        const match = me.ctx === me.ctArg;
        me.ctArg = K.KERNEL;
        if (!match) return;
        if (me.active) x.call('ct_kernel_enter');
        else me.ctx = K.KERNEL;
      },
    }),
  ]),
  // ct_idle_enter() / ct_idle_exit() = ct_kernel_exit/enter(false, CT_RCU_WATCHING ± CT_STATE_IDLE).
  seq<any>('ct_idle_enter', 'cpu', [
    step<any>('CI1', 'ct_cpuidle_enter() → ct_idle_enter(): ct_kernel_exit(false, CT_RCU_WATCHING + CT_STATE_IDLE)', {
      do: (s, c, x) => {
        s.cpu[c].ctArg = K.IDLE;
        x.call('ct_kernel_exit');
      },
    }),
  ]),
  seq<any>('ct_idle_exit', 'cpu', [
    step<any>('CO1', 'ct_cpuidle_exit() → ct_idle_exit(): ct_kernel_enter(false, CT_RCU_WATCHING - CT_STATE_IDLE)', {
      do: (_s, _c, x) => {
        x.call('ct_kernel_enter');
      },
    }),
  ]),
];
