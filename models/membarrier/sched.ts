// The scheduler side of membarrier (docs/models/membarrier.md 4.5, docs/models/lazy-tlb.md 3.1–3.2): __schedule with the
// inlined context_switch, finish_task_switch, switch_mm_irqs_off (abstracted: which mm the CPU has
// loaded, x86 lazy mode, "TLB fresh" as a nondeterministic choice), and the return to user space of a
// task that blocked in a syscall. IRQs are off from SCH1 to SCH10; other CPUs interleave freely.
import { type Flags, type ProcedureDef, type Params, seq, step, type StepCtx } from '../../src/lang/model.ts';
import type { ArchTraits } from './arch.ts';
import {
  C, CALLER, CALLER2, CallPhase, EXITING, GLOBAL_EXPEDITED, IDLE, isPrivate, RseqCs, KTHREAD, M, mb, mmOf, NO_MM, NO_TASK, OTHER, PRIVATE_EXPEDITED, PRIVATE_EXPEDITED_SYNC_CORE, publishCurr, runnable, secondIssuerOf, ser, setRqState, SIBLING, TASKS, voidAtomic,
} from './defs.ts';
import { mmdrop, mmgrab, readState } from './mm.ts';

/** A task that returns to user space when it resumes (it blocked in, or was preempted out of, a syscall). */
export const isUserTask = (t: number): boolean => t === CALLER || t === SIBLING || t === OTHER || t === CALLER2;

const PH = CallPhase.ids;

/**
 * After schedule() returned on CPU c: the task now current resumes; a user task returns to user space,
 * the caller preempted inside membarrier() goes on with the call (its steps follow call.phase).
 */
export function resumeCurrent(s: any, c: number, x: StepCtx): void {
  const t = s.cpu[c].curr;
  if (t === CALLER && s.call.phase !== PH.none) return;
  if (isUserTask(t)) x.call('syscall_exit_to_user_mode');
}

/** Which task may be picked next on CPU c (pick_next_task over the runqueue of the scope). */
export function canPick(s: any, p: Params, c: number, t: number): boolean {
  // The caller preempted inside membarrier(): runnable on every CPU (load balancing migrates it).
  if (t === CALLER) return p.callerPreempt > 0 && s.caller.preempted;
  // With caller preemption CPU0 may have nothing else to run: its idle task.
  if (t === IDLE && c === 0 && p.callerPreempt > 0) return s.cpu[c].curr !== IDLE;
  if (!runnable(c, t)) return false;
  if (t === SIBLING && c === 0 && !p.cpu0Siblings) return false;
  // CALLER2 (the second issuer, param secondIssuer = 1) waits on CPU1's runqueue until it has issued
  // its call; once switched out after it, it has finished its program (as the caller).
  if (t === CALLER2) return p.issuers > 1 && p.secondIssuer === 1 && !s.call2.done && s.cpu[c].curr !== CALLER2;
  if (t === KTHREAD && !p.kthread) return false;
  if (t !== SIBLING && t === s.cpu[c].curr) return false; // SIBLING → SIBLING: another thread of M
  if (t === OTHER && s.otherDead) return false;
  return true;
}

/**
 * The task switch_mm_irqs_off(prev, next, tsk) switches to, on CPU c. context_switch passes next, its
 * own local: rq->curr == next from SCH4 to SCH10 (only SCH4 stores rq->curr), so the value is the same,
 * but reading the local keeps the step off rq->curr, which the membarrier caller samples remotely.
 * kthread_use_mm and exec_mmap pass current (next is NULL outside __schedule).
 */
export function switchTask(s: any, c: number): number {
  const me = s.cpu[c];
  return me.next !== NO_TASK ? me.next : me.curr;
}

export function schedProcedures(p: Params, f: Flags, A: ArchTraits): ProcedureDef[] {
  const second = secondIssuerOf(p)?.task;
  const mayBlock = (s: any, c: number): boolean => {
    const t = s.cpu[c].curr;
    if (t === CALLER) return s.caller.calls === p.calls; // the caller's program is done
    if (t === second && s.call2.phase !== PH.none) return false; // inside its own membarrier call
    if (t === CALLER2) return s.call2.done; // its program: one membarrier call
    if (t === KTHREAD) return s.kthreadMm === NO_MM || p.kthreadSleeps === 1;
    if (t === EXITING) return false; // do_task_dead schedules it out (do_exit_sibling:XTD)
    // A thread inside an rseq critical section issues no system call (rseq(2): a syscall there is
    // undefined; CONFIG_DEBUG_RSEQ kills the thread).
    return s.cpu[c].rseqCs === RseqCs.ids.none;
  };
  const someRunnable = (s: any, c: number): boolean => {
    for (let t = 0; t < TASKS; t++) if (canPick(s, p, c, t)) return true;
    return false;
  };
  // Preemption points of the caller inside membarrier() (kernel/sched/membarrier.c; docs/models/membarrier.md 4.1
  // "preemption enabled (migration possible between steps)"): outside the preempt_disable() around
  // smp_call_function_many / on_each_cpu_mask / smp_call_function_single (P6–P6w, G5–G5w) and, unless
  // the kernel has preemptible RCU (callerPreempt = 2), outside the rcu_read_lock() of the rq->curr
  // sampling loop. cpus_read_lock() is a sleeping lock: it does not disable preemption. The
  // registrations and MEMBARRIER_CMD_GLOBAL are not preempted in this scope.
  const loopPhase = (ph: number) => ph === PH.P5a || ph === PH.P5b || ph === PH.G4a || ph === PH.G4b || ph === PH.G4c || ph === PH.G4m;
  const preemptible = (s: any): boolean => {
    const k = s.call;
    const ph = k.phase;
    if (ph === PH.P3 || ph === PH.P4 || ph === PH.P6 || ph === PH.P8 || ph === PH.G3 || ph === PH.G5 || ph === PH.G7) return true;
    if (loopPhase(ph)) return !k.rcu || p.callerPreempt >= 2;
    return ph === PH.SYSX && (isPrivate(k.cmd) || k.cmd === C.GLOBAL_EXPEDITED);
  };
  return [
    seq('preempt_schedule', 'cpu', [
      step('PS0', 'the caller is preempted inside membarrier() (IRQ exit / preempt_enable / cond_resched with need_resched): __schedule(SM_PREEMPT)', {
        when: (s, c) => p.callerPreempt > 0 && s.cpu[c].irqsOn && s.cpu[c].curr === CALLER && s.call.phase !== PH.none && preemptible(s) && someRunnable(s, c),
        do: (s, c, x) => x.call('__schedule'),
      }),
      step('PS1', 'schedule() returns in the task now current', {
        do: (s, c, x) => resumeCurrent(s, c, x),
      }),
    ], { entry: true }),

    // A task gives up the CPU: a user thread in a blocking syscall, a kthread or the idle loop.
    seq('schedule', 'cpu', [
      step('S0', 'blocking syscall entry, kthread sleep or idle loop: schedule()', {
        when: (s, c) => mayBlock(s, c) && someRunnable(s, c),
        do: (s, c, x) => {
          s.cpu[c].inUser = false;
          x.call('__schedule');
        },
      }),
      step('S1', 'schedule() returns in the task now current: a user task returns from its syscall', {
        do: (s, c, x) => resumeCurrent(s, c, x),
      }),
    ], { entry: true }),

    seq('__schedule', 'cpu', [
      step('SCH1', 'local_irq_disable()', { do: (s, c) => { s.cpu[c].irqsOn = false; } }),
      step('SCH2', 'rq_lock(); smp_mb__after_spinlock() — barrier (d) before the rq->curr store', {
        do: (s, c, x) => mb(x, c),
      }),
      step('SCH3', 'next = pick_next_task(rq, prev)', {
        choose: { name: 'next', count: TASKS, of: 'task' },
        when: (s, c, x) => canPick(s, p, c, x.choice),
        do: (s, c, x) => {
          s.cpu[c].prev = s.cpu[c].curr;
          s.cpu[c].next = x.choice;
          if (x.choice === CALLER) s.caller.preempted = false; // dequeued from the runqueue
        },
      }),
      step('SCH4', 'RCU_INIT_POINTER(rq->curr, next); context_switch: prepare_task_switch() [rseq_preempt(prev)]; next->mm?', {
        jumps: ['SCH6k'],
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.curr = me.next;
          publishCurr(s, c, x);
          me.sawFlag = false;
          if (me.rseqCs !== RseqCs.ids.none) {
            // rseq_preempt(prev): prev's critical section is aborted; it resumes at its abort handler.
            me.rseqCs = RseqCs.ids.none;
            x.emit('RseqAbort', c);
          }
          if (mmOf(s, me.next) === NO_MM) x.goto('SCH6k');
        },
      }),
      // to a task with an mm (user task, or a kthread that sleeps inside kthread_use_mm)
      step('SCH6u', 'membarrier_switch_mm(rq, prev->active_mm, next->mm): rq->membarrier_state = next->mm->membarrier_state', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          const nmm = mmOf(s, me.next);
          if (f.switchMmSameMmShortcut && me.activeMm === nmm) return; // prev_mm == next_mm
          const st = readState(s, x, nmm);
          if (me.rqmb !== st) setRqState(s, c, x, st);
        },
      }),
      step('SCH7u', 'switch_mm_irqs_off(prev->active_mm, next->mm, next)', {
        do: (s, c, x) => x.call('switch_mm_irqs_off'),
      }),
      step('SCH8u', 'if (!prev->mm) { rq->prev_mm = prev->active_mm; prev->active_mm = NULL; } (kernel → user)', {
        jumps: ['SCH9'],
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (mmOf(s, me.prev) === NO_MM) me.prevMm = me.activeMm;
          me.activeMm = mmOf(s, me.next);
          x.goto('SCH9');
        },
      }),
      // to a kernel thread
      step('SCH6k', 'enter_lazy_tlb(prev->active_mm, next); next->active_mm = prev->active_mm; if (prev->mm) mmgrab_lazy_tlb(prev->active_mm) else prev->active_mm = NULL', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (A.x86Lazy && me.loadedMm !== NO_MM) me.lazy = true;
          if (mmOf(s, me.prev) !== NO_MM) {
            mmgrab(s, me.activeMm);
            voidAtomic(x, c, A);
          }
        },
      }),
      step('SCH9', 'switch_to(prev, next) [arm64: dsb ish]', {
        do: (s, c, x) => {
          if (A.switchToBarrier) mb(x, c);
          x.call('finish_task_switch');
        },
      }),
    ]),

    seq('finish_task_switch', 'cpu', [
      step('SCH10', 'mm = rq->prev_mm; rq->prev_mm = NULL; finish_lock_switch(): rq unlock, local_irq_enable()', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.finishMm = me.prevMm;
          me.prevMm = NO_MM;
          // finish_task(prev): prev->on_cpu = 0 — a caller preempted inside membarrier() may now be
          // picked by any CPU.
          if (me.prev === CALLER && s.call.phase !== PH.none) s.caller.preempted = true;
          me.prev = NO_TASK;
          me.next = NO_TASK;
          me.irqsOn = true;
          if (me.finishMm === NO_MM) x.ret();
        },
      }),
      step('SCH11a', 'membarrier_mm_sync_core_before_usermode(mm): current->mm == mm && SYNC_CORE registered → sync_core_before_usermode()', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          if (!A.hasSyncCoreBeforeUsermode || mmOf(s, me.curr) !== me.finishMm) return;
          if (readState(s, x, me.finishMm) & PRIVATE_EXPEDITED_SYNC_CORE && A.syncCoreBeforeUsermode) ser(x, c, A);
        },
      }),
      step('SCH11b', 'mmdrop_lazy_tlb_sched(mm): atomic_dec_and_test(&mm->mm_count) — barrier (e) for kernel → user', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          mmdrop(s, me.finishMm);
          mb(x, c);
          me.finishMm = NO_MM;
        },
      }),
    ]),

    // switch_mm_irqs_off(prev, next, tsk): next is current->mm (the caller stored it: SCH4, KU4, EX3).
    seq('switch_mm_irqs_off', 'cpu', [
      step('SW1', 'prev = loaded_mm; was_lazy = is_lazy; is_lazy = false; prev == next?', {
        jumps: ['SW3c'],
        do: (s, c, x) => {
          const me = s.cpu[c];
          const next = mmOf(s, switchTask(s, c));
          const wasLazy = me.lazy;
          me.lazy = false;
          if (me.loadedMm !== next) return x.goto('SW3c');
          // Same mm. x86: a switch between threads returns (SW2c); unlazying goes on to SW2d.
          // Other architectures: switch_mm() is a no-op for prev == next.
          if (!A.x86Lazy || !wasLazy) x.ret();
        },
      }),
      step('SW2d', 'smp_mb() (same mm, unlazy)', { do: (s, c, x) => mb(x, c) }),
      step('SW2f', 'next_tlb_gen = next->context.tlb_gen; TLB stale → load_new_mm_cr3() (CR3 write), else return', {
        choose: { name: 'tlb', count: 2, of: null },
        do: (s, c, x) => {
          if (x.choice === 1) ser(x, c, A); // stale: CR3 write, serializing
          x.ret();
        },
      }),
      step('SW3c', 'x86: cpumask_set_cpu (LOCK) or smp_mb(); powerpc/riscv: membarrier_arch_switch_mm()', {
        do: (s, c, x) => {
          const next = mmOf(s, switchTask(s, c));
          if (A.cr3WriteOnSwitch) mb(x, c);
          else if (A.archSwitchMmBarrier && readState(s, x, next) & (PRIVATE_EXPEDITED | GLOBAL_EXPEDITED)) mb(x, c);
        },
      }),
      step('R1', 'x86: load_new_mm_cr3() (serializing); riscv: flush_icache_deferred() (fence.i if stale); loaded_mm = next', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          const next = mmOf(s, switchTask(s, c));
          if (A.cr3WriteOnSwitch) ser(x, c, A);
          if (A.icacheStaleMask && next === M && me.icacheStale) {
            me.icacheStale = false; // cpumask_test_and_clear_cpu: value-returning, a full barrier
            mb(x, c);
            x.emit('Ser', c); // local_flush_icache_all(): fence.i
          }
          me.loadedMm = next;
        },
      }),
    ]),

    // Return from a syscall to user space (docs/models/membarrier.md 4.7).
    seq('syscall_exit_to_user_mode', 'cpu', [
      step('RET', 'x86: SYSRET (not serializing) or IRET; PTI: user CR3 write; arm64/powerpc: ERET/rfid; riscv: SRET', {
        choose: { name: 'via', count: 2, of: null },
        when: (s, c, x) => x.choice === 0 || A.returnToUser === 'iret-only',
        do: (s, c, x) => {
          if (A.returnToUser === 'always' || (A.returnToUser === 'iret-only' && x.choice === 1)) ser(x, c, A);
          s.cpu[c].inUser = true;
        },
      }),
    ]),
  ];
}
