// The machine executes compiled steps on one unpacked state (`cur`, one Int32 slot per field). It is
// shared by the explorer, replay and simulation, so a step means the same thing everywhere. Nothing
// here allocates per transition: the step context, the views and the monitor context are built once.
import { IDLE, type CompiledStep, type Program } from '../lang/compile.ts';
import { renderValue } from '../lang/domain.ts';
import { closeMatches, ModelError, UndeclaredWrite } from '../lang/errors.ts';
import type { Flags, Params, StepCtx } from '../lang/model.ts';
import { wholeCheck, type MonitorCtx } from '../lang/property.ts';
import { buildView, type ViewMemory } from '../lang/view.ts';
import { bufferAt, canDrain, drainAll, drainAt, load, store, type StoreBufferLayout } from '../lang/memory/buffers.ts';
import { grown } from './grow.ts';
import { withinMonitors, type WithinMonitors } from './within.ts';

const NO_JUMP = 0;
const GOTO = 1;
const CALL = 2;
const RET = 3;

export interface Violation {
  /** Index into program.instance.properties, or -1 for a deadlock. */
  readonly prop: number;
  readonly reason: string;
}

class Ctx implements StepCtx {
  actor = 0;
  choice = 0;
  /** The executing CPU for store buffers, -1 for non-CPU actors, invariants and init. */
  cpu = -1;
  step: CompiledStep | null = null;
  jump = NO_JUMP;
  jumpPc = 0;
  retPc = 0;
  readonly flags: Flags;
  readonly params: Params;
  constructor(private readonly m: Machine) {
    this.flags = m.prog.instance.flags;
    this.params = m.prog.instance.params;
  }
  goto(label: string): void {
    const pc = this.step!.labels[label];
    if (typeof pc !== 'number') throw new ModelError(`${this.step!.name}: goto '${label}', a label the step does not declare in its jumps (${Object.keys(this.step!.labels).join(', ') || 'none'})`);
    this.jump = GOTO;
    this.jumpPc = pc;
  }
  call(proc: string, returnTo?: string): void {
    const kind = this.m.kindOf[this.step!.id];
    const entry = kind.entryPc[proc];
    if (entry === undefined) throw new ModelError(`${this.step!.name}: call of unknown procedure '${proc}'`);
    let ret: number;
    if (returnTo !== undefined) {
      ret = this.step!.labels[returnTo];
      if (typeof ret !== 'number') throw new ModelError(`${this.step!.name}: call returns to '${returnTo}', a label the step does not declare in its jumps (${Object.keys(this.step!.labels).join(', ') || 'none'})`);
    } else if (this.step!.kind === 'seq') ret = this.step!.nextPc; // a call returns to the next step
    else ret = this.m.cur[kind.pcSlot + this.actor * kind.ctlStride]; // an interrupt resumes where it hit
    this.jump = CALL;
    this.jumpPc = entry;
    this.retPc = ret;
  }
  ret(): void {
    this.jump = RET;
  }
  /** The running frame's locals of the step's procedure (the frame at level sp of the actor). */
  get locals(): any {
    const st = this.step!;
    const levels = this.m.localViews[st.id];
    if (levels === null) throw new ModelError(noLocals(st));
    const k = this.m.kindOf[st.id];
    return levels[this.actor][this.m.cur[k.pcSlot + this.actor * k.ctlStride + 1]];
  }
  emit(event: string, a = 0, b = 0, c = 0): void {
    const hs = this.m.handlers[event];
    if (hs === undefined) throw new ModelError(`${this.step?.name ?? 'init'}: emits undeclared event '${event}'`);
    for (let i = 0; i < hs.length; i++) {
      const h = hs[i];
      this.m.mon.prop = h.prop;
      h.fn(this.m.view, this.m.ghost[h.prop], this.m.mon, a, b, c);
    }
  }
  fence(): void {
    if (this.m.rec) this.m.rec.fenced = true;
    if (this.cpu >= 0 && this.m.sb !== null) this.m.drainAll(this.cpu);
  }
  /** Store-buffer drain (the built-in step store_buffer:drain): may entry j drain now? */
  $canDrain(j: number): boolean {
    return this.m.canDrain(this.cpu, j);
  }
  $drain(j: number): void {
    this.m.drainAt(this.cpu, j);
  }
}

/** The error of a step that reads `x.locals` where it has none (the reference explorer words it alike). */
export function noLocals(st: { name: string; kind: 'seq' | 'rules'; proc: string }): string {
  return st.kind === 'rules'
    ? `${st.name}: x.locals in a rule (a rule runs in no frame; call a procedure that declares locals)`
    : `${st.name}: x.locals, but procedure ${st.proc} declares no locals`;
}

class MonCtx implements MonitorCtx {
  prop = 0;
  readonly flags: Flags;
  readonly params: Params;
  readonly memory: MonitorCtx['memory'];
  constructor(private readonly m: Machine) {
    this.flags = m.prog.instance.flags;
    this.params = m.prog.instance.params;
    this.memory = m.prog.instance.memory;
  }
  fail(reason: string): void {
    if (this.m.violation === null) this.m.violation = { prop: this.prop, reason };
  }
}

/** The accesses of one transition (recording machines only). */
export class Recorder {
  reads: Int32Array = new Int32Array(256);
  writes: Int32Array = new Int32Array(256);
  nr = 0;
  nw = 0;
  /**
   * The transition is visible whatever it accesses: the bounded-wait monitors (within.ts) count every
   * step. An event's monitors need no such mark: what they read and the ghost state they write are
   * recorded as the step's own accesses, and a monitor that fails makes the transition a violation.
   */
  visible = false;
  /** Plain stores in program order (under TSO they reach memory later, at a drain). */
  stores: Int32Array = new Int32Array(64);
  ns = 0;
  /** The transition ran a full fence (a `fence: true` step or `x.fence()`). */
  fenced = false;
  reset(): void {
    this.nr = 0;
    this.nw = 0;
    this.ns = 0;
    this.visible = false;
    this.fenced = false;
  }
  read(slot: number): void {
    if (this.nr === this.reads.length) this.reads = grown(this.reads, this.reads.length + 1);
    this.reads[this.nr++] = slot;
  }
  write(slot: number): void {
    if (this.nw === this.writes.length) this.writes = grown(this.writes, this.writes.length + 1);
    this.writes[this.nw++] = slot;
  }
  store(slot: number): void {
    if (this.ns === this.stores.length) this.stores = grown(this.stores, this.stores.length + 1);
    this.stores[this.ns++] = slot;
  }
}

export class Machine {
  readonly cur: Int32Array;
  /** Set for a recording machine: every access of the state is logged (footprints). */
  readonly rec: Recorder | null;
  /** The state as steps see it (the trapped view only while explainUndeclared re-runs a step). */
  view: any;
  readonly ghost: any[];
  readonly ctx: Ctx;
  readonly mon: MonCtx;
  readonly handlers: Record<string, { prop: number; fn: NonNullable<import('../lang/property.ts').PropertyDef['on']>[string] }[]>;
  readonly kindOf: Program['actorKinds'][number][];
  /** The store buffers under a buffered memory model, else null. */
  readonly sb: StoreBufferLayout | null;
  /** step id → [actor][stack level] → the view of its procedure's locals in that frame, or null. */
  readonly localViews: (readonly (readonly any[])[] | null)[];
  violation: Violation | null = null;
  /** A view whose undeclared writes are trapped (explainUndeclared only). */
  private trapped: any = null;
  /** The CPU actor kind (its steps run on a CPU: their stores go through its buffer). */
  private readonly cpuKind: string | null;
  private readonly invariants: { prop: number; check: (s: any, g: any, p: any, f: any) => string | null }[];
  /** The bounded monitors (`--within`), run at the end of every step; null without any. */
  readonly within: WithinMonitors | null;
  /** With bounded monitors: the state a step applied by `apply` started from (they count only steps that change it). */
  private readonly before: Int32Array | null;

  constructor(readonly prog: Program, record = false) {
    const { layout, instance } = prog;
    this.rec = record ? new Recorder() : null;
    this.cur = new Int32Array(layout.slots.length);
    this.ctx = new Ctx(this);
    this.mon = new MonCtx(this);
    this.sb = prog.storeBuffers;
    this.cpuKind = prog.cpuKind;
    this.view = buildView(layout, this.cur, this.memory(), this.sb !== null, record, instance.model.name);
    this.ghost = prog.ghostNames.map((g) => this.view.$ghost?.[g] ?? null);
    this.kindOf = prog.steps.map((s) => prog.actorKinds.find((k) => k.name === s.actorKind)!);
    this.localViews = prog.steps.map((s, i) => {
      if (s.locals === null) return null;
      const k = this.kindOf[i];
      return Array.from({ length: k.count }, (_, a) => Array.from({ length: k.stackDepth + 1 }, (_, d) => this.view.$ctl[k.name][a].frame[d][s.locals!]));
    });
    const declared = instance.model.events ?? {};
    this.handlers = Object.create(null);
    for (const e of Object.keys(declared)) this.handlers[e] = [];
    instance.properties.forEach((p, i) => {
      for (const [e, fn] of Object.entries(p.on ?? {})) {
        if (!(e in declared)) throw new ModelError(`property ${p.name} observes event '${e}', which model ${instance.model.name} does not emit; events: ${Object.keys(declared).join(', ') || '(none)'}`);
        this.handlers[e].push({ prop: i, fn });
      }
    });
    this.invariants = instance.properties.flatMap((p, i) => (p.check ? [{ prop: i, check: wholeCheck(p, instance.actors)! }] : []));
    this.within = withinMonitors(prog, this);
    this.before = this.within === null ? null : new Int32Array(this.cur.length);
  }

  private memory(): ViewMemory {
    const m = this;
    return {
      oob(slot: number, v: unknown): never {
        const s = m.prog.layout.slots[slot];
        const hi = s.domain.lo + s.domain.size - 1;
        const range = s.domain.kind === 'bool' ? 'true/false' : `${s.domain.lo}..${hi}`;
        throw new ModelError(`${m.ctx.step?.name ?? 'init'}: ${s.path} = ${String(v)} is outside its domain ${range}`);
      },
      undeclared(path: string, name: string, declared: readonly string[]): never {
        const st = m.ctx.step;
        const close = closeMatches(name, declared);
        const hint = close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : declared.length > 0 ? `; it declares ${declared.join(', ')}` : '';
        throw new UndeclaredWrite(`${st ? `step ${st.name} on ${st.actorKind}${m.ctx.actor}` : 'init'} writes ${path}.${name}, which the state does not declare${hint}`);
      },
      badIndex(path: string, i: unknown): never {
        throw new ModelError(`${m.ctx.step?.name ?? 'init'}: index ${String(i)} outside ${path}`);
      },
      r(slot: number): void {
        m.rec!.read(slot);
      },
      w(slot: number): void {
        m.rec!.write(slot);
      },
      ld(slot: number): number {
        const cpu = m.ctx.cpu;
        if (m.rec) m.rec.read(slot);
        if (cpu < 0) return m.cur[slot];
        if (m.rec) m.recordBuffer(cpu, false);
        return load(m.sb!, m.cur, cpu, slot);
      },
      st(slot: number, i: number): void {
        const cpu = m.ctx.cpu;
        if (m.rec) m.rec.store(slot);
        if (cpu < 0) {
          if (m.rec) m.rec.write(slot);
          m.cur[slot] = i;
          return;
        }
        if (m.rec) {
          m.recordBuffer(cpu, true);
          // A full buffer lets its oldest store reach memory first (as memory/buffers.ts store does), recorded.
          if (m.cur[bufferAt(m.sb!, cpu)] === m.sb!.depth) m.drainAt(cpu, 0);
        }
        store(m.sb!, m.cur, cpu, slot, i);
      },
    };
  }

  /** Recording machines: an access of CPU c's whole store buffer (count and entries). */
  recordBuffer(cpu: number, write: boolean): void {
    const b = bufferAt(this.sb!, cpu);
    for (let j = 0; j <= this.sb!.depth; j++) write ? this.rec!.write(b + j) : this.rec!.read(b + j);
  }

  /** Entry j of the CPU's store buffer may drain now (the built-in step store_buffer:drain). */
  canDrain(cpu: number, j: number): boolean {
    return canDrain(this.sb!, this.cur, cpu, j);
  }

  /** Entry j of the CPU's store buffer reaches memory; the entries after it move up. */
  drainAt(cpu: number, j: number): void {
    const slot = drainAt(this.sb!, this.cur, cpu, j);
    if (this.rec) {
      this.rec.write(slot);
      this.recordBuffer(cpu, true);
    }
  }

  /** A full fence on the CPU: its whole buffer reaches memory, oldest first (recorded entry by entry). */
  drainAll(cpu: number): void {
    if (this.rec === null) return drainAll(this.sb!, this.cur, cpu);
    const b = bufferAt(this.sb!, cpu);
    while (this.cur[b] > 0) this.drainAt(cpu, 0);
  }

  /**
   * Explains a TypeError `err` of step `st` (actor, choice) from state `s`: when it is a write of a
   * name the sealed state does not declare, the step is re-run on a trapped view (built on first use),
   * which names the path: the ModelError; otherwise null. Leaves `cur` undefined.
   */
  explainUndeclared(err: unknown, st: CompiledStep, actor: number, choice: number, s: Int32Array): ModelError | null {
    if (!(err instanceof TypeError) || !/object is not extensible/.test(err.message)) return null;
    this.trapped ??= buildView(this.prog.layout, this.cur, this.memory(), this.sb !== null, false, this.prog.instance.model.name, true);
    const view = this.view;
    this.view = this.trapped;
    this.restart(s);
    try {
      if (this.enabled(st, actor, choice)) this.apply(st, actor);
    } catch (e) {
      if (e instanceof UndeclaredWrite) return e;
    } finally {
      this.view = view;
    }
    return null;
  }

  /** Sets `cur` to the initial state. */
  init(): void {
    const { instance } = this.prog;
    this.cur.fill(0);
    this.ctx.cpu = -1;
    this.ctx.step = null;
    instance.model.init?.(this.view, instance.params, instance.flags);
    instance.properties.forEach((p, i) => p.init?.(this.ghost[i], this.view, instance.params, instance.flags));
    this.within?.start();
  }

  /** Back to state `s` before trying a transition: no violation, nothing recorded. */
  restart(s: Int32Array): void {
    this.cur.set(s);
    this.violation = null;
    this.rec?.reset();
  }

  /** The pc of an actor (IDLE for kinds without control state). */
  pcOf(kindIndex: number, actor: number): number {
    const k = this.prog.actorKinds[kindIndex];
    return k.pcSlot < 0 ? IDLE : this.cur[k.pcSlot + actor * k.ctlStride];
  }

  /** Whether step `st` is enabled for `actor` with `choice` in `cur` (the step's pc is not checked). */
  enabled(st: CompiledStep, actor: number, choice: number): boolean {
    const x = this.ctx;
    x.step = st;
    x.actor = actor;
    x.choice = choice;
    x.cpu = st.actorKind === this.cpuKind ? actor : -1;
    return st.guard === null || st.guard(this.view, actor, x);
  }

  /**
   * Applies step `st` (already found enabled with the same actor and choice) to `cur`: the fence, the
   * effect, the control flow, then the bounded monitors' count. A monitor that fails sets `violation`.
   */
  apply(st: CompiledStep, actor: number): void {
    if (this.before !== null) this.before.set(this.cur);
    this.ctx.jump = NO_JUMP;
    if (st.fence) this.fence();
    if (st.effect !== null) st.effect(this.view, actor, this.ctx);
    this.control(st, actor);
    if (this.within !== null) this.within.after(st, actor, this.before!);
  }

  /** The full fence of a `fence: true` step: drains the executing CPU's store buffer. */
  fence(): void {
    if (this.rec) this.rec.fenced = true;
    if (this.sb !== null && this.ctx.cpu >= 0) this.drainAll(this.ctx.cpu);
  }

  /** The control flow after a step's effect: next step, goto, call (push) or return (pop). */
  control(st: CompiledStep, actor: number): void {
    const x = this.ctx;
    const k = this.kindOf[st.id];
    if (k.pcSlot < 0) {
      if (x.jump !== NO_JUMP) throw new ModelError(`${st.name}: control flow in an actor without procedures`);
      return;
    }
    const pcAt = k.pcSlot + actor * k.ctlStride;
    const cur = this.cur;
    switch (x.jump) {
      case NO_JUMP:
        if (st.kind === 'seq') {
          if (st.nextPc >= 0) cur[pcAt] = st.nextPc;
          else this.pop(k, pcAt);
        }
        return;
      case GOTO:
        cur[pcAt] = x.jumpPc;
        return;
      case RET:
        this.pop(k, pcAt);
        return;
      case CALL: {
        const sp = cur[pcAt + 1];
        if (sp >= k.stackDepth) throw new ModelError(`${st.name}: call stack of ${k.name}${actor} overflows its depth ${k.stackDepth}`);
        // Nothing to push for a call from an idle actor (it returns to idle) or from a procedure's last
        // step (a tail call: the callee returns where the caller would have).
        if (x.retPc > IDLE || (x.retPc === IDLE && sp > 0)) {
          cur[pcAt + 2 + sp] = x.retPc;
          cur[pcAt + 1] = sp + 1;
        } else if (k.frameSize > 0) {
          // The callee takes the caller's level (a tail call: the caller's frame is done).
          const f = pcAt + k.frameOffset + sp * k.frameSize;
          cur.fill(0, f, f + k.frameSize);
        }
        cur[pcAt] = x.jumpPc;
        return;
      }
    }
  }

  /** Return from the running frame: its locals are reset (a finished call leaves no trace), its caller resumes. */
  private pop(k: Program['actorKinds'][number], pcAt: number): void {
    const cur = this.cur;
    const sp = cur[pcAt + 1];
    if (k.frameSize > 0) {
      const f = pcAt + k.frameOffset + sp * k.frameSize;
      cur.fill(0, f, f + k.frameSize);
    }
    if (sp === 0) {
      cur[pcAt] = IDLE;
      return;
    }
    cur[pcAt] = cur[pcAt + 2 + sp - 1];
    cur[pcAt + 2 + sp - 1] = 0;
    cur[pcAt + 1] = sp - 1;
  }

  /** Checks every invariant on `cur`; sets and returns `violation` if one fails. */
  checkInvariants(): Violation | null {
    this.ctx.cpu = -1;
    const { params, flags } = this.prog.instance;
    for (let i = 0; i < this.invariants.length; i++) {
      const inv = this.invariants[i];
      const r = inv.check(this.view, this.ghost[inv.prop], params, flags);
      if (r !== null) {
        this.violation = { prop: inv.prop, reason: r };
        return this.violation;
      }
    }
    return null;
  }

  /** Whether `cur` is an allowed end state (for deadlock detection). */
  isEnd(): boolean {
    const end = this.prog.instance.model.end;
    this.ctx.cpu = -1;
    return end !== undefined && end(this.view);
  }

  /** The value of every slot of `cur`, rendered (for traces). */
  render(slot: number): string {
    const s = this.prog.layout.slots[slot];
    const i = this.cur[slot];
    return renderValue(s.domain, s.domain.kind === 'bool' ? i !== 0 : i + s.domain.lo);
  }
}
