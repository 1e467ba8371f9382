// Task-level mm transitions that write rq->membarrier_state (docs/models/membarrier.md 4.6, docs/models/lazy-tlb.md
// 7.2–7.4): kthread_use_mm / kthread_unuse_mm (kernel/kthread.c), exit_mm + do_task_dead
// (kernel/exit.c) and exec_mmap (fs/exec.c) of the OTHER process.
import { type Flags, type Params, type ProcedureDef, seq, step, type StepCtx } from '../../src/lang/model.ts';
import type { ArchTraits } from './arch.ts';
import { E, EXITING, KTHREAD, M, mb, N, NO_MM, OTHER, publishCurr, RseqCs, setRqState, SIBLING, voidAtomic } from './defs.ts';
import { mmdrop, mmgrab, mmput, readState } from './mm.ts';
import { resumeCurrent } from './sched.ts';
import { UNSET_KU } from './state.ts';

/** membarrier_update_current_mm(next_mm): rq copy ← next_mm's state (0 for NULL), if it differs. */
export function membarrierUpdateCurrentMm(s: any, c: number, x: StepCtx, mm: number): void {
  const st = mm === NO_MM ? 0 : readState(s, x, mm);
  if (s.cpu[c].rqmb !== st) setRqState(s, c, x, st);
}

export function mmTransitionProcedures(p: Params, f: Flags, A: ArchTraits): ProcedureDef[] {
  const updatesRq = f.kthreadUseMmUpdatesRqState as boolean;
  return [
    seq('kthread_use_mm', 'cpu', [
      step('KU1', 'kthread_use_mm(mm): mmgrab(mm)', {
        when: (s, c) => s.cpu[c].curr === KTHREAD && s.kthreadMm === NO_MM,
        do: (s, c, x) => {
          mmgrab(s, M);
          voidAtomic(x, c, A);
        },
      }),
      step('KU4', 'task_lock(tsk); local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.irqsOn = false;
          me.kuOld = me.activeMm;
          me.activeMm = M;
          s.kthreadMm = M;
          publishCurr(s, c, x);
        },
      }),
      step('KU5', 'membarrier_update_current_mm(mm)', {
        do: (s, c, x) => {
          if (updatesRq) membarrierUpdateCurrentMm(s, c, x, M);
        },
      }),
      step('KU6', 'switch_mm_irqs_off(active_mm, mm, tsk)', {
        do: (s, c, x) => x.call('switch_mm_irqs_off'),
      }),
      step('KU7', 'local_irq_enable(); task_unlock(tsk)', {
        do: (s, c) => { s.cpu[c].irqsOn = true; },
      }),
      step('KU8', 'mmdrop_lazy_tlb(active_mm) — barrier (g) before the first uaccess', {
        do: (s, c, x) => {
          mmdrop(s, s.cpu[c].kuOld);
          mb(x, c);
          s.cpu[c].kuOld = UNSET_KU;
        },
      }),
    ], { entry: true }),

    seq('kthread_unuse_mm', 'cpu', [
      step('KN1', 'kthread_unuse_mm(mm): task_lock(tsk); smp_mb__after_spinlock() — barrier (d)', {
        when: (s, c) => s.cpu[c].curr === KTHREAD && s.kthreadMm !== NO_MM,
        do: (s, c, x) => mb(x, c),
      }),
      step('KN2', 'local_irq_disable(); tsk->mm = NULL; membarrier_update_current_mm(NULL)', {
        do: (s, c, x) => {
          s.cpu[c].irqsOn = false;
          s.kthreadMm = NO_MM;
          publishCurr(s, c, x);
          if (updatesRq) membarrierUpdateCurrentMm(s, c, x, NO_MM);
        },
      }),
      step('KN3', 'mmgrab_lazy_tlb(mm); enter_lazy_tlb(mm, tsk) (active_mm stays mm); local_irq_enable()', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          mmgrab(s, me.activeMm);
          voidAtomic(x, c, A);
          if (A.x86Lazy && me.loadedMm !== NO_MM) me.lazy = true;
          me.irqsOn = true;
        },
      }),
      step('KN4', 'task_unlock(tsk); mmdrop(mm)', {
        do: (s, c, x) => {
          mmdrop(s, M);
          mb(x, c);
        },
      }),
    ], { entry: true }),

    // A thread of M exits (param siblingExits) on a CPU other than CPU0 while the caller may target M:
    // kernel/exit.c exit_mm(). After `current->mm = NULL` the task is still rq->curr, with no mm: the
    // rq->curr loops skip it and membarrier_update_current_mm(NULL) zeroes rq->membarrier_state; the
    // smp_mb__after_spinlock() before it orders its user accesses before the store. M keeps other
    // users (the caller), so mmput is not the last one, and M's counts are not tracked (mm.ts).
    seq('do_exit_sibling', 'cpu', [
      step('XM1', 'exit(): exit_mm(): mmap_read_lock(mm); mmgrab_lazy_tlb(mm)', {
        when: (s, c) => p.siblingExits === 1 && c !== 0 && s.cpu[c].inUser && !s.siblingExited && s.cpu[c].curr === SIBLING && s.cpu[c].rseqCs === RseqCs.ids.none,
        do: (s, c, x) => {
          s.cpu[c].inUser = false;
          s.siblingExited = true;
          voidAtomic(x, c, A); // mmgrab_lazy_tlb: atomic_inc
        },
      }),
      step('XM2', 'task_lock(current); smp_mb__after_spinlock() — the barrier membarrier needs after the user accesses, before current->mm = NULL', {
        do: (s, c, x) => mb(x, c),
      }),
      step('XM3', 'local_irq_disable(); current->mm = NULL; membarrier_update_current_mm(NULL); enter_lazy_tlb(mm, current); local_irq_enable()', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.curr = EXITING; // the same task, now without mm (rq->curr itself is not stored)
          publishCurr(s, c, x);
          membarrierUpdateCurrentMm(s, c, x, NO_MM);
          if (A.x86Lazy && me.loadedMm !== NO_MM) me.lazy = true;
        },
      }),
      step('XM5', 'task_unlock; mmap_read_unlock; mmput(mm): not the last user', {
        do: (s, c, x) => mb(x, c), // atomic_dec_and_test: value-returning, a full barrier
      }),
      step('XTD', 'do_task_dead(): __schedule(SM_NONE), never returns', {
        do: (s, c, x) => x.call('__schedule'),
      }),
      step('XTD1', 'the task now current resumes', {
        do: (s, c, x) => resumeCurrent(s, c, x),
      }),
    ], { entry: true }),

    // The OTHER process's only thread exits: exit_mm, mmput (the last user: exit_mmap), do_task_dead.
    seq('do_exit', 'cpu', [
      step('EM1', 'exit(): mmap_read_lock(mm); mmgrab_lazy_tlb(mm)', {
        when: (s, c) => p.otherExits === 1 && s.cpu[c].inUser && s.cpu[c].curr === OTHER && s.otherMm !== NO_MM,
        do: (s, c, x) => {
          s.cpu[c].inUser = false;
          mmgrab(s, s.otherMm);
          voidAtomic(x, c, A);
        },
      }),
      step('EM2', 'task_lock(current); smp_mb__after_spinlock() — barrier (d)', {
        do: (s, c, x) => mb(x, c),
      }),
      step('EM3', 'local_irq_disable(); current->mm = NULL; membarrier_update_current_mm(NULL); enter_lazy_tlb(mm, current); local_irq_enable()', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          s.otherMm = NO_MM;
          publishCurr(s, c, x);
          membarrierUpdateCurrentMm(s, c, x, NO_MM);
          if (A.x86Lazy && me.loadedMm !== NO_MM) me.lazy = true;
        },
      }),
      step('EM5', 'task_unlock; mmap_read_unlock; mmput(mm): the last user → exit_mmap(), mmdrop()', {
        do: (s, c, x) => {
          mmput(s, s.cpu[c].activeMm);
          mb(x, c);
        },
      }),
      step('TD', 'do_task_dead(): __schedule(SM_NONE), never returns', {
        do: (s, c, x) => {
          s.otherDead = true;
          x.call('__schedule');
        },
      }),
      step('TD1', 'the task now current resumes', {
        do: (s, c, x) => resumeCurrent(s, c, x),
      }),
    ], { entry: true }),

    // The OTHER process execs: a new mm E replaces N (exec_mmap).
    seq('exec_mmap', 'cpu', [
      step('EX1', 'execve(): bprm->mm = mm_alloc(); exec_mmap: old_mm = current->mm; mmap_read_lock(old_mm)', {
        when: (s, c) => p.exec === 1 && s.cpu[c].inUser && s.cpu[c].curr === OTHER && s.otherMm !== NO_MM && s.otherMm === N,
        do: (s, c) => {
          s.cpu[c].inUser = false;
          s.mm[E].users = 1;
          s.mm[E].count = 1;
        },
      }),
      step('EX2', 'task_lock(tsk); membarrier_exec_mmap(mm): smp_mb(); mm->membarrier_state = 0; rq->membarrier_state = 0', {
        do: (s, c, x) => {
          mb(x, c);
          s.mm[E].state = 0;
          setRqState(s, c, x, 0);
        },
      }),
      step('EX3', 'local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm', {
        do: (s, c, x) => {
          s.cpu[c].irqsOn = false;
          s.cpu[c].activeMm = E;
          s.otherMm = E;
          publishCurr(s, c, x);
        },
      }),
      step('EX4', 'activate_mm(active_mm, mm) → switch_mm_irqs_off', {
        do: (s, c, x) => x.call('switch_mm_irqs_off'),
      }),
      step('EX5', 'local_irq_enable(); task_unlock(tsk)', {
        do: (s, c) => { s.cpu[c].irqsOn = true; },
      }),
      step('EX6', 'mmap_read_unlock(old_mm); mmput(old_mm); return to the new program', {
        do: (s, c, x) => {
          mmput(s, N);
          mb(x, c);
          resumeCurrent(s, c, x);
        },
      }),
    ], { entry: true }),
  ];
}
