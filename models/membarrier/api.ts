// The membarrier model's API for variant files: the helpers a patch to kernel/sched/membarrier.c,
// kernel/sched/core.c, kernel/kthread.c, kernel/exit.c or fs/exec.c may call from its steps, and
// named constants for the model's encodings (the tasks and mms of the scope, NULL, the
// mm->membarrier_state bits, the commands, the csd kinds). A variant imports from this file only;
// docs/language.md ("Membarrier variants") shows one that does.
//
// A step's effect is `(s, c, x) => …`: s the state, c the CPU, x the step context (x.flags, x.params,
// x.goto, x.emit, …). Every helper below takes them in that order. In a step of a syscall body,
// `s.call` is the record of the call the step runs in: the caller's, or with param issuers = 2 the
// second issuer's (OTHER's GLOBAL_EXPEDITED runs the membarrier_global_expedited body too; with param
// secondIssuer = 1 CALLER2's PRIVATE_EXPEDITED runs membarrier_private_expedited), and the helpers
// below queue and wait for that call's csds.

// Encodings: tasks, mms and NULL.
export {
  CALLER, SIBLING, KTHREAD, OTHER, IDLE, CALLER2, TASKS, NO_TASK, // tasks; CALLER2 the second issuer thread of M (param secondIssuer = 1); NO_TASK is a NULL task reference
  M, N, E, MMS, NO_MM, // mms: M the caller's, N the other process's, E exec's new one; NO_MM is NULL (init_mm for active_mm)
  // mm->membarrier_state bits (include/linux/sched/mm.h)
  PRIVATE_EXPEDITED_READY, PRIVATE_EXPEDITED, GLOBAL_EXPEDITED_READY, GLOBAL_EXPEDITED,
  PRIVATE_EXPEDITED_SYNC_CORE_READY, PRIVATE_EXPEDITED_SYNC_CORE, PRIVATE_EXPEDITED_RSEQ_READY, PRIVATE_EXPEDITED_RSEQ,
  C, Cmd, // the commands: C.GLOBAL_EXPEDITED, C.REGISTER_PRIVATE_EXPEDITED, ...
  Ipi, // the csd queued on a CPU: Ipi.ids.none, ipi_mb, ipi_sync_core, ipi_sync_rq_state, ipi_rseq
  RseqCs, // a CPU's current rseq critical section: RseqCs.ids.none, active, doomed
  RET_OK, RET_EPERM, RET_EINVAL, // the syscall's return value in s.call.ret
  isRegister, isPrivate, isRseq, registerBits, readyBitOf,
  // barriers: smp_mb() (with the Mb event MBP-2 observes), a core-serializing event, a void atomic RMW
  mb, ser, voidAtomic,
  mmOf, // tsk->mm of a task
  // A patch that stores rq->curr (or the tsk->mm of the task current on a CPU) or rq->membarrier_state
  // calls these, so that MBP-2 knows which of the CPU's accesses the store orders under sc and tso
  // (a direct write is checked by the stricter rule: every access of the open window counts).
  publishCurr, setRqState, RQ_CURR, RQ_STATE, currCode,
} from './defs.ts';
export { UNSET_KU } from './state.ts'; // cpu.kuOld outside kthread_use_mm

// The architecture: which scheduler steps are barriers, what serializes (traitsOf(x) in a step).
export { archTraits, traitsOf, type ArchTraits } from './arch.ts';

// mm reference counts and the mm->membarrier_state read (MBP-5 checks the mm is alive).
export { mmgrab, mmdrop, mmput, readState } from './mm.ts';

// The IPI side: the function a csd runs on a CPU (ipi_mb, ipi_sync_core, ipi_sync_rq_state, ipi_rseq).
export { runCsd } from './ipi.ts';

// The syscall side: smp_call_function_many's queueing, csd_lock_wait, barrier (c), the remote CPUs,
// and the rq->curr loops' `continue` (their steps declare the labels it may go to: jumps).
export { queueCsd, allDone, barrierC, others, advanceGlobal, advancePrivate } from './syscall.ts';

// The scheduler side and the mm transitions.
export { resumeCurrent, switchTask } from './sched.ts';
export { membarrierUpdateCurrentMm } from './mm-transitions.ts';
