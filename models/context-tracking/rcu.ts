// RCU (docs/models/context-tracking.md section 5): read-side critical sections on the CPUs, and the updater with
// the grace-period kthread as one actor. The updater unpublishes object O and waits for a grace period
// G (synchronize_rcu); the GP kthread reports a quiescent state for a CPU whose context-tracking
// counter says it is in an EQS (rcu_watching_snap_save) or has passed through one since the snapshot
// (rcu_watching_snap_recheck); ticks and context switches report the others (reportQs). When every
// CPU has reported, G completes and the updater frees O.
// Events: ReaderStart / ReaderEnd (cpu, nesting level), GpStart, GpEnd (CTP-6).
import { rules, seq, step } from '../../src/lang/model.ts';
import { ids, watching } from './state.ts';

export const rcuProcedures = (p: { cpus: number }) => [
  seq<any>('rcu_read_section', 'cpu', [
    step<any>('RD1', 'rcu_read_lock() [preempt_disable() in process context]; p = rcu_dereference(gp): use O', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        x.emit('Instr', c);
        x.emit('ReaderStart', c, me.depth);
        if (me.depth === 0) me.preemptCount = 1;
      },
    }),
    step<any>('RD2', 'rcu_read_unlock(); a deferred wakeup of this CPU is left queued as irq_work (rcu_preempt_deferred_qs / nocb)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        x.emit('ReaderEnd', c, me.depth);
        if (me.depth === 0) {
          me.preemptCount = 0;
          if (me.irqWork === ids.work.none) me.irqWork = ids.work.queued;
        }
      },
    }),
  ]),
  rules<any>('rcu_gp_kthread', 'gp', [
    step<any>('GP1', 'updater: rcu_assign_pointer(gp, NULL); synchronize_rcu() → rcu_gp_init(): grace period G starts, every online CPU owes a quiescent state', {
      when: (s) => s.rcu.phase === ids.gp.idle,
      do: (s, _a, x) => {
        s.rcu.phase = ids.gp.waiting;
        s.rcu.qsmask = (1 << p.cpus) - 1;
        x.emit('GpStart');
      },
    }),
    step<any>('GP2', 'rcu_gp_fqs() → rcu_watching_snap_save(X): snap = ct_rcu_watching_cpu_acquire(X); in an EQS ⇒ report a QS for X', {
      choose: { name: 'X', count: p.cpus, of: 'cpu' },
      when: (s, _a, x) => s.rcu.phase === ids.gp.waiting && (s.rcu.qsmask & (1 << x.choice)) !== 0 && (s.rcu.snapped & (1 << x.choice)) === 0,
      do: (s, _a, x) => {
        const X = x.choice;
        const w = s.cpu[X].w;
        if (!watching(w)) s.rcu.qsmask = s.rcu.qsmask & ~(1 << X);
        else {
          s.rcu.snap[X].w = w;
          s.rcu.snapped = s.rcu.snapped | (1 << X);
        }
      },
    }),
    step<any>('GP3', 'rcu_gp_fqs() → rcu_watching_snap_recheck(X): the counter moved since the snapshot ⇒ X passed an EQS: report a QS', {
      choose: { name: 'X', count: p.cpus, of: 'cpu' },
      when: (s, _a, x) => s.rcu.phase === ids.gp.waiting && (s.rcu.qsmask & (1 << x.choice)) !== 0 && (s.rcu.snapped & (1 << x.choice)) !== 0 && s.cpu[x.choice].w !== s.rcu.snap[x.choice].w,
      do: (s, _a, x) => {
        s.rcu.qsmask = s.rcu.qsmask & ~(1 << x.choice);
      },
    }),
    step<any>('GP4', 'rcu_gp_cleanup(): every CPU reported, G completes; synchronize_rcu() returns and the updater frees O', {
      when: (s) => s.rcu.phase === ids.gp.waiting && s.rcu.qsmask === 0,
      do: (s, _a, x) => {
        s.rcu.phase = ids.gp.done;
        s.rcu.snapped = 0;
        for (let X = 0; X < p.cpus; X++) s.rcu.snap[X].w = 0;
        x.emit('GpEnd');
      },
    }),
  ]),
];
