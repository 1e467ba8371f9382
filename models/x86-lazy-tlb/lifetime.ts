// mm lifetime and task-level mm transitions (docs/steps/x86-lazy-tlb.md, "mm lifetime"): mmdrop / __mmdrop (pgd freed at
// the last reference; SHOOTDOWN: cleanup_lazy_tlbs first), exit_mm -> mmput -> __mmput -> exit_mmap,
// exec_mmap of a kernel thread (kernel_execve), kthread_use_mm / kthread_unuse_mm, CPU hotplug.
import { Life, Table } from './state.ts';
import { enterLazyTlb } from './switch.ts';
import { bit, rules, seq, step, type Env } from './env.ts';
import { freeTable, reportQs } from './rcu.ts';

/** mmdrop(mm) of the mm in mdMm: atomic_dec_and_test(&mm->mm_count); at 0 __mmdrop frees the pgd. */
export function mmdrop(e: Env) {
  const N = e.p.cpus;
  const shootdown = e.f.lazyRefs === 'shootdown';
  return seq('mmdrop', 'cpu', [
    step('MD1', 'atomic_dec_and_test(&mm->mm_count) [LOCK]', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (me.csDrop !== e.NULL) {
          me.mdMm = me.csDrop;
          me.csDrop = e.NULL;
        }
        const m = s.mm[me.mdMm];
        x.emit('MmDrop', c, me.mdMm);
        if (m.count > 0) m.count = m.count - 1;
        if (m.count > 0) {
          me.mdMm = e.NULL;
          x.ret();
          return;
        }
        if (!shootdown) {
          // __mmdrop -> mm_free_pgd (nothing another CPU does can intervene at count 0)
          m.life = Life.ids.dead;
          x.emit('PgdFree', c, me.mdMm);
          me.mdMm = e.NULL;
          x.ret();
        }
      },
    }),
    step('MD2', 'cleanup_lazy_tlbs(mm): on_each_cpu_mask(mm_cpumask(mm), do_shoot_lazy_tlb, mm, wait) [SHOOTDOWN]', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        const mask = s.mm[me.mdMm].cpumask;
        x.emit('FinalDrop', c, me.mdMm);
        x.fence();
        for (let d = 0; d < N; d++) if (d !== c && s.cpu[d].online && mask & bit(d)) s.cpu[d].shootCsd = s.cpu[d].shootCsd | bit(c);
        if (mask & bit(c)) {
          me.irqsOn = false;
          me.shFrom = c;
          x.call('do_shoot_lazy_tlb');
        }
      },
    }),
    step('SDWAIT', 'wait for every do_shoot_lazy_tlb', {
      when: (s, c) => {
        for (let d = 0; d < N; d++) if (s.cpu[d].shootCsd & bit(c)) return false;
        return true;
      },
      do: (s, c, x) => x.emit('CleanupDone', c, s.cpu[c].mdMm),
    }),
    step('MD3', '__mmdrop: mm_free_pgd(mm)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        s.mm[me.mdMm].life = Life.ids.dead;
        x.emit('PgdFree', c, me.mdMm);
        me.mdMm = e.NULL;
      },
    }),
  ]);
}

/**
 * do_shoot_lazy_tlb(mm) on a CPU of the mask (SHOOTDOWN): a lazy user of mm switches to init_mm.
 *
 * SHOOTDOWN on this x86 skeleton breaks P6, and that is a genuine consequence, not a modelling error.
 * MMU_LAZY_TLB_SHOOTDOWN's Kconfig requires "mm_cpumask must include at least all possible CPUs in
 * which the mm is lazy", i.e. every CPU whose current->active_mm is the mm (cleanup_lazy_tlbs IPIs
 * only mm_cpumask, and do_shoot_lazy_tlb tests current->active_mm == mm). x86's mm_cpumask tracks
 * loaded_mm / CR3, not active_mm: a lazy CPU that a flush IPI moves to init_mm (flush_tlb_func T4:
 * switch_mm_irqs_off(NULL, &init_mm, NULL), current->active_mm untouched) has its bit cleared by the
 * next flush (T1 since v6.14: f->mm != loaded_mm; before, CLRPREV inside that same switch), while its
 * kthread still has active_mm == mm. The final mmdrop then misses it, the mm is freed, and the
 * kthread's later kernel->user switch hands the freed mm to finish_task_switch
 * (membarrier_mm_sync_core_before_usermode reads mm->membarrier_state). powerpc radix, which selects
 * SHOOTDOWN, never leaves a CPU's bit while active_mm is the mm: its exit_lazy_flush_tlb sets
 * current->active_mm = &init_mm (with the lazy-tlb references) before it clears the CPU from
 * mm_cpumask. x86 selects the REFCOUNT scheme, where the lazy reference keeps the mm alive.
 */
export function doShootLazyTlb(e: Env) {
  return [
    rules('ipi_shoot', 'cpu', [
      step('SHOOT', 'do_shoot_lazy_tlb IPI taken (IRQs on)', {
        choose: { name: 'from', count: e.p.cpus, of: 'cpu' },
        when: (s, c, x) => s.cpu[c].irqsOn && (s.cpu[c].shootCsd & bit(x.choice)) !== 0,
        do: (s, c, x) => {
          s.cpu[c].irqsOn = false;
          s.cpu[c].shFrom = x.choice;
          x.call('do_shoot_lazy_tlb');
        },
      }),
    ]),
    seq('do_shoot_lazy_tlb', 'cpu', [
      step('SH1', 'if (current->active_mm == mm) { current->active_mm = &init_mm; switch_mm(mm, &init_mm, current) }', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (me.activeMm === s.cpu[me.shFrom].mdMm) {
            me.activeMm = e.INIT;
            me.swNext = e.INIT;
            x.call('switch_mm_irqs_off');
          }
        },
      }),
      step('SH2', 'csd_unlock; IRQs back on', {
        do: (s, c) => {
          const me = s.cpu[c];
          if (me.shFrom !== c) me.shootCsd = me.shootCsd & ~bit(me.shFrom);
          me.shFrom = e.NOCPU;
          me.irqsOn = true;
        },
      }),
    ]),
  ];
}

/** Call mmdrop_lazy_tlb(mm) from a step: REFCOUNT: mmdrop; SHOOTDOWN: smp_mb() only. */
function dropLazy(s: any, c: number, x: any, mm: number, e: Env): void {
  if (mm >= e.M) return;
  if (e.f.lazyRefs === 'shootdown') {
    x.fence();
    return;
  }
  s.cpu[c].mdMm = mm;
  x.call('mmdrop');
}

/** mmput(cpu.putMm) from a step: atomic_dec_and_test(&mm->mm_users); the last user runs __mmput (exit_mmap). */
export function mmput(s: any, c: number, x: any, e: Env): void {
  const me = s.cpu[c];
  const m = s.mm[me.putMm];
  m.users = m.users - 1;
  if (m.users > 0) me.putMm = e.NULL;
  else x.call('exit_mmap');
}

/** exit_mm(): the exiting task keeps its mm as a lazy active_mm, then mmput(); the last user runs __mmput. */
export function exitMm(e: Env) {
  return [
    seq(
      'exit_mm',
      'cpu',
      [
        // EM1-EM3 in one step: the mm_count increment commutes with everything but another mmdrop,
        // and the task still holds an mm_users reference, so no other CPU can drop the last reference
        step('EM3', 'mmgrab_lazy_tlb(mm) [LOCK] (EM1); local_irq_disable(); current->mm = NULL; enter_lazy_tlb(mm, current); local_irq_enable()', {
          when: (s, c) => s.exits > 0 && s.cpu[c].online && !s.cpu[c].currKthread && s.cpu[c].currMm < e.M,
          fence: true,
          do: (s, c) => {
            const me = s.cpu[c];
            s.exits = s.exits - 1;
            me.putMm = me.currMm;
            if (e.f.lazyRefs === 'refcount') s.mm[me.currMm].count = s.mm[me.currMm].count + 1;
            me.currMm = e.NULL;
            me.currKthread = true; // from here the dying task runs kernel code only, lazily on mm
            enterLazyTlb(s, c, e);
          },
        }),
        step('EM5', 'mmput(mm): atomic_dec_and_test(&mm->mm_users) [LOCK]; at 0 __mmput', { fence: true, do: (s, c, x) => mmput(s, c, x, e) }),
      ],
      { entry: true },
    ),
    seq('exit_mmap', 'cpu', [
      step('EXM1', 'exit_mmap: unmap_vmas, free_pgtables: PTEs and the PMD cleared (tlb->freed_tables)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          const m = s.mm[me.putMm];
          for (let y = 0; y < e.p.pages; y++) m.ptv[y].v = m.ptv[y].v + 1;
          const unlink = m.table === Table.ids.linked;
          if (unlink) m.table = Table.ids.unlinked;
          me.fMm = me.putMm;
          me.fPage = e.ALL;
          me.fFreed = true;
          me.fUnlink = unlink;
          x.emit('FlushStart', c, me.putMm, e.ALL);
          x.call('flush_tlb_mm_range');
        },
      }),
      step('EXM2', e.f.tableFree === 'rcu' ? 'tlb_finish_mmu -> tlb_table_flush: call_rcu(tlb_remove_table_rcu) for the table page (after the flush); mmdrop(mm): the reference of all mm_users' : 'tlb_finish_mmu -> tlb_flush_mmu_free: the table page (tlb_remove_page) is freed after the flush; mmdrop(mm): the reference of all mm_users', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (me.fUnlink) freeTable(s, c, me.putMm, e.f.tableFree === 'rcu', x, e);
          me.fUnlink = false;
          me.mdMm = me.putMm;
          me.putMm = e.NULL;
          x.call('mmdrop');
        },
      }),
    ]),
  ];
}

/** exec_mmap(mm) by a kernel thread (kernel_execve, e.g. a usermode helper): old_mm = NULL. */
export function execMmap(e: Env) {
  const irqsOffRead = e.f.execIrqsOff;
  return seq(
    'exec_mmap',
    'cpu',
    [
      step('EX1', irqsOffRead ? 'old_mm = current->mm (NULL); task_lock(tsk)' : 'old_mm = current->mm (NULL); task_lock(tsk); active_mm = tsk->active_mm (preemptible)', {
        when: (s, c) => {
          const me = s.cpu[c];
          if (!me.online || !me.currKthread || me.currMm < e.M) return false;
          for (let m = 0; m < e.M; m++) if (s.mm[m].life === Life.ids.unborn) return true;
          return false;
        },
        do: (s, c) => {
          const me = s.cpu[c];
          let n = 0;
          while (s.mm[n].life !== Life.ids.unborn) n++;
          // the new mm from bprm_mm_init: one user, one mm_count reference, its page tables
          const m = s.mm[n];
          m.life = Life.ids.live;
          m.users = 1;
          m.count = 1;
          m.table = Table.ids.linked;
          me.exNew = n;
          if (!irqsOffRead) me.exOld = me.activeMm;
          me.preemptible = true;
        },
      }),
      step('EX3', irqsOffRead ? 'local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm' : 'tsk->mm = mm; tsk->active_mm = mm (IRQs on: before d53c3dfb23c4)', {
        do: (s, c) => {
          const me = s.cpu[c];
          me.preemptible = false;
          // before d53c3dfb23c4 (v5.10) IRQs stay on here; activate_mm's switch_mm disables them (EX4)
          if (irqsOffRead) me.irqsOn = false;
          if (irqsOffRead) me.exOld = me.activeMm;
          me.exHolds = true;
          me.activeMm = me.exNew;
          me.currMm = me.exNew;
          me.currKthread = false;
        },
      }),
      step('EX4', irqsOffRead ? 'activate_mm(active_mm, mm): switch_mm_irqs_off' : 'activate_mm(active_mm, mm): switch_mm: local_irq_save(); switch_mm_irqs_off(); local_irq_restore() (EX6)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.irqsOn = false;
          me.swNext = me.exNew;
          me.exNew = e.NULL;
          x.call('switch_mm_irqs_off');
        },
      }),
      step('EX6', 'local_irq_enable(); task_unlock(tsk) (EX5); old_mm == NULL: mmdrop_lazy_tlb(active_mm)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.irqsOn = true;
          const old = me.exOld;
          me.exOld = e.NULL;
          me.exHolds = false;
          dropLazy(s, c, x, old, e);
        },
      }),
    ],
    { entry: true },
  );
}

/** kthread_use_mm(mm) / kthread_unuse_mm(mm) (kernel/kthread.c). */
export function kthreadUseMm(e: Env) {
  const refcount = e.f.lazyRefs === 'refcount';
  return [
    seq(
      'kthread_use_mm',
      'cpu',
      [
        // The caller holds an mm_users reference while it uses the mm (kthread_use_mm's contract:
        // vhost's dev->mm from get_task_mm, io_uring's and the GPU drivers' mmget_not_zero), taken
        // before and dropped after (KN5), so exit_mmap cannot run under a kthread using the mm.
        step('KU1', 'caller: mmget_not_zero(mm) [LOCK]; kthread_use_mm: mmgrab(mm) [LOCK]', {
          choose: { name: 'mm', count: e.M, of: 'mm' },
          when: (s, c, x) => {
            const me = s.cpu[c];
            // one kthread_use_mm kthread per CPU (kuMm): not while the one on this CPU is switched out
            return me.switches > 0 && me.online && me.currKthread && me.currMm === e.NULL && !me.kuPreempted && s.mm[x.choice].life === Life.ids.live && s.mm[x.choice].users > 0;
          },
          fence: true,
          do: (s, c, x) => {
            s.mm[x.choice].users = s.mm[x.choice].users + 1;
            s.mm[x.choice].count = s.mm[x.choice].count + 1;
            s.cpu[c].kuMm = x.choice;
            s.cpu[c].switches = s.cpu[c].switches - 1; // an mm switch: counts against the scope bound
          },
        }),
        step('KU4', e.f.kthreadUseMmIrqsOff ? 'task_lock; local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm' : 'task_lock; active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm (IRQs on: before 38cf307c1f20)', {
          do: (s, c) => {
            const me = s.cpu[c];
            if (e.f.kthreadUseMmIrqsOff) me.irqsOn = false;
            me.kuOld = me.activeMm;
            me.activeMm = me.kuMm;
            me.currMm = me.kuMm;
          },
        }),
        step('KU6', e.f.kthreadUseMmIrqsOff ? 'switch_mm_irqs_off(active_mm, mm, tsk)' : 'switch_mm(active_mm, mm, tsk): local_irq_save(); switch_mm_irqs_off(); local_irq_restore() (KU8)', {
          do: (s, c, x) => {
            // before v5.9 IRQs go off only here, in switch_mm()'s local_irq_save
            s.cpu[c].irqsOn = false;
            s.cpu[c].swNext = s.cpu[c].kuMm;
            x.call('switch_mm_irqs_off');
          },
        }),
        step('KU8', 'local_irq_enable(); task_unlock(tsk) (KU7); mmdrop_lazy_tlb(active_mm)', {
          do: (s, c, x) => {
            const me = s.cpu[c];
            me.irqsOn = true;
            x.emit('ReturnToUser', c, me.kuMm);
            const old = me.kuOld;
            me.kuOld = e.NULL;
            dropLazy(s, c, x, old, e);
          },
        }),
      ],
      { entry: true },
    ),
    seq(
      'kthread_unuse_mm',
      'cpu',
      [
        step('KN1', 'task_lock(tsk); smp_mb__after_spinlock()', {
          when: (s, c) => s.cpu[c].online && s.cpu[c].currKthread && s.cpu[c].currMm < e.M,
          fence: true,
        }),
        step('KN2', 'local_irq_disable(); tsk->mm = NULL; mmgrab_lazy_tlb(mm) [LOCK]; enter_lazy_tlb(mm, tsk); local_irq_enable()', {
          do: (s, c, x) => {
            const me = s.cpu[c];
            if (refcount) {
              x.fence();
              s.mm[me.kuMm].count = s.mm[me.kuMm].count + 1;
            }
            me.currMm = e.NULL;
            enterLazyTlb(s, c, e);
          },
        }),
        step('KN4', 'task_unlock(tsk); mmdrop(mm)', {
          do: (s, c, x) => {
            const me = s.cpu[c];
            me.mdMm = me.kuMm;
            me.putMm = me.kuMm;
            me.kuMm = e.NULL;
            x.call('mmdrop');
          },
        }),
        step('KN5', 'caller: mmput(mm): atomic_dec_and_test(&mm->mm_users) [LOCK]; at 0 __mmput', { fence: true, do: (s, c, x) => mmput(s, c, x, e) }),
      ],
      { entry: true },
    ),
  ];
}

/**
 * CPU offlining (kernel/cpu.c, kernel/sched/core.c; docs/fidelity.md, "P6 and hotplug"). Mainline (sched_force_init_mm, the 2024 fix "lazy tlb: fix hotplug
 * exit race with MMU_LAZY_TLB_SHOOTDOWN"): HP1 on the dying CPU while it is still online, switching
 * the hotplug thread to init_mm and dropping the lazy mm; HP2 teardown; HP4 finish_cpu. Before it
 * (`hotplugForceInitMm=false`): HP2 first (powerpc's __cpu_disable clears the CPU from every
 * mm_cpumask), then idle_task_exit() in arch_cpu_idle_dead() switches the offline CPU's mm to init_mm
 * but leaves the idle task's active_mm (bf2c59fce4074 "sched/core: Fix illegal RCU from offline
 * CPUs"), which finish_cpu() replaces and drops. An offline CPU is not dead to the mm: its idle task's
 * active_mm is a lazy use until finish_cpu, which P5 and P6 count.
 */
/** Whether a CPU other than `c` is between its target selection (F5) and its last queued call (SF1). */
function targetLoopRunning(s: any, c: number, e: Env): boolean {
  for (let d = 0; d < e.p.cpus; d++) if (d !== c && s.cpu[d].fIter !== e.NOCPU) return true;
  return false;
}

export function cpuDown(e: Env) {
  const forceInitMm = e.f.hotplugForceInitMm;
  // the dying CPU runs only its hotplug thread (a kthread), with no flush or shootdown call queued
  const quiet = (s: any, c: number) => c !== 0 && s.cpu[c].online && s.cpu[c].currKthread && s.cpu[c].currMm === e.NULL && !s.cpu[c].kuPreempted && s.cpu[c].csd === 0 && s.cpu[c].shootCsd === 0;
  const teardown = step('HP2', 'take_cpu_down -> __cpu_disable (SHOOTDOWN/powerpc: cleanup_cpu_mmu_context clears this CPU from every mm_cpumask); set_cpu_online(false); the CPU stops', {
    fence: true,
    // take_cpu_down runs under stop_machine, which must run its stopper on every online CPU: a CPU
    // inside smp_call_function_many_cond (flush_tlb_mm_range holds get_cpu(), so it cannot be
    // preempted) has copied its targets from cpu_online_mask, and the CPU cannot go offline before
    // the loop has queued their calls
    when: (s, c) => (forceInitMm || quiet(s, c)) && s.cpu[c].csd === 0 && s.cpu[c].shootCsd === 0 && !targetLoopRunning(s, c, e),
    do: (s, c, x) => {
      const me = s.cpu[c];
      if (e.f.lazyRefs === 'shootdown') for (let m = 0; m < e.M; m++) s.mm[m].cpumask = s.mm[m].cpumask & ~bit(c);
      me.online = false;
      me.irqsOn = false;
      // rcu_report_dead: grace periods no longer wait for this CPU
      reportQs(s, c, x, e);
    },
  });
  // finish_cpu() runs on the boot CPU once the dying CPU has stopped; it touches only the dead CPU's
  // idle task and the mm's reference, so it is the last step of this sequence
  const finishCpu = step('HP4', forceInitMm
    ? 'finish_cpu: mm = idle->active_mm; WARN_ON(mm != &init_mm); idle->active_mm = NULL; mmdrop_lazy_tlb(mm)'
    : 'finish_cpu: mm = idle->active_mm; if (mm != &init_mm) idle->active_mm = &init_mm; mmdrop_lazy_tlb(mm)', {
    do: (s, c, x) => {
      const me = s.cpu[c];
      const mm = me.activeMm;
      me.activeMm = forceInitMm ? e.NULL : e.INIT;
      dropLazy(s, c, x, mm, e);
    },
  });
  if (!forceInitMm) {
    return seq('cpu_down', 'cpu', [
      teardown,
      step('HP3', 'arch_cpu_idle_dead -> idle_task_exit: if (active_mm != &init_mm) switch_mm(mm, &init_mm, current) (active_mm stays)', {
        do: (s, c, x) => {
          if (s.cpu[c].loadedMm === e.INIT) return;
          s.cpu[c].swNext = e.INIT;
          x.call('switch_mm_irqs_off');
        },
      }),
      finishCpu,
    ], { entry: true });
  }
  return seq(
    'cpu_down',
    'cpu',
    [
      step('HP1', 'sched_cpu_wait_empty -> sched_force_init_mm: mmgrab_lazy_tlb(&init_mm); local_irq_disable(); current->active_mm = &init_mm', {
        // (a kthread_use_mm kthread switched out on this CPU would have to migrate first: not modeled)
        when: quiet,
        do: (s, c) => {
          const me = s.cpu[c];
          me.irqsOn = false;
          me.kuOld = me.activeMm;
          me.activeMm = e.INIT;
        },
      }),
      step('HP1b', 'switch_mm_irqs_off(mm, &init_mm, current)', {
        do: (s, c, x) => {
          s.cpu[c].swNext = e.INIT;
          x.call('switch_mm_irqs_off');
        },
      }),
      step('HP1c', 'local_irq_enable(); mmdrop_lazy_tlb(mm)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.irqsOn = true;
          const old = me.kuOld;
          me.kuOld = e.NULL;
          dropLazy(s, c, x, old, e);
        },
      }),
      teardown,
      finishCpu,
    ],
    { entry: true },
  );
}
