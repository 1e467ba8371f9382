// sys_membarrier as issued by the CALLER thread (kernel/sched/membarrier.c, docs/models/membarrier.md 4.1–4.4):
// the private and global expedited commands with barriers (a) and (c), the rq->curr sampling loops,
// the IPI broadcast and wait, MEMBARRIER_CMD_GLOBAL (synchronize_rcu), and the registrations with
// sync_runqueues_membarrier_state. With param issuers = 2 a second task on CPU1 issues one call too:
// OTHER (the thread of the other process N) MEMBARRIER_CMD_GLOBAL_EXPEDITED, or with param
// secondIssuer = 1 CALLER2 (another thread of the caller's mm) MEMBARRIER_CMD_PRIVATE_EXPEDITED: the
// same body, run over its own call record (s.call2), its steps primed (G2', P3'), and
// membarrier_ipi_mutex (flag ipiMutex, v6.8+) serializes the two calls' IPI phases
// (docs/models/membarrier.md 4.10).
//
// The call is the CALLER task's kernel stack, not a CPU's: its program counter is `call.phase` (the
// label of the next step), and each step runs on whichever CPU has the CALLER current (rules that
// fire while that CPU is idle at the model level, i.e. between two of its own procedures). So the
// caller can be preempted at a preemption point of the kernel code (param callerPreempt, procedure
// preempt_schedule in sched.ts) and resume on another CPU: migration. Without preemption the caller
// stays on CPU0 and the phases map one-to-one onto the program counter of a sequential procedure.
import { type Flags, type Params, type ProcedureDef, rules, step, type StepCtx, type StepDef } from '../../src/lang/model.ts';
import { ModelError, UsageError } from '../../src/lang/errors.ts';
import type { ArchTraits } from './arch.ts';
import {
  ADDED_PHASES, C, CALL_EVENTS, CALLER, CALLER2, CALLER_CALL, CallPhase, Cmd, cpuIdOf, currCode, GLOBAL_EXPEDITED, GLOBAL_EXPEDITED_READY, IDLE, Ipi, isRegister, isRseq, KTHREAD, M, mb, MMS, mmOf, MUTEX_FREE, NO_MM, NO_TASK, primed, readyBitOf, registerBits, RET_EINVAL, RET_EPERM, RET_OK, RQ_CURR, RQ_STATE, SECOND_CALL, type SecondIssuer, secondIssuerOf, setRqState, Task, voidAtomic,
} from './defs.ts';
import { runCsd } from './ipi.ts';
import { readState } from './mm.ts';

const K = Ipi.ids;
const PH = CallPhase.ids;

/**
 * The call's program counter for each step of the syscall bodies: the mainline labels have their
 * CallPhase value; a step a variant adds takes the next of ADDED_PHASES. One table per instance (the
 * bodies of one call share call.phase).
 */
class Phases {
  private readonly added = new Map<string, number>();
  /** The body each mainline label belongs to: the same label elsewhere (a copy, a move) is an added step. */
  readonly home = new Map<string, string>();
  of(proc: string, label: string): number {
    if (this.home.get(label) === proc) return PH[label as keyof typeof PH];
    const key = `${proc}:${label}`;
    let a = this.added.get(key);
    if (a === undefined) {
      if (this.added.size === ADDED_PHASES.length) throw new UsageError(`variant adds step ${key}: the membarrier call has room for ${ADDED_PHASES.length} added steps (call.phase ${ADDED_PHASES.join(', ')})`);
      a = PH[ADDED_PHASES[this.added.size]];
      this.added.set(key, a);
    }
    return a;
  }
}

/**
 * The state as the second issuer's call steps see it: every field of the state view, except that
 * `call` is that call's own record (s.call2). The bodies are the caller's, so a step (a variant's
 * too) that reads `s.call` reads the record of the call it runs in. One per state view, built on its
 * first use (an explorer keeps its state view for the whole search).
 */
class SecondCallView {
  constructor(base: any) {
    const names = new Set([...Object.keys(base), ...Object.getOwnPropertyNames(Object.getPrototypeOf(base))]);
    for (const n of names) {
      if (n === 'constructor' || n.startsWith('$$')) continue;
      const d: PropertyDescriptor = n === 'call'
        ? { get: () => base.call2 }
        : { get: () => base[n], set: (v: unknown) => { base[n] = v; } };
      Object.defineProperty(this, n, { ...d, enumerable: true });
    }
    Object.preventExtensions(this);
  }
}
const secondViews = new WeakMap<object, SecondCallView>();
function secondView(s: any): any {
  let v = secondViews.get(s);
  if (v === undefined) {
    v = new SecondCallView(s);
    secondViews.set(s, v);
  }
  return v;
}
/** Which call a call step's state view runs: CALLER_CALL (s.call) or SECOND_CALL (s.call2). */
export const callOf = (s: any): number => (s instanceof SecondCallView ? SECOND_CALL : CALLER_CALL);

/** An issuing task: its call record, the state view its call steps see, the names of its steps. */
interface Issuer {
  readonly call: number;
  readonly task: number;
  record(s: any): any;
  view(s: any): any;
  label(l: string): string;
}
const CALLER_ISSUER: Issuer = { call: CALLER_CALL, task: CALLER, record: (s) => s.call, view: (s) => s, label: (l) => l };
/** The second issuer's kernel stack: its task (OTHER or CALLER2), its record s.call2, its steps primed. */
const secondIssuer = (task: number): Issuer => ({ call: SECOND_CALL, task, record: (s) => s.call2, view: secondView, label: primed });
/** The body the second issuer's command runs. */
const bodyOf = (who: SecondIssuer): string => (who.cmd === C.GLOBAL_EXPEDITED ? 'membarrier_global_expedited' : 'membarrier_private_expedited');

/**
 * One syscall body as rules of the issuers' kernel stacks, lowered after a variant's edits
 * (ProcedureDef.lower): step L of an issuer runs when its call.phase is L's phase and the CPU has
 * the issuing task current; it continues at the next step of the list, at x.goto's label (one of its
 * `jumps`), or, after the last step and at x.ret(), at SYSX (the return to sys_membarrier). A body
 * the second issuer runs too (`second`) is lowered once per issuer from the same edited steps: a
 * patch to the kernel function changes both calls.
 */
function callerRules(name: string, phases: Phases, steps: readonly StepDef[], second: Issuer | null = null): ProcedureDef {
  for (const d of steps) phases.home.set(d.label, name);
  const issuers = second ? [CALLER_ISSUER, second] : [CALLER_ISSUER];
  const lower = (edited: readonly StepDef[]): StepDef[] => {
    const at = edited.map((d) => phases.of(name, d.label));
    return issuers.flatMap((who) => edited.map((d, i) => {
      const me = at[i];
      const next = i + 1 < edited.length ? at[i + 1] : PH.SYSX;
      const jumps = new Map<string, number>((d.jumps ?? []).map((l) => [l, at[edited.findIndex((e) => e.label === l)]]));
      const { jumps: _, ...rest } = d;
      return {
        ...rest,
        label: who.label(d.label),
        when: (s: any, c: number, x: StepCtx) => who.record(s).phase === me && s.cpu[c].curr === who.task && (d.when === undefined || d.when(who.view(s), c, x)),
        do: (s: any, c: number, x: StepCtx) => {
          const v = who.view(s);
          v.call.phase = next;
          if (d.do) d.do(v, c, phaseCtx(v, x, who.call, `${name}:${d.label}`, jumps));
        },
      };
    }));
  };
  return { name, actor: 'cpu', kind: 'rules', idleOnly: true, steps, lower };
}

/** The second issuer's names of the call events (BarrierA → BarrierA'), built once. */
const SECOND_EVENTS = new Map<string, string>(CALL_EVENTS.map((e) => [e, primed(e)]));
/** The name under which call `call` emits event `e`. */
export const callEvent = (call: number, e: string): string => (call === SECOND_CALL ? SECOND_EVENTS.get(e) ?? e : e);

/**
 * The step context of a call step: goto and ret move call.phase (the issuer's program counter), and
 * the events of the call are the issuer's (callEvent). One per step context and call (an explorer
 * keeps its step context and state view for the whole search), so a call step allocates nothing.
 */
class PhaseCtx implements StepCtx {
  step = '';
  jumps: ReadonlyMap<string, number> = new Map();
  constructor(public s: any, private readonly x: StepCtx, private readonly issuer: number) {}
  get actor(): number { return this.x.actor; }
  get choice(): number { return this.x.choice; }
  get flags(): Flags { return this.x.flags; }
  get params(): Params { return this.x.params; }
  goto(label: string): void {
    const ph = this.jumps.get(label);
    if (ph === undefined) throw new ModelError(`${this.step}: goto '${label}', a label the step does not declare in its jumps (${[...this.jumps.keys()].join(', ') || 'none'})`);
    this.s.call.phase = ph;
  }
  ret(): void { this.s.call.phase = PH.SYSX; }
  call(proc: string, returnTo?: string): void { this.x.call(proc, returnTo); }
  emit(e: string, a?: number, b?: number, c?: number): void { this.x.emit(callEvent(this.issuer, e), a, b, c); }
  fence(): void { this.x.fence(); }
}
const phaseCtxs = [new WeakMap<StepCtx, PhaseCtx>(), new WeakMap<StepCtx, PhaseCtx>()];
function phaseCtx(s: any, x: StepCtx, call: number, step: string, jumps: ReadonlyMap<string, number>): StepCtx {
  let p = phaseCtxs[call].get(x);
  if (p === undefined) {
    p = new PhaseCtx(s, x, call);
    phaseCtxs[call].set(x, p);
  }
  p.s = s;
  p.step = step;
  p.jumps = jumps;
  return p;
}

/** Queues the call's csd on every CPU of `targets` (smp_call_function_many: llist_add, a LOCKed op, then the IPI). */
export function queueCsd(s: any, c: number, x: StepCtx, targets: number, kind: number, A: ArchTraits): void {
  const second = callOf(s) === SECOND_CALL;
  for (let d = 0; d < s.cpu.length; d++) {
    if (targets & (1 << d)) {
      if (second) s.cpu[d].ipi2 = kind;
      else s.cpu[d].ipi = kind;
      x.emit('IpiQueued', d, kind);
    }
  }
  if (targets) voidAtomic(x, c, A);
}

/** csd_lock_wait: every csd the call queued has run. */
export function allDone(s: any, targets: number): boolean {
  const second = callOf(s) === SECOND_CALL;
  for (let d = 0; d < s.cpu.length; d++) if (targets & (1 << d) && (second ? s.cpu[d].ipi2 : s.cpu[d].ipi) !== K.none) return false;
  return true;
}

/**
 * mutex_lock(&membarrier_ipi_mutex) (SERIALIZE_IPI, 944d5fe50f3f, v6.8): a step of its own that waits
 * while the other call holds the mutex. Present with two issuers and flag ipiMutex; with one issuer
 * the mutex is always free, and its acquisition (after barrier (a)) and release (after barrier (c))
 * order nothing the full barriers next to them do not, so the single-issuer model leaves it out. The
 * waiter stays current on its CPU (mutex_optimistic_spin while the owner runs); the sleeping slow
 * path, which would let the CPU run another task meanwhile, is not modeled.
 */
function ipiMutexLock(label: string, rest: Partial<StepDef> = {}): StepDef {
  return step(label, 'mutex_lock(&membarrier_ipi_mutex) — SERIALIZE_IPI(): wait while the other call holds it', {
    ...rest,
    when: (s) => s.ipiMutexOwner === MUTEX_FREE,
    do: (s, c, x) => {
      s.ipiMutexOwner = callOf(s) + 1;
      if (rest.do) rest.do(s, c, x);
    },
  });
}

/** mutex_unlock(&membarrier_ipi_mutex) if this call holds it (the guard's scope ends at the return). */
function ipiMutexUnlock(s: any, x: StepCtx): void {
  if (x.params.issuers > 1 && s.ipiMutexOwner === callOf(s) + 1) s.ipiMutexOwner = MUTEX_FREE;
}

/** Barrier (c), the call's last full barrier after every IPI completed; the call's target mask is done; the IPI mutex is released. */
export function barrierC(s: any, c: number, x: StepCtx): void {
  mb(x, c);
  x.emit('BarrierC', c);
  s.call.mask = 0;
  ipiMutexUnlock(s, x);
}

/** The return of sys_membarrier for the call record k of `call`: the Return event, the record cleared, syscall_exit_to_user_mode. */
function sysExit(k: any, call: number, x: StepCtx): void {
  x.emit(callEvent(call, 'Return'), k.cmd, k.ret, x.params.nohzFull);
  k.phase = PH.none;
  k.cmd = 0;
  k.ret = 0;
  k.x = 0;
  k.mask = 0;
  x.call('syscall_exit_to_user_mode');
}

export function syscallProcedures(p: Params, f: Flags, A: ArchTraits): ProcedureDef[] {
  const includeSelf = f.syncCoreIncludesSelf as boolean;
  if (p.secondIssuer > 0 && p.issuers < 2) throw new UsageError('param secondIssuer picks the second issuer: it needs --param issuers=2');
  const role = secondIssuerOf(p);
  const second = role !== null;
  const locking = second && (f.ipiMutex as boolean);
  // The body the second issuer runs besides the caller (its call steps are lowered from the same steps).
  const runBy = (body: string): Issuer | null => (role !== null && bodyOf(role) === body ? secondIssuer(role.task) : null);
  const rqCopy = f.globalSource === 'rqCopy';
  const isSyncCore = (s: any) => s.call.cmd === C.PRIVATE_EXPEDITED_SYNC_CORE;
  // The csd function of the private command: ipi_sync_core for SYNC_CORE since MB-2's fix, ipi_rseq
  // for MEMBARRIER_FLAG_RSEQ.
  const privateCsd = (s: any) => (isRseq(s.call.cmd) ? K.ipi_rseq : isSyncCore(s) && f.syncCoreIpiSerializes ? K.ipi_sync_core : K.ipi_mb);
  // SYNC_CORE uses on_each_cpu_mask (runs on the calling CPU too) since MB-1's fix; with cpu_id >= 0
  // smp_call_function_single() "will call ipi_func() if cpu_id is the calling CPU".
  const runsOnSelf = (s: any) => (isSyncCore(s) && includeSelf) || cpuIdOf(s.call.cmd) >= 0;
  const phases = new Phases();
  // The loops' continue / leave jumps (advancePrivate, advanceGlobal).
  const privateLoop = ['P5a', 'P6'];
  const globalLoop = ['G4a', 'G4b', 'G5'];

  return [
    rules('sys_membarrier', 'cpu', [
      step('SYS', 'syscall entry: membarrier(cmd, flags, cpu_id) — the user program picks cmd', {
        choose: { name: 'cmd', count: Cmd.names.length, of: null },
        when: (s, c, x) =>
          s.cpu[c].inUser && s.cpu[c].curr === CALLER && s.caller.calls < p.calls &&
          (x.choice === C.PRIVATE_EXPEDITED_SYNC_CORE) === s.caller.modified, // the JIT writer's program
        do: (s, c, x) => {
          s.cpu[c].inUser = false;
          s.call.cmd = x.choice;
          s.call.ret = RET_OK;
          s.call.phase = isRegister(x.choice) ? PH.RG1 : x.choice === C.GLOBAL ? PH.GL1 : x.choice === C.GLOBAL_EXPEDITED ? PH.G2 : PH.P1;
        },
      }),
      step('SYSX', 'return ret; syscall_exit_to_user_mode()', {
        when: (s, c) => s.call.phase === PH.SYSX && s.cpu[c].curr === CALLER,
        do: (s, c, x) => {
          const k = s.call;
          s.caller.calls = s.caller.calls + 1;
          s.caller.syncOk = k.cmd === C.PRIVATE_EXPEDITED_SYNC_CORE && k.ret === RET_OK;
          sysExit(k, CALLER_CALL, x);
        },
      }),
      // The second issuer's one call: OTHER's MEMBARRIER_CMD_GLOBAL_EXPEDITED (it needs no
      // registration) or CALLER2's MEMBARRIER_CMD_PRIVATE_EXPEDITED (M's READY bit, checked at P1').
      ...(role !== null ? [
        step<any>(primed('SYS'), `syscall entry of the second issuer, ${Task.names[role.task]} (a thread of ${role.task === CALLER2 ? 'M' : 'N'}): membarrier(MEMBARRIER_CMD_${Cmd.names[role.cmd]}, 0, 0)`, {
          when: (s, c) => s.cpu[c].inUser && s.cpu[c].curr === role.task && !s.call2.done,
          do: (s, c) => {
            const k = s.call2;
            s.cpu[c].inUser = false;
            k.done = true;
            k.cmd = role.cmd;
            k.ret = RET_OK;
            k.phase = role.entry;
          },
        }),
        step<any>(primed('SYSX'), `${Task.names[role.task]}: return ret; syscall_exit_to_user_mode()`, {
          when: (s, c) => s.call2.phase === PH.SYSX && s.cpu[c].curr === role.task,
          do: (s, c, x) => sysExit(s.call2, SECOND_CALL, x),
        }),
      ] : []),
    ], { idleOnly: true }),

    callerRules('membarrier_private_expedited', phases, [
      step('P1', 'READY bit of mm->membarrier_state missing (PRIVATE_EXPEDITED, _SYNC_CORE or _RSEQ) → -EPERM; SYNC_CORE: prepare_sync_core_cmd(mm); P2: !SYNC_CORE && (mm_users == 1 || one CPU) → return 0', {
        do: (s, c, x) => {
          const ready = (readState(s, x, M) & readyBitOf(s.call.cmd)) !== 0;
          x.emit('ReadyCheck', s.call.cmd, ready ? 1 : 0);
          if (!ready) {
            s.call.ret = RET_EPERM;
            return x.ret();
          }
          if (isSyncCore(s) && A.icacheStaleMask) for (let d = 0; d < p.cpus; d++) s.cpu[d].icacheStale = true; // riscv: cpumask_setall
          const shortcut = !isSyncCore(s) || !includeSelf;
          if (shortcut && (s.mm[M].users === 1 || p.cpus === 1)) x.ret();
        },
      }),
      step('P3', 'smp_mb() — barrier (a); then cpus_read_lock()', {
        do: (s, c, x) => {
          mb(x, c);
          x.emit('BarrierA', c, 1 << M);
          const cpuId = cpuIdOf(s.call.cmd);
          s.call.x = cpuId >= 0 ? cpuId : includeSelf ? 0 : nextOther(0, c);
        },
      }),
      ...(locking ? [ipiMutexLock('P4')] : []),
      step('P5a', 'rcu_read_lock(); p = rcu_dereference(cpu_rq(cpu)->curr) [cpu_id >= 0: cpu = cpu_id, no loop; before e45cdc71d1fa: if (cpu == raw_smp_processor_id()) continue]', {
        jumps: privateLoop,
        do: (s, c, x) => {
          const k = s.call;
          k.rcu = true;
          // The pre-MB-1-fix loop skipped the CPU it runs on, evaluated at each iteration (the caller
          // may have migrated since barrier (a)).
          if (!includeSelf && cpuIdOf(k.cmd) < 0 && k.x === c) return advancePrivate(s, c, x);
          k.p = s.cpu[k.x].curr;
        },
      }),
      step('P5b', 'if (p && p->mm == mm) __cpumask_set_cpu(cpu, tmpmask) [cpu_id >= 0: if (!p || p->mm != mm) goto out]; rcu_read_unlock() after the loop', {
        jumps: privateLoop,
        do: (s, c, x) => {
          const k = s.call;
          const pm = mmOf(s, k.p);
          if (pm === M) {
            k.mask = k.mask | (1 << k.x);
            x.emit('Target', k.x, k.p, pm);
          } else x.emit('Skip', k.x, RQ_CURR, currCode(k.p, pm));
          advancePrivate(s, c, x);
        },
      }),
      step('P6', 'smp_call_function_many(tmpmask, ipi_func) [self skipped; RSEQ: "don\'t rseq_preempt() the caller"], SYNC_CORE: on_each_cpu_mask(tmpmask, ipi_sync_core), cpu_id >= 0: smp_call_function_single(cpu_id, ipi_rseq): queue the remote csds', {
        jumps: ['P6w'],
        do: (s, c, x) => {
          const remote = s.call.mask & others(x, c);
          queueCsd(s, c, x, remote, privateCsd(s), A);
          if (!(runsOnSelf(s) && s.call.mask & (1 << c))) x.goto('P6w');
        },
      }),
      step('P6b', 'on_each_cpu_mask / smp_call_function_single: the calling CPU is in tmpmask — run ipi_func() locally with IRQs off', {
        do: (s, c, x) => runCsd(s, c, x, privateCsd(s), A),
      }),
      step('P6w', 'wait for every remote csd to complete; preempt_enable(); cpus_read_unlock()', {
        when: (s, c, x) => allDone(s, s.call.mask & others(x, c)),
      }),
      step('P8', 'smp_mb() — barrier (c) [v6.8+: then mutex_unlock(&membarrier_ipi_mutex), the guard\'s scope ending at the return]', {
        do: barrierC,
      }),
    ], runBy('membarrier_private_expedited')),

    callerRules('membarrier_global_expedited', phases, [
      step('G2', 'smp_mb() — barrier (a); then cpus_read_lock()', {
        jumps: ['G4b'],
        do: (s, c, x) => {
          mb(x, c);
          let targets = 0;
          for (let m = 0; m < MMS; m++) if (!s.mm[m].freed && s.mm[m].state & GLOBAL_EXPEDITED_READY) targets |= 1 << m;
          x.emit('BarrierA', c, targets);
          s.call.x = nextOther(0, c);
          if (!rqCopy && !locking) x.goto('G4b');
        },
      }),
      ...(locking ? [ipiMutexLock('G3', { jumps: ['G4b'], do: (s, c, x) => { if (!rqCopy) x.goto('G4b'); } })] : []),
      step('G4a', 'rcu_read_lock(); if (cpu == raw_smp_processor_id()) continue; if (!(READ_ONCE(cpu_rq(cpu)->membarrier_state) & MEMBARRIER_STATE_GLOBAL_EXPEDITED)) continue', {
        jumps: globalLoop,
        do: (s, c, x) => {
          s.call.rcu = true;
          if (s.call.x === c) return advanceGlobal(s, c, x);
          const st = s.cpu[s.call.x].rqmb;
          if (!(st & GLOBAL_EXPEDITED)) {
            x.emit('Skip', s.call.x, RQ_STATE, st);
            advanceGlobal(s, c, x);
          }
        },
      }),
      step('G4b', 'p = rcu_dereference(cpu_rq(cpu)->curr) [≤ v5.3: rcu_read_lock(); if (cpu == raw_smp_processor_id()) continue first]', {
        jumps: globalLoop,
        do: (s, c, x) => {
          s.call.rcu = true;
          if (!rqCopy && s.call.x === c) return advanceGlobal(s, c, x);
          s.call.p = s.cpu[s.call.x].curr;
        },
      }),
      step('G4c', 'v5.10+: if (!p->mm) continue; v5.4–v5.9: if (p->flags & PF_KTHREAD) continue; ≤ v5.3: mm = p->mm', {
        jumps: [...globalLoop, 'G4m'],
        do: (s, c, x) => {
          const k = s.call;
          const pm = mmOf(s, k.p);
          if (!rqCopy) {
            if (pm === NO_MM) {
              x.emit('Skip', k.x, RQ_CURR, currCode(k.p, pm));
              return advanceGlobal(s, c, x);
            }
            k.mmp = pm;
            return x.goto('G4m');
          }
          const skip = f.globalSkipsPfKthread ? k.p === KTHREAD || k.p === IDLE : pm === NO_MM;
          if (!skip) {
            k.mask = k.mask | (1 << k.x);
            x.emit('Target', k.x, k.p, pm);
          } else x.emit('Skip', k.x, RQ_CURR, currCode(k.p, pm));
          advanceGlobal(s, c, x);
        },
      }),
      step('G4m', '≤ v5.3: if (atomic_read(&p->mm->membarrier_state) & MEMBARRIER_STATE_GLOBAL_EXPEDITED) __cpumask_set_cpu(cpu, tmpmask)', {
        jumps: globalLoop,
        do: (s, c, x) => {
          const k = s.call;
          if (readState(s, x, k.mmp) & GLOBAL_EXPEDITED) {
            k.mask = k.mask | (1 << k.x);
            x.emit('Target', k.x, k.p, k.mmp);
          }
          advanceGlobal(s, c, x);
        },
      }),
      step('G5', 'preempt_disable(); smp_call_function_many(tmpmask, ipi_mb, NULL, 1) [the calling CPU is skipped]: queue the csds', {
        do: (s, c, x) => {
          queueCsd(s, c, x, s.call.mask & others(x, c), K.ipi_mb, A);
        },
      }),
      step('G5w', 'wait for every csd to complete; preempt_enable(); cpus_read_unlock()', {
        when: (s, c, x) => allDone(s, s.call.mask & others(x, c)),
      }),
      step('G7', 'smp_mb() — barrier (c) [v6.8+: then mutex_unlock(&membarrier_ipi_mutex)]', {
        do: barrierC,
      }),
    ], runBy('membarrier_global_expedited')),

    callerRules('membarrier_global', phases, [
      step('GL1', 'tick_nohz_full_enabled() → -EINVAL; else synchronize_rcu() begins (the caller\'s full barrier)', {
        do: (s, c, x) => {
          if (p.nohzFull) {
            s.call.ret = RET_EINVAL;
            return x.ret();
          }
          mb(x, c);
          x.emit('BarrierA', c, (1 << MMS) - 1);
          s.gp = others(x, c);
        },
      }),
      step('GL2', 'synchronize_rcu() returns: every CPU passed a quiescent state', {
        when: (s) => s.gp === 0,
        do: (s, c, x) => {
          mb(x, c);
          x.emit('BarrierC', c);
        },
      }),
    ]),

    callerRules('membarrier_register', phases, [
      step('RG1', 'if ((atomic_read(&mm->membarrier_state) & ready_state) == ready_state) return 0', {
        do: (s, c, x) => {
          const { ready } = registerBits(s.call.cmd);
          if ((readState(s, x, M) & ready) === ready) x.ret();
        },
      }),
      step('RG2', 'atomic_or(set_state, &mm->membarrier_state)', {
        do: (s, c, x) => {
          s.mm[M].state = s.mm[M].state | registerBits(s.call.cmd).set;
          voidAtomic(x, c, A);
        },
      }),
      step('RG3', 'sync_runqueues_membarrier_state: mm_users == 1 → this rq only; else synchronize_rcu() begins', {
        jumps: ['RG8'],
        do: (s, c, x) => {
          const st = readState(s, x, M);
          if (rqCopy && (s.mm[M].users === 1 || p.cpus === 1)) {
            setRqState(s, c, x, st);
            mb(x, c);
            return x.goto('RG8');
          }
          mb(x, c);
          s.gp = others(x, c);
        },
      }),
      step('RG5', 'synchronize_rcu() returns', {
        jumps: ['RG8'],
        when: (s) => s.gp === 0,
        do: (s, c, x) => {
          mb(x, c);
          s.call.x = 0;
          if (!rqCopy) x.goto('RG8'); // ≤ v5.3: no runqueue copy to sync
        },
      }),
      ...(locking ? [ipiMutexLock('RG6m')] : []),
      step('RG6a', 'cpus_read_lock; rcu_read_lock; p = rcu_dereference(cpu_rq(cpu)->curr)', {
        do: (s) => { s.call.p = s.cpu[s.call.x].curr; },
      }),
      step('RG6b', 'if (p->mm == mm) __cpumask_set_cpu(cpu, tmpmask)', {
        jumps: ['RG6a'],
        do: (s, c, x) => {
          const k = s.call;
          if (mmOf(s, k.p) === M) {
            k.mask = k.mask | (1 << k.x);
            x.emit('Target', k.x, k.p, M);
          }
          k.p = NO_TASK;
          if (k.x + 1 < p.cpus) {
            k.x = k.x + 1;
            x.goto('RG6a');
          } else k.x = 0;
        },
      }),
      step('RG7', 'on_each_cpu_mask(tmpmask, ipi_sync_rq_state, mm, true): queue the remote csds', {
        jumps: ['RG7w'],
        do: (s, c, x) => {
          queueCsd(s, c, x, s.call.mask & others(x, c), K.ipi_sync_rq_state, A);
          if (!(s.call.mask & (1 << c))) x.goto('RG7w');
        },
      }),
      step('RG7l', 'ipi_sync_rq_state(mm) on the calling CPU, IRQs off', {
        do: (s, c, x) => runCsd(s, c, x, K.ipi_sync_rq_state, A),
      }),
      step('RG7w', 'wait for every remote csd; rcu_read_unlock(); cpus_read_unlock() [v6.8+: mutex_unlock(&membarrier_ipi_mutex)]', {
        when: (s, c, x) => allDone(s, s.call.mask & others(x, c)),
        do: (s, c, x) => {
          s.call.mask = 0;
          ipiMutexUnlock(s, x);
        },
      }),
      step('RG8', 'atomic_or(ready_state, &mm->membarrier_state)', {
        do: (s, c, x) => {
          s.mm[M].state = s.mm[M].state | registerBits(s.call.cmd).ready;
          voidAtomic(x, c, A);
        },
      }),
    ]),
  ];
}

/** The CPUs other than c (the remote targets of a broadcast from c). */
export const others = (x: StepCtx, c: number): number => ((1 << x.params.cpus) - 1) & ~(1 << c);
const nextOther = (from: number, c: number) => (from === c ? from + 1 : from);

/**
 * The GLOBAL_EXPEDITED loop's `continue`: for_each_online_cpu, skipping the caller's CPU: the next
 * CPU (G4a, or G4b for the ≤ v5.3 filter), or leave the loop (rcu_read_unlock) for G5.
 */
export function advanceGlobal(s: any, c: number, x: StepCtx): void {
  const k = s.call;
  k.p = NO_TASK;
  k.mmp = NO_MM;
  const nx = nextOther(k.x + 1, c);
  if (nx < x.params.cpus) {
    k.x = nx;
    x.goto(x.flags.globalSource === 'rqCopy' ? 'G4a' : 'G4b');
  } else {
    k.x = 0;
    k.rcu = false;
    x.goto('G5');
  }
}

/** The private loop's `continue`: the next CPU (skipping the caller's before e45cdc71d1fa), or rcu_read_unlock() and P6. */
export function advancePrivate(s: any, c: number, x: StepCtx): void {
  const k = s.call;
  k.p = NO_TASK;
  const nx = x.flags.syncCoreIncludesSelf ? k.x + 1 : nextOther(k.x + 1, c);
  if (cpuIdOf(k.cmd) < 0 && nx < x.params.cpus) {
    k.x = nx;
    x.goto('P5a');
  } else {
    k.x = 0;
    k.rcu = false;
    x.goto('P6');
  }
}
