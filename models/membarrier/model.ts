// membarrier(cpus): the membarrier system call (kernel/sched/membarrier.c) with the scheduler hooks it
// relies on (kernel/sched/core.c), kthread_use_mm / kthread_unuse_mm, exit_mm and exec_mmap, for a
// single call issued by a JIT-writer thread on CPU0 while CPU1 switches among another thread of the
// same mm, a kernel thread that adopts the mm, and a thread of another process that may exit (and,
// with param siblingExits, a thread of the caller's mm that exits while the call may target it). With
// param issuers = 2, a second task on CPU1 issues one call: the other process's thread a
// MEMBARRIER_CMD_GLOBAL_EXPEDITED, or (param secondIssuer = 1) CALLER2, another thread of the
// caller's mm, a MEMBARRIER_CMD_PRIVATE_EXPEDITED; it is serialized with the caller's call by
// membarrier_ipi_mutex (flag ipiMutex, v6.8+) or concurrent with it (pre-v6.8);
// docs/models/membarrier.md 4.10 says why these second issuers. With param cpus = 3 or 4, CPU2 and CPU3
// run sibling threads of the caller's mm (and idle): more targets of the private command's tmpmask,
// the global command's and sync_runqueues_membarrier_state's IPIs, and CPUs the caller may migrate to.
// Reference: docs/models/membarrier.md; the lazy-TLB protocol is abstracted to "which mm is loaded, is the CPU
// lazy, is the TLB fresh (a nondeterministic choice)" (docs/models/lazy-tlb.md 10.4).
import { defineModel } from '../../src/lang/model.ts';
import { ARCHS, archTraits } from './arch.ts';
import { CALL_EVENTS, CallPhase, Cmd, primed, secondIssuerOf, Task } from './defs.ts';
import { ipiProcedures } from './ipi.ts';
import { mmTransitionProcedures } from './mm-transitions.ts';
import { schedProcedures } from './sched.ts';
import { declareState, initState } from './state.ts';
import { syscallProcedures } from './syscall.ts';
import { userProcedures } from './user.ts';

/** The model's events, with the second issuer's names of the call events (BarrierA', …; defs.ts CALL_EVENTS). */
function withSecondCall(events: Record<string, readonly string[]>): Record<string, readonly string[]> {
  const out = { ...events };
  for (const e of CALL_EVENTS) out[primed(e)] = events[e];
  return out;
}

export default defineModel({
  name: 'membarrier',
  title: 'membarrier: private/global expedited, SYNC_CORE, registration, and the scheduler barriers',
  description:
    'One membarrier call by a JIT-writer thread on CPU0 (command chosen per run; with issuers = 2 a second call from CPU1) against context switches, IPI exits that reschedule, kthread_use_mm, exit and exec on the other CPUs; barriers (a)/(c), rq->curr sampling, rq->membarrier_state, core serialization per architecture, rseq critical sections aborted by ipi_rseq.',
  params: {
    cpus: { default: 2, min: 2, max: 4, doc: 'CPUs (CPU0: the caller; CPU1: kthread, other process, sibling threads; CPU2 and CPU3: sibling threads)' },
    calls: { default: 1, min: 1, max: 2, doc: 'membarrier calls by the caller (2: e.g. register, then the command)' },
    registered: { default: 1, min: 0, max: 1, doc: 'the caller\'s mm starts registered for every expedited command (0: unregistered)' },
    cpu0Siblings: { default: 1, min: 0, max: 1, doc: 'CPU0\'s runqueue holds other threads of the caller\'s mm (0: CPU0 runs only the caller)' },
    kthread: { default: 1, min: 0, max: 1, doc: 'CPU1 runs a kernel thread that may kthread_use_mm the caller\'s mm' },
    kthreadSleeps: { default: 0, min: 0, max: 1, doc: 'the kthread may schedule() while inside kthread_use_mm (vhost-style worker)' },
    otherExits: { default: 1, min: 0, max: 1, doc: 'the other process\'s thread may exit (exit_mm, mmput, do_task_dead)' },
    siblingExits: { default: 0, min: 0, max: 1, doc: 'a thread of the caller\'s mm (a targeted mm) may exit on a CPU other than CPU0: exit_mm with membarrier_update_current_mm(NULL), then do_task_dead' },
    exec: { default: 0, min: 0, max: 1, doc: 'the other process\'s thread may exec (exec_mmap into a new mm)' },
    nohzFull: { default: 0, min: 0, max: 1, doc: 'CPUs other than CPU0 are nohz_full (user mode is an RCU extended quiescent state)' },
    callerPreempt: { default: 0, min: 0, max: 2, doc: 'the caller is preempted inside membarrier() and may resume on another CPU: 1 at the preemption points outside rcu_read_lock() and preempt_disable(), 2 also inside the rq->curr loop (CONFIG_PREEMPT_RCU)' },
    rseq: { default: 1, min: 0, max: 1, doc: 'the other threads of M run rseq critical sections (MBP-4, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ)' },
    issuers: { default: 1, min: 1, max: 2, doc: 'tasks that issue membarrier (2: a task on CPU1 also issues one call, concurrently with the caller\'s; param secondIssuer says which)' },
    secondIssuer: { default: 0, min: 0, max: 1, doc: 'with issuers = 2, the second issuer: 0 OTHER, the thread of the other process, issues MEMBARRIER_CMD_GLOBAL_EXPEDITED; 1 CALLER2, another thread of the caller\'s mm on CPU1, issues MEMBARRIER_CMD_PRIVATE_EXPEDITED' },
  },
  flags: {
    arch: { default: 'x86', values: [...ARCHS], doc: 'architecture: switch_mm barrier, return-to-user serialization, sync_core_before_usermode (docs/models/membarrier.md 7)', scope: true },
    syncCoreIncludesSelf: { default: true, doc: 'MB-1 fix e45cdc71d1fa: SYNC_CORE samples the calling CPU and uses on_each_cpu_mask; no P2 shortcut for SYNC_CORE' },
    syncCoreIpiSerializes: { default: true, doc: 'MB-2 fix 758c9373d841: the SYNC_CORE IPI runs ipi_sync_core (sync_core_before_usermode), not ipi_mb' },
    globalSource: { default: 'rqCopy', values: ['rqCopy', 'remoteMm'], doc: 'MB-5 fix 227a4aadc75b: GLOBAL_EXPEDITED filters on rq->membarrier_state, not p->mm->membarrier_state' },
    globalSkipsPfKthread: { default: false, doc: 'MB-3 (v5.4–v5.9 shape): GLOBAL_EXPEDITED skips PF_KTHREAD tasks instead of tasks without mm' },
    kthreadUseMmUpdatesRqState: { default: true, doc: 'MB-4 fix 618758ed3a4f: kthread_use_mm / kthread_unuse_mm call membarrier_update_current_mm' },
    ipiMutex: { default: true, doc: '944d5fe50f3f (v6.8, CVE-2024-26602): membarrier_ipi_mutex serializes the expedited commands and sync_runqueues_membarrier_state from the rq->curr loop to the return (false: pre-v6.8, two calls run concurrently; only matters with issuers = 2)' },
    switchMmSameMmShortcut: { default: true, doc: 'mainline membarrier_switch_mm returns when prev->active_mm == next->mm, even if kthread_unuse_mm / exit_mm zeroed rq->membarrier_state (false: compare the states only — a candidate fix, not upstream)' },
  },
  scopes: {
    // mainline reports the open finding (MBP-1) at once; with its fix: ok, 23,673,942 states, about 3 minutes
    wide: { doc: '3 CPUs', params: { cpus: 3 } },
    // the caller preempted and migrated inside the call (preempt_schedule, sched.ts) with a CPU of
    // sibling threads to migrate to and to sample; mainline reports MBP-1 (35 steps) after 7,982,304
    // states, about 31 s; with its fix incomplete after an hour with two workers (694,287,425 states, depth 95)
    deep: { doc: '3 CPUs, the caller preempted inside membarrier() outside rcu_read_lock() and preempt_disable() (callerPreempt = 1)', params: { cpus: 3, callerPreempt: 1 } },
  },
  actors: (p) => ({ cpu: p.cpus }),
  // No symmetry is declared: nothing in this scope is interchangeable. CPU0 is the caller (SYS tests
  // c === 0, the loops skip it), CPU1 alone runs KTHREAD and OTHER (runnable), CPU2 and CPU3 only
  // siblings, but the rq->curr loops of membarrier_private_expedited, membarrier_global_expedited and
  // sync_runqueues_membarrier_state visit them in CPU order (call.x), so CPU2 and CPU3 differ by when
  // they are sampled, and the properties keep sets of CPUs as plain bitmasks in their ghost state; the
  // tasks each have their own role; the mms too (M is the caller's, N execs into E: EX1, EX6), and
  // MBP-2 keeps sets of mms as plain bitmasks in its ghost state, which a permutation would not rename.
  state: (p) => declareState(p),
  init: (s, p, f) => initState(s, p, f),
  events: withSecondCall({
    Mb: ['cpu'],
    Ser: ['cpu'],
    UserAccess: ['cpu', 'mm'],
    CodeModified: [],
    ExecuteNew: ['cpu'],
    BarrierA: ['cpu', 'targets'],
    BarrierC: ['cpu'],
    ReadyCheck: ['cmd', 'ready'],
    IpiQueued: ['cpu', 'kind'],
    Target: ['cpu', 'task', 'mm'],
    Return: ['cmd', 'ret', 'nohzFull'],
    MmStateRead: ['mm'],
    RqStore: ['cpu', 'field', 'value'],
    Skip: ['cpu', 'field', 'value'],
    RseqBegin: ['cpu'],
    RseqCommit: ['cpu'],
    RseqAbort: ['cpu'],
  }),
  procedures: (p, f) => {
    const A = archTraits(f.arch);
    return [
      ...syscallProcedures(p, f, A),
      ...schedProcedures(p, f, A),
      ...ipiProcedures(p, A),
      ...mmTransitionProcedures(p, f, A),
      ...userProcedures(p),
    ];
  },
  // The call is the caller task's, its program counter call.phase (syscall.ts), so it is not an
  // actor's procedure: the stuck-actor check is told here that a call in progress must be able to
  // return (e.g. the IPI wait P6w / G5w, or synchronize_rcu in GL1-GL2 and RG3-RG5).
  busy: (p) => ({
    'the membarrier call': { at: (s) => s.call.phase /* none is 0 */, what: (s) => `membarrier(MEMBARRIER_CMD_${Cmd.names[s.call.cmd]}) is at ${CallPhase.names[s.call.phase]}` },
    ...(p.issuers > 1 ? {
      'the second membarrier call': { at: (s: any) => s.call2.phase, what: (s: any) => `${Task.names[secondIssuerOf(p)!.task]}'s membarrier(MEMBARRIER_CMD_${Cmd.names[s.call2.cmd]}) is at ${primed(CallPhase.names[s.call2.phase])}` },
    } : {}),
  }),
  memory: ['sc', 'tso', 'weak'],
  storeBufferDepth: 2,
  stackDepth: 5,
});
