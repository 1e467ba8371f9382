// context_switch() (kernel/sched/core.c; docs/steps/x86-lazy-tlb.md, context_switch:CS1-CS6): the four prev/next cases with their lazy references, the
// rq->prev_mm handoff to finish_task_switch, and preemption of a task in a preemptible window.
import { Life } from './state.ts';
import { enterLazyTlb } from './switch.ts';
import { rules, seq, step, type Env } from './env.ts';

/** CPUs running a user task of mm m (tasks of m = mm_users, one per thread). */
function running(s: any, m: number, n: number): number {
  let k = 0;
  // a task in exit_mm keeps its mm_users reference until mmput (EM5); exec's new mm belongs to the exec'ing task;
  // a kthread_use_mm caller holds one from KU1 to its mmput (KN5)
  for (let d = 0; d < n; d++) {
    const x = s.cpu[d];
    if ((x.online && !x.currKthread && x.currMm === m) || x.csNext === m || x.putMm === m || x.exNew === m || x.kuMm === m) k++;
  }
  return k;
}

/** switch_to: `current` becomes next (a kernel thread borrows the previous active_mm). */
export function switchCurrent(s: any, c: number, e: Env): void {
  const me = s.cpu[c];
  if (me.csNext === e.NULL) return;
  if (me.csKu) {
    // the kthread preempted inside kthread_use_mm: tsk->mm = tsk->active_mm = the borrowed mm
    me.csKu = false;
    me.kuPreempted = false;
    me.currKthread = true;
    me.currMm = me.kuMm;
    me.activeMm = me.kuMm;
    return;
  }
  if (me.currKthread && me.currMm < e.M) me.kuPreempted = true; // the kthread_use_mm kthread is switched out
  if (me.csNext === e.KTHREAD) {
    me.currKthread = true;
    me.currMm = e.NULL;
  } else {
    me.currKthread = false;
    me.currMm = me.csNext;
    me.activeMm = me.csNext;
  }
}

export function contextSwitch(e: Env) {
  const { p, f, INIT, KTHREAD } = e;
  const N = p.cpus;
  // kthreadUseMmPreempt scope: choice M+1 switches back to the kthread preempted inside kthread_use_mm
  const KU = e.M + 1;
  return seq(
    'context_switch',
    'cpu',
    [
      step('CS1', '__schedule: rq lock, IRQs off; rq->curr = next; to a task with an mm (next->mm): switch_mm_irqs_off(prev->active_mm, next->mm, next)', {
        jumps: ['CS3k', 'CS6'],
        // next: a thread of user mm 0..M-1, (choice M) a kernel thread, or (choice M+1, kthreadUseMm +
        // kthreadUseMmPreempt scope) the kthread preempted between kthread_use_mm and kthread_unuse_mm: a kthread with
        // next->mm set, which context_switch switches in like a user task (kernel/sched/core.c)
        choose: { name: 'next', count: e.M + (f.kthreadUseMm && f.kthreadUseMmPreempt ? 2 : 1), of: null },
        // The scope's switch budget (param switches) used up: a CPU that must switch here (a preemption
        // switching out and back) leaves the explored behaviour, it does not hang.
        bounded: (s, c) => s.cpu[c].switches === 0,
        when: (s, c, x) => {
          const me = s.cpu[c];
          // own scope bound first, then the shared task state. A kthread inside kthread_use_mm (between
          // KU8 and KN1: IRQs on, preemptible) may be switched out only in the kthreadUseMmPreempt scope
          if (me.switches === 0 || !me.online || (me.currKthread && me.currMm < e.M && !f.kthreadUseMmPreempt)) return false;
          if (me.csForceK) return x.choice === e.M;
          if (x.choice === KU) return me.kuPreempted;
          if (x.choice === e.M) return true;
          const m = s.mm[x.choice];
          // another thread of m that is not running now
          return m.life === Life.ids.live && m.users > running(s, x.choice, N);
        },
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.irqsOn = false;
          me.csForceK = false;
          me.switches = me.switches - 1;
          if (x.choice === e.M) {
            me.csNext = KTHREAD;
            x.goto('CS3k');
            return;
          }
          if (x.choice === KU) {
            // CS3u for a kthread with a borrowed mm: switch_mm_irqs_off(prev->active_mm, next->mm = kuMm)
            me.csNext = KTHREAD;
            me.csKu = true;
            me.swNext = me.kuMm;
            x.call('switch_mm_irqs_off', 'CS6');
            return;
          }
          me.csNext = x.choice;
          me.swNext = x.choice;
          x.call('switch_mm_irqs_off', 'CS6');
        },
      }),
      step('CS3k', 'to a kernel thread: enter_lazy_tlb(prev->active_mm, next)', {
        fence: e.shape === 'B',
        do: (s, c, x) => {
          // v4.14-v4.19 with PCID: enter_lazy_tlb switched to init_mm at once
          if (e.shape === 'C' && p.asids > 1 && s.cpu[c].loadedMm !== INIT) {
            s.cpu[c].swNext = INIT;
            x.call('switch_mm_irqs_off');
            return;
          }
          enterLazyTlb(s, c, e);
        },
      }),
      step('CS4k', 'next->active_mm = prev->active_mm; if (prev->mm) mmgrab_lazy_tlb(prev->active_mm) [LOCK] else prev->active_mm = NULL', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          const fromUser = me.currMm < e.M;
          if (fromUser && f.lazyRefs === 'refcount' && me.activeMm < e.M) {
            x.fence();
            s.mm[me.activeMm].count = s.mm[me.activeMm].count + 1;
          }
          // next->active_mm now holds the (lazy) reference: the per-CPU task fields become next's here
          switchCurrent(s, c, e);
        },
      }),
      step('CS6', 'if (!prev->mm) { rq->prev_mm = prev->active_mm; prev->active_mm = NULL } (CS4u); switch_to (CS5); finish_task_switch: mm = rq->prev_mm; rq->prev_mm = NULL; IRQs on; if (mm) mmdrop_lazy_tlb_sched(mm) (CS7)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          // kernel -> task with an mm (a user task, or the kthread_use_mm kthread switched back in)
          if ((me.csNext < e.M || me.csKu) && me.currMm === e.NULL) {
            if (me.activeMm < e.M) me.prevMm = me.activeMm;
            me.activeMm = e.NULL;
          }
          switchCurrent(s, c, e);
          me.csNext = e.NULL;
          const mm = me.prevMm;
          me.prevMm = e.NULL;
          me.irqsOn = true;
          if (mm === e.NULL) return;
          if (f.lazyRefs === 'shootdown') {
            // SHOOTDOWN: mmdrop_lazy_tlb_sched is only smp_mb() (kept for membarrier)
            x.fence();
            return;
          }
          // CS7 runs with IRQs on: an IPI may come first; csDrop carries the reference meanwhile
          me.csDrop = mm;
          x.call('mmdrop');
        },
      }),
    ],
    { entry: true },
  );
}

/** Preemption of a task at a preemption point with IRQs on: switch to another task and back. */
export function preemptSchedule() {
  return [
    rules('preempt', 'cpu', [
      step('PREEMPT', 'preemption (IRQs on, in a preemptible window): schedule() to another task', {
        when: (s, c) => s.cpu[c].irqsOn && s.cpu[c].preemptible,
        do: (s, c, x) => {
          s.cpu[c].preemptible = false;
          x.call('preempt_schedule');
        },
      }),
    ]),
    seq('preempt_schedule', 'cpu', [
      step('PS1', 'schedule(): the preempted kthread is switched out for a user task', {
        do: (_s, _c, x) => {
          x.call('context_switch');
        },
      }),
      step('PS2', 'the user task runs and schedules back to the preempted kthread', {
        do: (s, c, x) => {
          s.cpu[c].csForceK = true;
          x.call('context_switch');
        },
      }),
      step('PS3', 'back in the preempted task', {
        do: (s, c) => {
          s.cpu[c].preemptible = true;
        },
      }),
    ]),
  ];
}
