// The CPU side (docs/models/lazy-mmu.md section 5, docs/models/xen-pv.md section 5): preemption (context_switch() with the Xen
// PV hooks xen_start_context_switch(prev) at CS2 and xen_end_context_switch(next) in __switch_to()
// before `current` changes), migration (a runnable task is picked by whichever CPU schedules), and
// interrupts whose kernel PTE updates bypass lazy mode.
// A task that blocks inside a section (might_sleep_callback) is switched out by CS1 whatever its
// preempt count. Events: Schedule (cpu, prev) for L8, Switched (cpu, prev) for L5, IrqPte (cpu, deferred) for L4.
// The idle task is task number p.tasks (the extra value of the task references).
import { rules, seq, step } from '../../src/lang/model.ts';
import { archEnter, archLeave, xenEnterLazy, xenLeaveLazy, xenMcFlush, type LazyFlags } from './arch.ts';
import { ids, noCpu, taskActive } from './state.ts';

const X = ids.xen;

export const cpuProcedures = (p: { cpus: number; tasks: number }, f: LazyFlags) => {
  const xen = f.arch === 'xen';
  const IDLE = p.tasks;
  return [
    seq<any>(
      'context_switch',
      'cpu',
      [
        step<any>('CS1', '__schedule(): preempt current (preempt_count() == 0), or current blocks (schedule() from a sleeping call, whatever its preempt_count: "scheduling while atomic" if > 0); pick next (a runnable task, or idle)', {
          jumps: ['CS6'],
          choose: { name: 'next', count: p.tasks + 1, of: null },
          when: (s, c, x) => {
            const me = s.cpu[c];
            const blocks = me.curr !== IDLE && s.task[me.curr].sleeping;
            if (me.curr !== IDLE && s.task[me.curr].preemptCount > 0 && !blocks) return false;
            if (x.choice < p.tasks) return s.task[x.choice].on === noCpu(s);
            // go idle: lets another CPU take the task (migration), or the current task blocks
            return me.curr !== IDLE && (p.cpus > 1 || blocks);
          },
          do: (s, c, x) => {
            const me = s.cpu[c];
            me.switching = true;
            me.prev = me.curr;
            me.next = x.choice;
            if (x.choice < p.tasks) s.task[x.choice].on = c; // dequeued under the runqueue lock
            x.emit('Schedule', c, me.prev);
            if (!xen) x.goto('CS6');
          },
        }),
        step<any>('XS1', 'xen_start_context_switch(prev): if (xen_get_lazy_mode() == XEN_LAZY_MMU) { arch_leave_lazy_mmu_mode(); [TIF re-arm] set_ti_thread_flag(prev, TIF_LAZY_MMU_UPDATES) }', {
          do: (s, c, x) => {
            const me = s.cpu[c];
            if (me.xenMode !== X.MMU) return;
            archLeave(s, c, me.prev === IDLE ? 0 : me.prev, x, f);
            if (f.xenSwitchRearm === 'tifFlag' && me.prev !== IDLE) s.task[me.prev].tifLazyMmuUpdates = true;
          },
        }),
        step<any>('XS2', 'enter_lazy(XEN_LAZY_CPU): BUG_ON(xen_lazy_mode != XEN_LAZY_NONE)', {
          do: (s, c, x) => xenEnterLazy(s, c, X.CPU, x, f),
        }),
        step<any>('XE1', 'xen_end_context_switch(next): xen_mc_flush(); leave_lazy(XEN_LAZY_CPU)', {
          do: (s, c, x) => {
            xenMcFlush(s, c);
            xenLeaveLazy(s, c, X.CPU, x);
          },
        }),
        step<any>('XE2', 'since 291b3abed657: if (__task_lazy_mmu_mode_active(next)); before: if (test_and_clear_ti_thread_flag(next, TIF_LAZY_MMU_UPDATES)) — arch_enter_lazy_mmu_mode()', {
          do: (s, c, x) => {
            const n = s.cpu[c].next;
            if (n === IDLE) return;
            const tk = s.task[n];
            let rearm: boolean;
            if (f.xenSwitchRearm === 'taskCounters') rearm = taskActive(tk);
            else {
              rearm = tk.tifLazyMmuUpdates;
              tk.tifLazyMmuUpdates = false;
            }
            if (rearm) archEnter(s, c, n, x, f);
          },
        }),
        step<any>('CS6', 'finish_task_switch(): current = next; prev is runnable on any CPU', {
          do: (s, c, x) => {
            const me = s.cpu[c];
            if (me.prev !== IDLE) {
              s.task[me.prev].on = noCpu(s);
              // A task that blocked is runnable again (its wakeup at any later time is covered by
              // the scheduler not picking it until then).
              s.task[me.prev].sleeping = false;
            }
            x.emit('Switched', c, me.prev);
            me.curr = me.next;
            me.prev = IDLE;
            me.next = IDLE;
            me.switching = false;
          },
        }),
      ],
      { entry: true },
    ),
    rules<any>('irq', 'cpu', [
      step<any>('IRQ', 'an interrupt handler writes a kernel PTE: lazy_mmu calls are no-ops in interrupt context; xen_get_lazy_mode() is NONE (xen_mc_issue flushes the buffer) / queue_pte_barriers() emits dsb; isb at once', {
        when: (s, c) => (f.arch === 'xen' || f.arch === 'arm64') && s.cpu[c].curr !== IDLE && !s.cpu[c].switching,
        do: (s, c, x) => {
          if (xen) xenMcFlush(s, c);
          x.emit('IrqPte', c, 0);
        },
      }),
    ]),
  ];
};
