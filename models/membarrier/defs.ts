// Names shared by the membarrier model's modules: the tasks and mms of the scope, the
// mm->membarrier_state bits (include/linux/sched/mm.h), the commands (include/uapi/linux/membarrier.h),
// return codes, and the helpers that emit the barrier events the properties observe.
import { enumOf } from '../../src/lang/domain.ts';
import type { Params, StepCtx } from '../../src/lang/model.ts';
import type { ArchTraits } from './arch.ts';

// Tasks. Threads of one mm that wait on a runqueue are interchangeable, so SIBLING stands for "another
// thread of the caller's mm, blocked in a syscall or preempted" (a pool: a switch SIBLING → SIBLING is
// a switch to a different thread of the same mm). CALLER is the thread that issues membarrier on CPU0.
// KTHREAD is a vhost/io_uring-style kernel thread (kthread_use_mm), OTHER the single thread of another
// process (it may exit or exec), IDLE the idle task (a kernel thread without mm). EXITING is a thread
// of M that has gone through exit_mm (tsk->mm = NULL, active_mm still M) and is on its way to
// do_task_dead (param siblingExits): no runqueue holds it, it is only ever current where it exited.
// CALLER2 is a second thread of M that issues one MEMBARRIER_CMD_PRIVATE_EXPEDITED (params issuers = 2,
// secondIssuer = 1): a task of its own, apart from the SIBLING pool, on CPU1's runqueue until it has
// issued its call. It comes last so that the other tasks keep their numbers (stored traces name the
// task SCH3 picks by number).
export const Task = enumOf(['CALLER', 'SIBLING', 'KTHREAD', 'OTHER', 'IDLE', 'EXITING', 'CALLER2']);
export const { CALLER, SIBLING, KTHREAD, OTHER, IDLE, EXITING, CALLER2 } = Task.ids;
export const TASKS = Task.names.length;
/** NULL in a task reference (the extra value after the tasks). */
export const NO_TASK = TASKS;

// mms: M is the membarrier process (CALLER and SIBLING threads), N the other process, E the mm exec
// installs. init_mm is NO_MM (a CPU whose active mm is init_mm has no user mm loaded).
export const M = 0;
export const N = 1;
export const E = 2;
export const MMS = 3;
/** NULL (no mm / init_mm) in an mm reference: the extra value after the mms. */
export const NO_MM = MMS;

// mm->membarrier_state bits [src include/linux/sched/mm.h].
export const PRIVATE_EXPEDITED_READY = 1 << 0;
export const PRIVATE_EXPEDITED = 1 << 1;
export const GLOBAL_EXPEDITED_READY = 1 << 2;
export const GLOBAL_EXPEDITED = 1 << 3;
export const PRIVATE_EXPEDITED_SYNC_CORE_READY = 1 << 4;
export const PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
export const PRIVATE_EXPEDITED_RSEQ_READY = 1 << 6;
export const PRIVATE_EXPEDITED_RSEQ = 1 << 7;
export const STATE_BITS = 255;
export const ALL_REGISTERED = STATE_BITS;

// membarrier commands (one per run; registrations return at RG1 when already registered). The RSEQ
// commands come last (MBP-4): PRIVATE_EXPEDITED_RSEQ with flags = 0 (cpu_id = -1: every CPU running
// the mm), and with MEMBARRIER_CMD_FLAG_CPU and cpu_id = 1 (the CPU where the other threads of M run).
export const Cmd = enumOf([
  'GLOBAL',
  'GLOBAL_EXPEDITED',
  'PRIVATE_EXPEDITED',
  'PRIVATE_EXPEDITED_SYNC_CORE',
  'REGISTER_GLOBAL_EXPEDITED',
  'REGISTER_PRIVATE_EXPEDITED',
  'REGISTER_PRIVATE_EXPEDITED_SYNC_CORE',
  'PRIVATE_EXPEDITED_RSEQ',
  'PRIVATE_EXPEDITED_RSEQ_CPU1',
  'REGISTER_PRIVATE_EXPEDITED_RSEQ',
]);
export const C = Cmd.ids;
export const isRegister = (cmd: number): boolean =>
  cmd === C.REGISTER_GLOBAL_EXPEDITED || cmd === C.REGISTER_PRIVATE_EXPEDITED || cmd === C.REGISTER_PRIVATE_EXPEDITED_SYNC_CORE || cmd === C.REGISTER_PRIVATE_EXPEDITED_RSEQ;
/** MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ (membarrier_private_expedited(MEMBARRIER_FLAG_RSEQ, cpu_id)). */
export const isRseq = (cmd: number): boolean => cmd === C.PRIVATE_EXPEDITED_RSEQ || cmd === C.PRIVATE_EXPEDITED_RSEQ_CPU1;
/** The private expedited commands (P1 checks a READY bit: -EPERM without it). */
export const isPrivate = (cmd: number): boolean => cmd === C.PRIVATE_EXPEDITED || cmd === C.PRIVATE_EXPEDITED_SYNC_CORE || isRseq(cmd);
/** cpu_id of the call: 1 with MEMBARRIER_CMD_FLAG_CPU, else -1 (sys_membarrier sets it when the flag is clear). */
export const cpuIdOf = (cmd: number): number => (cmd === C.PRIVATE_EXPEDITED_RSEQ_CPU1 ? 1 : -1);

/** Registration: bits set at RG2 and READY bits set at RG8 (membarrier_register_*_expedited). */
export function registerBits(cmd: number): { set: number; ready: number } {
  if (cmd === C.REGISTER_GLOBAL_EXPEDITED) return { set: GLOBAL_EXPEDITED, ready: GLOBAL_EXPEDITED_READY };
  if (cmd === C.REGISTER_PRIVATE_EXPEDITED) return { set: PRIVATE_EXPEDITED, ready: PRIVATE_EXPEDITED_READY };
  // membarrier_register_private_expedited(MEMBARRIER_FLAG_RSEQ): ready_state is the RSEQ READY bit only.
  if (cmd === C.REGISTER_PRIVATE_EXPEDITED_RSEQ) return { set: PRIVATE_EXPEDITED | PRIVATE_EXPEDITED_RSEQ, ready: PRIVATE_EXPEDITED_RSEQ_READY };
  // MEMBARRIER_FLAG_SYNC_CORE: ready_state is the SYNC_CORE READY bit only (PRIVATE_EXPEDITED itself
  // still needs its own registration).
  return { set: PRIVATE_EXPEDITED | PRIVATE_EXPEDITED_SYNC_CORE, ready: PRIVATE_EXPEDITED_SYNC_CORE_READY };
}

/** READY bit a private command checks at P1. */
export const readyBitOf = (cmd: number): number =>
  cmd === C.PRIVATE_EXPEDITED_SYNC_CORE ? PRIVATE_EXPEDITED_SYNC_CORE_READY : isRseq(cmd) ? PRIVATE_EXPEDITED_RSEQ_READY : PRIVATE_EXPEDITED_READY;

/** Phases for the steps a variant adds to the syscall bodies (labels the mainline call does not have), in the order they are met. */
export const ADDED_PHASES = ['added1', 'added2', 'added3', 'added4', 'added5', 'added6', 'added7', 'added8'] as const;

/**
 * The CALLER's program counter inside sys_membarrier (the label of its next step; none: not in the
 * call). The call is the task's, so it moves with the task when the task migrates.
 */
export const CallPhase = enumOf([
  'none',
  'P1', 'P3', 'P4', 'P5a', 'P5b', 'P6', 'P6b', 'P6w', 'P8',
  'G2', 'G3', 'G4a', 'G4b', 'G4c', 'G4m', 'G5', 'G5w', 'G7',
  'GL1', 'GL2',
  'RG1', 'RG2', 'RG3', 'RG5', 'RG6m', 'RG6a', 'RG6b', 'RG7', 'RG7l', 'RG7w', 'RG8',
  'SYSX',
  ...ADDED_PHASES,
]);

// The second issuer (param issuers = 2), one call while the caller's may be in flight; param
// secondIssuer picks it: 0, OTHER, the thread of the other process N on CPU1, issues
// MEMBARRIER_CMD_GLOBAL_EXPEDITED (no registration needed); 1, CALLER2, another thread of the
// caller's mm M on CPU1, issues MEMBARRIER_CMD_PRIVATE_EXPEDITED (M's registration, as the caller's).
// Its call is a second record (s.call2) run by the same syscall bodies; its steps and the events of
// its call carry the caller's names primed (G2 → G2', P3 → P3', BarrierA → BarrierA'), so traces and
// monitors tell the two calls apart.
/** Which call a call step runs: 0 the caller's (s.call), 1 the second issuer's (s.call2). */
export const CALLER_CALL = 0;
export const SECOND_CALL = 1;
/** param secondIssuer: OTHER's GLOBAL_EXPEDITED, or CALLER2's PRIVATE_EXPEDITED. */
export const SECOND_OTHER_GLOBAL = 0;
export const SECOND_THREAD_PRIVATE = 1;
/** The second issuer of a run: the task, the command its call issues, and the phase that call starts at. */
export interface SecondIssuer {
  readonly task: number;
  readonly cmd: number;
  readonly entry: number;
}
const SECOND_ISSUERS: readonly SecondIssuer[] = [
  { task: OTHER, cmd: C.GLOBAL_EXPEDITED, entry: CallPhase.ids.G2 },
  { task: CALLER2, cmd: C.PRIVATE_EXPEDITED, entry: CallPhase.ids.P1 },
];
/** The second issuer of params p (null with one issuer). */
export const secondIssuerOf = (p: Params): SecondIssuer | null => (p.issuers > 1 ? SECOND_ISSUERS[p.secondIssuer] : null);
/** The second issuer's name for a step label or call event of the caller's. */
export const primed = (name: string): string => `${name}'`;
/** The events a call emits about itself (the monitors keep one record per call). */
export const CALL_EVENTS = ['ReadyCheck', 'BarrierA', 'BarrierC', 'Target', 'Skip', 'IpiQueued', 'Return'] as const;
/** membarrier_ipi_mutex (kernel/sched/membarrier.c, 944d5fe50f3f): free, or held by call 0 / call 1 (value call + 1). */
export const MUTEX_FREE = 0;

/** State of the rseq critical section of the user thread current on a CPU (rseq(2), kernel/rseq.c). */
export const RseqCs = enumOf(['none', 'active', 'doomed']);

// Return codes of the syscall, as event arguments.
export const RET_OK = 0;
export const RET_EPERM = 1;
export const RET_EINVAL = 2;

// The kind of csd a membarrier call queued on a CPU (smp_call_function_many uses the sending CPU's own
// per-CPU cfd, so each issuer has its own csd on a target: cpu.ipi for the caller's, cpu.ipi2 for the
// second issuer's).
export const Ipi = enumOf(['none', 'ipi_mb', 'ipi_sync_core', 'ipi_sync_rq_state', 'ipi_rseq']);


/** Which tasks a CPU's runqueue may hold: CPU0 runs the caller's mm; CPU1 also runs KTHREAD, OTHER and CALLER2; CPU2 and CPU3 sibling threads of M and idle. */
export function runnable(c: number, t: number): boolean {
  if (t === SIBLING) return true;
  if (t === EXITING) return false; // dead once switched out
  if (t === CALLER) return false; // the caller, once switched out, has finished its program
  if (c === 0) return false;
  if (t === CALLER2) return c === 1; // while it has not issued its call (sched.ts canPick)
  if (t === IDLE) return true;
  return c === 1; // KTHREAD and OTHER live on CPU1
}

/** tsk->mm of a task (CALLER, SIBLING and CALLER2 are threads of M; KTHREAD and OTHER have their own field). */
export function mmOf(s: any, t: number): number {
  if (t === CALLER || t === SIBLING || t === CALLER2) return M;
  if (t === KTHREAD) return s.kthreadMm;
  if (t === OTHER) return s.otherMm;
  return NO_MM;
}

/** A full memory barrier on CPU c (smp_mb, a LOCKed RMW on x86, smp_mb__after_spinlock). */
export function mb(x: StepCtx, c: number): void {
  x.fence();
  x.emit('Mb', c);
}

/**
 * rcu_qs() (kernel/rcu/tree_plugin.h): CPU c passes a quiescent state for the grace period in flight
 * (s.gp, the CPUs it still waits for). Outside an extended quiescent state (eqs: idle, nohz_full user
 * mode) the grace period implies a full barrier on the CPU (the rcu_node lock of the report).
 */
export function rcuQs(s: any, c: number, x: StepCtx, eqs: boolean): void {
  s.gp = s.gp & ~(1 << c);
  if (!eqs) mb(x, c);
}

/** A core-serializing event on CPU c; on x86 a serializing instruction is also a full barrier. */
export function ser(x: StepCtx, c: number, a: ArchTraits): void {
  if (a.serIsMb) mb(x, c);
  x.emit('Ser', c);
}

// The runqueue fields the membarrier caller samples to decide that it skips a CPU, as the RqStore
// (the CPU's store) and Skip (the caller's decision) events name them; MBP-2 matches the two to know
// which of the CPU's accesses the store the caller read orders (properties/membarrier.ts).
/** `p = rcu_dereference(cpu_rq(cpu)->curr); p->mm`: rq->curr with the tsk->mm of the task it names. */
export const RQ_CURR = 0;
/** `READ_ONCE(cpu_rq(cpu)->membarrier_state)`. */
export const RQ_STATE = 1;
/** The value `rq->curr, p->mm` reads, as one number: the task and its mm. */
export const currCode = (t: number, m: number): number => t * (NO_MM + 1) + m;
/** How many values currCode takes. */
export const CURR_CODES = (NO_TASK + 1) * (NO_MM + 1);

/**
 * CPU c has stored rq->curr (RCU_INIT_POINTER in __schedule) or the tsk->mm of the task current on it
 * (kthread_use_mm, kthread_unuse_mm, exit_mm, exec_mmap): the pair the caller's rq->curr loop reads.
 */
export function publishCurr(s: any, c: number, x: StepCtx): void {
  const t = s.cpu[c].curr;
  x.emit('RqStore', c, RQ_CURR, currCode(t, mmOf(s, t)));
}

/** CPU c stores its rq->membarrier_state (WRITE_ONCE / this_cpu_write: only the CPU's own runqueue). */
export function setRqState(s: any, c: number, x: StepCtx, v: number): void {
  s.cpu[c].rqmb = v;
  x.emit('RqStore', c, RQ_STATE, v);
}

/** A void atomic RMW (atomic_or, atomic_inc): a full barrier on x86 only (LKMM: unordered). */
export function voidAtomic(x: StepCtx, c: number, a: ArchTraits): void {
  if (a.lockedRmwIsMb) mb(x, c);
}
