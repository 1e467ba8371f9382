// State of the membarrier model (docs/models/membarrier.md 3.3) and its warm start.
import { bool, int, ref, setOf } from '../../src/lang/domain.ts';
import type { Params, Flags } from '../../src/lang/model.ts';
import { own, perCpu, perMm, plain, published } from '../../src/lang/schema.ts';
import { ALL_REGISTERED, CALLER, CallPhase, Cmd, Ipi, M, MMS, N, NO_MM, NO_TASK, OTHER, RseqCs, SIBLING, STATE_BITS, TASKS } from './defs.ts';

export function declareState(p: Params) {
  return {
    // Fields another CPU reads are published (only this CPU's steps write them): rq->curr and
    // rq->membarrier_state (sampled by the membarrier caller's loops, P5a/G4a/G4b/RG6a; written by
    // this CPU's __schedule, membarrier_switch_mm, exec_mmap, ipi_sync_rq_state, and the caller's
    // sync_runqueues_membarrier_state on its own rq only). Fields another CPU writes are shared: the
    // csd queued on the CPU (written by the caller's smp_call_function_many, polled by csd_lock_wait)
    // and the riscv icache_stale_mask bit (set for every CPU by prepare_sync_core_cmd). Every other
    // field is `own`: only the CPU's own steps (scheduler, IRQ entry, mm transitions, user events)
    // read or write it.
    cpu: perCpu(p.cpus, {
      curr: published(plain(ref('task', TASKS))), // rq->curr (RCU-published plain store, SCH4)
      rqmb: published(plain(int(0, STATE_BITS))), // rq->membarrier_state (WRITE_ONCE / READ_ONCE)
      // own: current->active_mm is only used by this CPU's context_switch, kthread_use_mm, exit_mm and
      // exec_mmap; membarrier samples rq->curr and tsk->mm, never the active mm.
      activeMm: own(ref('mm', MMS, { extra: ['NULL'] })), // current->active_mm (NULL = init_mm)
      // own: cpu_tlbstate.loaded_mm / is_lazy are read remotely only by TLB shootdowns, which this
      // model abstracts away; here only this CPU's switch_mm_irqs_off and enter_lazy_tlb use them.
      loadedMm: own(ref('mm', MMS, { extra: ['NULL'] })), // the mm whose page tables the CPU uses (x86 cpu_tlbstate.loaded_mm)
      lazy: own(bool()), // x86 cpu_tlbstate_shared.is_lazy
      prevMm: own(ref('mm', MMS, { extra: ['NULL'] })), // rq->prev_mm: context_switch → finish_task_switch, under this rq's lock
      irqsOn: own(bool()), // local_irq_disable / local_irq_enable act on this CPU only
      inUser: own(bool()), // the CPU executes user code of curr (only this CPU's entry/exit steps change it)
      ipi: Ipi, // the caller's csd queued on this CPU (its broadcast in flight)
      ...(p.issuers > 1 ? { ipi2: Ipi } : {}), // the second issuer's csd (the per-CPU cfd of its sending CPU)
      icacheStale: plain(bool()), // riscv: this CPU's bit in M's icache_stale_mask
      // Procedure locals (reset when the procedure is done): own, the stack frame of this CPU's
      // __schedule, finish_task_switch, sysvec_call_function and kthread_use_mm.
      prev: own(ref('task', TASKS, { extra: ['NULL'] })), // __schedule: prev
      next: own(ref('task', TASKS, { extra: ['NULL'] })), // __schedule: next (set from SCH3 to the end of the switch)
      finishMm: own(ref('mm', MMS, { extra: ['NULL'] })), // finish_task_switch: mm = rq->prev_mm
      fromUser: own(bool()), // the IPI interrupted user mode (irqentry_enter's state)
      kuOld: own(ref('mm', MMS, { extra: ['NULL', 'UNSET'] })), // kthread_use_mm: old active_mm (UNSET outside KU4..KU8)
      sawFlag: own(bool()), // the user thread on this CPU observed the JIT's published flag (E1): a register of that thread
      // own: the rseq critical section of the user thread current on this CPU (its rseq_cs / IP, and
      // TIF_NOTIFY_RESUME with RSEQ_EVENT_PREEMPT set by rseq_preempt(current) in ipi_rseq, which runs
      // on this CPU): none, active (between RS1 and the commit RS2), doomed (rseq_preempt was called:
      // the return to user space restarts it at its abort handler).
      rseqCs: own(RseqCs),
    }),
    mm: perMm(MMS, {
      state: int(0, STATE_BITS), // mm->membarrier_state
      users: int(0, 2), // mm_users
      count: int(0, 4), // mm_count
      freed: bool(), // __mmdrop ran
    }),
    kthreadMm: plain(ref('mm', MMS, { extra: ['NULL'] })), // KTHREAD's tsk->mm (kthread_use_mm)
    otherMm: plain(ref('mm', MMS, { extra: ['NULL'] })), // OTHER's tsk->mm (NULL after exit_mm)
    otherDead: bool(),
    siblingExited: bool(), // a thread of M went through exit_mm (param siblingExits: one exit per run)
    codeReady: plain(bool()), // user memory: the JIT's "new code is ready" flag
    caller: {
      modified: bool(), // W1 done: the JIT wrote new code
      calls: int(0, p.calls), // membarrier calls returned
      syncOk: bool(), // the last call was PRIVATE_EXPEDITED_SYNC_CORE and returned 0
      preempted: bool(), // preempted inside the call and switched out (finish_task_switch cleared on_cpu): runnable on any CPU
    },
    call: callRecord(p), // the caller's call
    // param issuers = 2: the second issuer's call (OTHER's GLOBAL_EXPEDITED or CALLER2's
    // PRIVATE_EXPEDITED, syscall.ts), with its own program counter, loop variables and mask (done: the
    // call was issued, the issuer's program), and membarrier_ipi_mutex (flag ipiMutex): MUTEX_FREE, or
    // held by call i as i + 1.
    ...(p.issuers > 1 ? { call2: { ...callRecord(p), done: bool() }, ipiMutexOwner: int(0, 2) } : {}),
    gp: setOf('cpu', p.cpus), // CPUs the grace period in flight still waits for
  };
}

/** A membarrier call in progress (the issuing task's kernel stack): its program counter and locals. */
function callRecord(p: Params) {
  return {
    phase: CallPhase, // the issuer's program counter in the call (the call is the task's kernel stack)
    rcu: bool(), // the issuer holds rcu_read_lock() (the rq->curr sampling loop)
    cmd: Cmd,
    x: int(0, p.cpus), // the loop's CPU
    p: ref('task', TASKS, { extra: ['NULL'] }), // p = rcu_dereference(cpu_rq(x)->curr)
    mmp: ref('mm', MMS, { extra: ['NULL'] }), // p->mm (the pre-v5.4 global filter)
    mask: setOf('cpu', p.cpus), // tmpmask
    ret: int(0, 2),
  };
}

export const UNSET_KU = MMS + 1; // the 'UNSET' extra value of cpu.kuOld

export function initState(s: any, p: Params, f: Flags): void {
  const mstate = p.registered ? ALL_REGISTERED : 0;
  s.mm[M].state = mstate;
  s.mm[M].users = 2; // the caller and its sibling threads; M outlives the run
  s.mm[N].users = 1; // OTHER is N's only user
  s.mm[N].count = 1;
  for (let c = 0; c < p.cpus; c++) {
    const x = s.cpu[c];
    x.irqsOn = true;
    x.inUser = true;
    x.kuOld = UNSET_KU;
    x.prev = NO_TASK;
    x.next = NO_TASK;
    x.finishMm = NO_MM;
    x.prevMm = NO_MM;
    if (c === 1) {
      // CPU1 runs OTHER, the only thread of the unregistered mm N.
      x.curr = OTHER;
      x.activeMm = N;
      x.loadedMm = N;
      x.rqmb = 0;
    } else {
      // CPU0 runs the caller; further CPUs run sibling threads of M.
      x.curr = c === 0 ? CALLER : SIBLING;
      x.activeMm = M;
      x.loadedMm = M;
      x.rqmb = mstate;
    }
  }
  s.kthreadMm = NO_MM;
  s.otherMm = N;
  s.call.p = NO_TASK;
  s.call.mmp = NO_MM;
  if (p.issuers > 1) {
    s.call2.p = NO_TASK;
    s.call2.mmp = NO_MM;
  }
}
