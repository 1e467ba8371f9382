// Random small models in the modeling language, for differential tests of the explorers.
//
// A model is first drawn as a plain-data spec (fields, procedures, steps whose guards and effects are
// small expression trees, properties), then compiled to a ModelDef whose guards and effects are
// closures over the spec. Specs are drawn from a "choice tape": an array of naturals that the builder
// consumes in order (0 always picks the simplest alternative), so fast-check shrinks a failing model
// by lowering the tape's entries.
//
// What the specs cover: bool, int (including negative lows), enum, cpu-set and (nullable) cpu-ref
// fields, some of them plain or own; a per-CPU array of records and an array of scalars; 1-3 CPUs and
// sometimes a non-CPU actor; seq procedures with entry, goto, call (with and without a return label,
// tail calls, recursion that can overflow the stack) and ret; rules (some idle-only) that may call a
// procedure as an interrupt; nondeterministic choices; fences; invariants that sometimes fail; a
// monitor with ghost state fed by an event; out-of-domain stores (model errors); blocking guards
// (deadlocks) and allowed ends.
//
// A 'locals' mode draws as the default one, then gives every seq procedure a per-frame local that its
// steps set, branch on and guard on (addLocals). Two further modes (the default mode draws exactly as
// before) give models that keep the promises the reductions rely on:
// - 'footprints': two or three CPUs; most non-plain per-CPU fields are declared own, and only their
//   own CPU's steps touch them (no other CPU, no non-CPU actor, no monitor handler); about half of the
//   other per-CPU fields are declared published: only their own CPU's steps write them, anyone may
//   read them; some CPU steps (and some rules procedures as a whole) are private, writing their own
//   fields only and reading their own and published fields, without fences (some emit the event); some are
//   nearly private (they also read other CPUs' published fields, or write their own); every
//   invariant declares `reads`, the fields its expression names (paths without indices), and mostly
//   leaves own fields alone; about half of the models also have an invariant checked per CPU
//   (PropertyDef.each), whose part names only its CPU's own and published fields.
// - 'symmetric' (footprints too): every CPU runs the same code; steps name only their own CPU's
//   record (`self`) and global fields; no constant names a particular CPU (CPU refs hold `self`,
//   NONE or a copy; CPU sets are tested for `self`, empty or full; refs are never ordered or
//   incremented; the array is never indexed by `self`; the monitor is not told who emitted); the
//   initial state treats CPUs alike (CPU refs are nullable, starting at NONE; per-CPU init runs for
//   every CPU); invariants, monitor conditions and the end predicate name per-CPU fields only inside
//   quantifiers ("every CPU…", "two CPUs…"). Such a model declares symmetry over its CPUs.
import fc from 'fast-check';
import { bool, enumOf, int, ref, setOf, type Domain } from '../../src/lang/domain.ts';
import { defineModel, rules, seq, step, type ModelDef, type ProcedureDef, type StepCtx, type StepDef } from '../../src/lang/model.ts';
import { property, type PropertyDef } from '../../src/lang/property.ts';
import { arrayOf, own, perCpu, plain, published, type Decl, type RecordDecl } from '../../src/lang/schema.ts';

export const MODEL_NAME = 'random';

// ---------------------------------------------------------------------------------------------
// Specs (plain data, printed when a property fails)

export type DomSpec = { k: 'bool' } | { k: 'int'; lo: number; hi: number } | { k: 'enum'; n: number } | { k: 'set' } | { k: 'ref'; nullable: boolean };
export interface FieldSpec {
  name: string;
  dom: DomSpec;
  plain: boolean;
  /** Declared own (a partial-order-reduction hint; explored like any other field). */
  own?: boolean;
  /** Declared published: written only by its own CPU's steps (a partial-order-reduction hint). */
  published?: boolean;
}
/** Which CPU a per-CPU access names: the executing actor's index, the next CPU, or a fixed one. */
export type Who = 'self' | 'next' | number;
/** `loc`: the local `l0` (int 0..2) of the running frame of a seq procedure that declares locals ('locals' mode). */
export type Loc = { l: 'g'; f: string } | { l: 'c'; who: Who; f: string } | { l: 'arr'; idx: number | 'choice' | 'self' } | { l: 'loc' };
export type Expr =
  | { e: 'const'; v: number | boolean }
  | { e: 'read'; loc: Loc }
  | { e: 'not'; x: Expr }
  | { e: 'and' | 'or'; x: Expr; y: Expr }
  | { e: 'eq' | 'lt'; x: Expr; y: Expr }
  | { e: 'has'; loc: Loc; who: Who }
  | { e: 'add1'; x: Expr }
  | { e: 'num'; x: Expr }
  | { e: 'actor' }
  | { e: 'choice' }
  /** Every CPU satisfies x (with `self` bound to it). */
  | { e: 'all'; x: Expr }
  /** At least two distinct CPUs satisfy x. */
  | { e: 'two'; x: Expr };
export type Action =
  | { a: 'assign'; loc: Loc; value: Expr }
  | { a: 'inc'; loc: Loc; mode: 'bounded' | 'wrap' | 'unbounded' }
  | { a: 'toggle'; loc: Loc }
  | { a: 'bit'; loc: Loc; on: boolean; who: Who }
  | { a: 'if'; cond: Expr; then: Action[] }
  | { a: 'emit'; arg: Expr }
  | { a: 'fence' }
  | { a: 'goto'; label: string }
  | { a: 'call'; proc: string; returnTo?: string }
  | { a: 'ret' }
  /** Init only: the actions once per CPU, with `self` bound to it. */
  | { a: 'each'; then: Action[] };
export interface StepSpec {
  label: string;
  guard: Expr | null;
  actions: Action[];
  choices: number;
  fence: boolean;
}
export interface ProcSpec {
  name: string;
  actor: 'cpu' | 'aux';
  kind: 'seq' | 'rules';
  entry: boolean;
  idleOnly: boolean;
  /** seq ('locals' mode): the procedure declares the local `l0: int(0, 2)`, kept per frame. */
  locals?: boolean;
  steps: StepSpec[];
}
export interface MonitorSpec {
  /** Bound of the ghost counter `cnt`. */
  bound: number;
  /** What the handler does with the event's argument, in order. */
  actions: ({ m: 'count'; mode: 'bounded' | 'unbounded' } | { m: 'remember' } | { m: 'failIfArg'; v: number } | { m: 'failIfCount' } | { m: 'failIfState'; cond: Expr })[];
  /** An invariant over the ghost state too: cnt stays below the bound. */
  ghostInvariant: boolean;
  initCount: number;
}
export interface ModelSpec {
  cpus: number;
  globals: FieldSpec[];
  perCpu: FieldSpec[];
  arr: { len: number; dom: DomSpec; plain: boolean } | null;
  aux: boolean;
  procs: ProcSpec[];
  init: Action[];
  invariants: Expr[];
  /** Footprints: invariants checked per CPU (PropertyDef.each), each CPU's part reading only its own and published fields. */
  eachInvariants?: Expr[];
  monitor: MonitorSpec | null;
  end: Expr | null;
  sbDepth: number;
  stackDepth: number;
  /** Invariants declare their reads (drawn in the footprints and symmetric modes). */
  footprints?: boolean;
  /** The model declares symmetry over its CPUs (drawn in the symmetric mode). */
  symmetric?: boolean;
}

/** How specs are drawn: see the header. */
export type DrawMode = 'default' | 'footprints' | 'symmetric' | 'locals';

export interface RandomModel {
  readonly spec: ModelSpec;
  readonly model: ModelDef;
  readonly properties: readonly PropertyDef[];
  /** The model declares plain fields (and so supports memory tso and weak). */
  readonly hasPlain: boolean;
}

// ---------------------------------------------------------------------------------------------
// The choice tape

class Tape {
  private i = 0;
  constructor(private readonly t: readonly number[]) {}
  private next(): number {
    return this.i < this.t.length ? this.t[this.i++] : 0;
  }
  /** An integer lo..hi; 0 on the tape gives lo. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  /** True with about `pct` percent; 0 on the tape gives false. */
  chance(pct: number): boolean {
    return this.next() % 100 >= 100 - pct;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  /** One of the names, with probability proportional to its weight; 0 on the tape gives the first. */
  weighted<N extends string>(options: readonly (readonly [N, number])[]): N {
    const live = options.filter(([, w]) => w > 0);
    const total = live.reduce((n, [, w]) => n + w, 0);
    let r = (this.int(0, 9999) / 10000) * total;
    for (const [name, w] of live) {
      if (r < w) return name;
      r -= w;
    }
    return live[0][0];
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing a spec

type Ty = 'bool' | 'num' | 'set';
const tyOf = (d: DomSpec): Ty => (d.k === 'bool' ? 'bool' : d.k === 'set' ? 'set' : 'num');
const loOf = (d: DomSpec): number => (d.k === 'int' ? d.lo : d.k === 'ref' && d.nullable ? -1 : 0);
const hiOf = (d: DomSpec, cpus: number): number => (d.k === 'int' ? d.hi : d.k === 'enum' ? d.n - 1 : d.k === 'set' ? (1 << cpus) - 1 : d.k === 'ref' ? cpus - 1 : 1);

interface LocInfo {
  loc: Loc;
  dom: DomSpec;
}

/**
 * Where an expression or action is drawn: a CPU's step, a CPU's private step (its own fields, and
 * reads of its published fields only, no fence, no event: the steps partial-order reduction can take
 * alone), a CPU's nearly private step (its own fields, reads of any CPU's published fields, writes of
 * its own: a step partial-order reduction must not take alone when it writes a published field or
 * reads another CPU's, since that CPU writes it and the others read it), the non-CPU actor's step, a
 * monitor handler (run inside the emitting step), init/invariant/end (no step), inside a quantifier
 * over CPUs (in a handler: `hquant`, where own fields stay out of reach), an each-CPU init block. The
 * default mode ignores it.
 */
type Where = 'cpu' | 'own' | 'near' | 'aux' | 'handler' | 'global' | 'quant' | 'hquant' | 'each';

/** Symmetric mode: the kinds of value that may be compared or copied into each other. */
type Cls = 'bool' | 'num' | 'cref' | 'set';
const clsOf = (d: DomSpec): Cls => (d.k === 'bool' ? 'bool' : d.k === 'set' ? 'set' : d.k === 'ref' ? 'cref' : 'num');

class Drawer {
  where: Where = 'global';
  /** Footprints: the invariants being drawn read no own field (private steps stay invisible). */
  ownHidden = false;
  /** The location being drawn is stored to (published fields: only by their own CPU's steps). */
  private writing = false;
  constructor(
    private readonly t: Tape,
    private readonly cpus: number,
    private readonly mode: DrawMode = 'default',
  ) {}

  /** Symmetric mode: `self` names a CPU here. */
  private selfOk(): boolean {
    return this.where === 'cpu' || this.where === 'own' || this.where === 'near' || this.where === 'quant' || this.where === 'hquant' || this.where === 'each';
  }

  /** Runs `f` with `where` set, then restores it. */
  at<T>(where: Where, f: () => T): T {
    const was = this.where;
    this.where = where;
    try {
      return f();
    } finally {
      this.where = was;
    }
  }

  dom(): DomSpec {
    switch (this.t.int(0, 4)) {
      case 0:
        return { k: 'bool' };
      case 1: {
        const lo = this.t.pick([0, 0, -1, 1]);
        return { k: 'int', lo, hi: lo + this.t.int(1, 3) };
      }
      case 2:
        return { k: 'enum', n: this.t.int(2, 3) };
      case 3:
        // Symmetric mode: a non-nullable CPU ref starts at CPU 0, which would tell CPUs apart.
        return { k: 'ref', nullable: this.mode === 'symmetric' || this.t.chance(60) };
      default:
        return { k: 'set' };
    }
  }

  field(name: string, plainPct: number): FieldSpec {
    return { name, dom: this.dom(), plain: this.t.chance(plainPct) };
  }

  who(): Who {
    if (this.mode === 'symmetric') return 'self';
    return this.t.pick<Who>(['self', 'next', 0, this.cpus - 1]);
  }

  /** Locations a guard or an effect may name. Guards only index the scalar array by constants. */
  locs(m: ModelSpec, forGuard: boolean): LocInfo[] {
    const out: LocInfo[] = [];
    if (this.mode === 'default') {
      for (const g of m.globals) out.push({ loc: { l: 'g', f: g.name }, dom: g.dom });
      for (const f of m.perCpu) out.push({ loc: { l: 'c', who: this.who(), f: f.name }, dom: f.dom });
      if (m.arr) {
        const idx: number | 'choice' | 'self' = forGuard ? this.t.int(0, m.arr.len - 1) : this.t.pick<number | 'choice' | 'self'>([0, 'choice', 'self', m.arr.len - 1]);
        out.push({ loc: { l: 'arr', idx }, dom: m.arr.dom });
      }
      return out;
    }
    const sym = this.mode === 'symmetric';
    if (this.where === 'own') {
      for (const f of m.perCpu) if (f.own || (f.published && !this.writing)) out.push({ loc: { l: 'c', who: 'self', f: f.name }, dom: f.dom });
      return out;
    }
    if (this.where === 'near') {
      for (const f of m.perCpu) {
        if (f.own) out.push({ loc: { l: 'c', who: 'self', f: f.name }, dom: f.dom });
        else if (f.published) out.push({ loc: { l: 'c', who: this.writing || sym ? 'self' : this.who(), f: f.name }, dom: f.dom });
      }
      return out;
    }
    // An each-CPU init block writes only its CPU's record (its CPUs run one after another).
    if (this.where !== 'each') for (const g of m.globals) out.push({ loc: { l: 'g', f: g.name }, dom: g.dom });
    for (const f of m.perCpu) {
      if (f.own && this.ownHidden) continue;
      if (f.published && this.writing) {
        // A store to a published field: its own CPU's step, or the initial state.
        if (this.where === 'cpu' || this.where === 'each') out.push({ loc: { l: 'c', who: 'self', f: f.name }, dom: f.dom });
        else if (this.where === 'global' && !sym) out.push({ loc: { l: 'c', who: this.who(), f: f.name }, dom: f.dom });
        continue;
      }
      if (sym) {
        // A handler runs inside another CPU's step: it reads no CPU's own fields.
        if (this.selfOk() && !(f.own && this.where === 'hquant')) out.push({ loc: { l: 'c', who: 'self', f: f.name }, dom: f.dom });
      } else if (!f.own) {
        out.push({ loc: { l: 'c', who: this.who(), f: f.name }, dom: f.dom });
      } else if (this.where === 'cpu') {
        out.push({ loc: { l: 'c', who: 'self', f: f.name }, dom: f.dom }); // own: only its CPU's steps
      } else if (this.where === 'global') {
        out.push({ loc: { l: 'c', who: this.who(), f: f.name }, dom: f.dom }); // init, invariants, end: no step
      }
    }
    if (m.arr && this.where !== 'each') {
      // The array is not indexed by CPU: a symmetric model never indexes it by `self`.
      const idxs: (number | 'choice' | 'self')[] = sym ? [0, 'choice', m.arr.len - 1] : [0, 'choice', 'self', m.arr.len - 1];
      const idx = forGuard ? this.t.int(0, m.arr.len - 1) : this.t.pick(idxs);
      out.push({ loc: { l: 'arr', idx }, dom: m.arr.dom });
    }
    return out;
  }

  /** Symmetric mode: a location whose domain passes `ok`. */
  private locWhere(m: ModelSpec, forGuard: boolean, ok: (d: DomSpec) => boolean): LocInfo | null {
    const all = this.locs(m, forGuard).filter((l) => ok(l.dom));
    return all.length === 0 ? null : this.t.pick(all);
  }

  /** Symmetric mode: a constant of `d` naming no particular CPU (null for a non-nullable CPU ref where `self` is meaningless). */
  private symConst(d: DomSpec): Expr | null {
    if (d.k === 'set') return { e: 'const', v: this.t.chance(50) ? (1 << this.cpus) - 1 : 0 };
    if (d.k === 'ref') {
      if (d.nullable && (!this.selfOk() || this.t.chance(50))) return { e: 'const', v: -1 };
      return this.selfOk() ? { e: 'actor' } : null;
    }
    return this.constOf(d);
  }

  loc(m: ModelSpec, forGuard: boolean, ty?: Ty): LocInfo | null {
    const all = this.locs(m, forGuard).filter((l) => ty === undefined || tyOf(l.dom) === ty);
    return all.length === 0 ? null : this.t.pick(all);
  }

  /** A location to store to (drawn by `draw`, with published fields limited to their own CPU's steps). */
  private target<T>(draw: () => T): T {
    this.writing = true;
    try {
      return draw();
    } finally {
      this.writing = false;
    }
  }

  constOf(d: DomSpec): Expr {
    if (d.k === 'bool') return { e: 'const', v: this.t.chance(50) };
    return { e: 'const', v: this.t.int(loOf(d), hiOf(d, this.cpus)) };
  }

  boolExpr(m: ModelSpec, depth: number, forGuard: boolean): Expr {
    if (this.mode === 'symmetric') return this.boolExprSym(m, depth, forGuard);
    const c = this.t.int(0, depth > 0 ? 7 : 5);
    switch (c) {
      case 0: {
        const l = this.loc(m, forGuard, 'bool');
        return l ? { e: 'read', loc: l.loc } : { e: 'const', v: true };
      }
      case 1: {
        const l = this.loc(m, forGuard, 'num');
        return l ? { e: 'eq', x: { e: 'read', loc: l.loc }, y: this.constOf(l.dom) } : { e: 'const', v: false };
      }
      case 2: {
        const l = this.loc(m, forGuard, 'num');
        return l ? { e: 'lt', x: { e: 'read', loc: l.loc }, y: this.constOf(l.dom) } : { e: 'const', v: true };
      }
      case 3: {
        const l = this.loc(m, forGuard, 'set');
        return l ? { e: 'has', loc: l.loc, who: this.who() } : { e: 'const', v: true };
      }
      case 4: {
        const l = this.loc(m, forGuard, 'bool');
        return l ? { e: 'not', x: { e: 'read', loc: l.loc } } : { e: 'const', v: false };
      }
      case 5: {
        const a = this.loc(m, forGuard);
        const b = a && this.loc(m, forGuard, tyOf(a.dom));
        return a && b ? { e: 'eq', x: { e: 'read', loc: a.loc }, y: { e: 'read', loc: b.loc } } : { e: 'const', v: true };
      }
      case 6:
        return { e: 'not', x: this.boolExpr(m, depth - 1, forGuard) };
      default:
        return { e: this.t.chance(50) ? 'or' : 'and', x: this.boolExpr(m, depth - 1, forGuard), y: this.boolExpr(m, depth - 1, forGuard) };
    }
  }

  /** Symmetric mode: conditions that treat CPUs alike; quantifiers over CPUs where `self` means nothing. */
  private boolExprSym(m: ModelSpec, depth: number, forGuard: boolean): Expr {
    const quantOk = (this.where === 'global' || this.where === 'handler') && m.perCpu.length > 0;
    const c = this.t.int(0, depth > 0 ? (quantOk ? 8 : 7) : 5);
    switch (c) {
      case 0: {
        const l = this.loc(m, forGuard, 'bool');
        return l ? { e: 'read', loc: l.loc } : { e: 'const', v: true };
      }
      case 1: {
        const l = this.locWhere(m, forGuard, (d) => d.k === 'int' || d.k === 'enum' || d.k === 'ref');
        const k = l && this.symConst(l.dom);
        return l && k ? { e: 'eq', x: { e: 'read', loc: l.loc }, y: k } : { e: 'const', v: false };
      }
      case 2: {
        // CPU refs are never ordered.
        const l = this.locWhere(m, forGuard, (d) => d.k === 'int' || d.k === 'enum');
        return l ? { e: 'lt', x: { e: 'read', loc: l.loc }, y: this.constOf(l.dom) } : { e: 'const', v: true };
      }
      case 3: {
        const l = this.loc(m, forGuard, 'set');
        if (!l) return { e: 'const', v: true };
        if (this.selfOk() && this.t.chance(60)) return { e: 'has', loc: l.loc, who: 'self' };
        return { e: 'eq', x: { e: 'read', loc: l.loc }, y: this.symConst(l.dom)! };
      }
      case 4: {
        const l = this.loc(m, forGuard, 'bool');
        return l ? { e: 'not', x: { e: 'read', loc: l.loc } } : { e: 'const', v: false };
      }
      case 5: {
        const a = this.loc(m, forGuard);
        const b = a && this.locWhere(m, forGuard, (d) => clsOf(d) === clsOf(a.dom));
        return a && b ? { e: 'eq', x: { e: 'read', loc: a.loc }, y: { e: 'read', loc: b.loc } } : { e: 'const', v: true };
      }
      case 6:
        return { e: 'not', x: this.boolExprSym(m, depth - 1, forGuard) };
      case 7:
        return { e: this.t.chance(50) ? 'or' : 'and', x: this.boolExprSym(m, depth - 1, forGuard), y: this.boolExprSym(m, depth - 1, forGuard) };
      default: {
        const body = this.at(this.where === 'handler' ? 'hquant' : 'quant', () => this.boolExprSym(m, depth - 1, forGuard));
        return { e: this.t.chance(50) ? 'all' : 'two', x: body };
      }
    }
  }

  /** Symmetric mode: a number for a store into `d` that names no particular CPU. */
  private numExprSym(m: ModelSpec, d: DomSpec, risky: boolean): Expr {
    const same = () => this.locWhere(m, false, (x) => JSON.stringify(x) === JSON.stringify(d));
    const fallback = (): Expr => {
      const l = same();
      return l ? { e: 'read', loc: l.loc } : { e: 'const', v: d.k === 'set' ? 0 : loOf(d) };
    };
    const c = this.t.int(0, risky ? 3 : 1);
    switch (c) {
      case 0:
        return this.symConst(d) ?? fallback();
      case 1:
        return fallback();
      case 2:
        // Out of the domain (a model error), naming no CPU.
        return { e: 'const', v: d.k === 'set' ? 1 << this.cpus : hiOf(d, this.cpus) + 1 };
      default: {
        if (d.k === 'ref') return this.symConst(d) ?? fallback();
        if (d.k === 'set') return fallback();
        const l = this.locWhere(m, false, (x) => x.k === 'int' || x.k === 'enum');
        const r = this.t.int(0, 2);
        if (r === 0 && l) return { e: 'read', loc: l.loc };
        if (r === 1) return { e: 'choice' };
        return { e: 'num', x: this.boolExprSym(m, 0, false) };
      }
    }
  }

  /** A number for a store into `d`: mostly inside the domain; `risky` allows values that may leave it. */
  numExpr(m: ModelSpec, d: DomSpec, risky: boolean): Expr {
    if (this.mode === 'symmetric') return this.numExprSym(m, d, risky);
    const c = this.t.int(0, risky ? 5 : 1);
    switch (c) {
      case 0:
        return this.constOf(d);
      case 1: {
        const l = this.loc(m, false, tyOf(d));
        const same = l && JSON.stringify(l.dom) === JSON.stringify(d);
        return same ? { e: 'read', loc: l.loc } : this.constOf(d);
      }
      case 2:
        return { e: 'const', v: hiOf(d, this.cpus) + 1 };
      case 3: {
        const l = this.loc(m, false, 'num');
        return l ? { e: 'read', loc: l.loc } : this.constOf(d);
      }
      case 4:
        return this.t.chance(50) ? { e: 'actor' } : { e: 'choice' };
      default:
        return { e: 'num', x: this.boolExpr(m, 0, false) };
    }
  }

  action(m: ModelSpec, ctl: { kind: 'seq' | 'rules' | 'init'; proc: ProcSpec | null; procs: ProcSpec[] }, depth: number): Action {
    const init = ctl.kind === 'init';
    const seqProc = ctl.kind === 'seq' && ctl.proc ? ctl.proc : null;
    // A rule of an actor kind without seq procedures has no control state: control flow there is a
    // model error, drawn only now and then.
    const hasSeq = ctl.procs.some((p) => p.kind === 'seq');
    const flow = seqProc ? 2 : hasSeq ? 1 : 0.1;
    const priv = this.where === 'own' || this.where === 'near';
    // Weights: state changes are frequent, control flow and fences less so, out-of-domain stores rare.
    const c = this.t.weighted<string>([
      ['assign', 4],
      ['inc', 4],
      ['toggle', 3],
      ['bit', 2],
      ['if', init || depth <= 0 ? 0 : 2],
      // A private step may emit the event: its monitor's accesses (recorded with the step's) decide
      // whether the step stays invisible (a handler that only tests the event's value does).
      ['emit', !init && m.monitor ? (priv ? 2 : 4) : 0],
      ['fence', init || priv ? 0 : 1],
      ['goto', seqProc ? 2 : 0],
      ['call', init ? 0 : flow],
      ['ret', init ? 0 : flow / 2],
    ] as const);
    switch (c) {
      case 'assign': {
        const l = this.target(() => this.loc(m, false))!;
        if (tyOf(l.dom) === 'bool') {
          const risky = !init && this.t.chance(4);
          return { a: 'assign', loc: l.loc, value: risky ? { e: 'const', v: 2 } : this.boolExpr(m, 1, false) };
        }
        return { a: 'assign', loc: l.loc, value: this.numExpr(m, l.dom, !init && this.t.chance(10)) };
      }
      case 'inc': {
        // Symmetric mode: CPU refs are never incremented.
        const l = this.target(() => (this.mode === 'symmetric' ? this.locWhere(m, false, (d) => d.k === 'int' || d.k === 'enum') : this.loc(m, false, 'num')));
        if (!l) return this.change(m);
        const mode = !init && this.t.chance(8) ? 'unbounded' : this.t.pick(['wrap', 'bounded'] as const);
        return { a: 'inc', loc: l.loc, mode };
      }
      case 'toggle': {
        const l = this.target(() => this.loc(m, false, 'bool'));
        return l ? { a: 'toggle', loc: l.loc } : this.change(m);
      }
      case 'bit': {
        const l = this.target(() => this.loc(m, false, 'set'));
        if (this.mode === 'symmetric' && !this.selfOk()) return this.change(m);
        return l ? { a: 'bit', loc: l.loc, on: this.t.chance(50), who: this.who() } : this.change(m);
      }
      case 'if':
        return { a: 'if', cond: this.boolExpr(m, 1, false), then: [this.action(m, ctl, depth - 1)] };
      case 'emit':
        // Symmetric mode: the monitor is not told which CPU emitted (it would tell CPUs apart).
        if (this.mode === 'symmetric') return { a: 'emit', arg: this.numExpr(m, { k: 'int', lo: 0, hi: 2 }, true) };
        return { a: 'emit', arg: this.t.chance(50) ? { e: 'actor' } : this.numExpr(m, { k: 'int', lo: 0, hi: 2 }, true) };
      case 'fence':
        return { a: 'fence' };
      case 'goto':
        // A label of this seq procedure (rarely one it does not have: a model error).
        if (this.t.chance(3)) return { a: 'goto', label: 'NOWHERE' };
        return { a: 'goto', label: this.t.pick(seqProc!.steps.map((s) => s.label)) };
      case 'call': {
        // Mostly a later procedure (no recursion); sometimes any, which may recurse and overflow.
        const cpuSeqs = ctl.procs.filter((p) => p.actor === 'cpu' && p.kind === 'seq');
        if (cpuSeqs.length === 0) return { a: 'ret' };
        const me = ctl.proc ? ctl.procs.indexOf(ctl.proc) : -1;
        const later = cpuSeqs.filter((p) => ctl.procs.indexOf(p) > me);
        const target = later.length > 0 && !this.t.chance(5) ? this.t.pick(later) : this.t.pick(cpuSeqs);
        const withLabel = seqProc !== null && this.t.chance(25);
        return withLabel ? { a: 'call', proc: target.name, returnTo: this.t.pick(seqProc.steps.map((s) => s.label)) } : { a: 'call', proc: target.name };
      }
      default:
        return { a: 'ret' };
    }
  }

  /** A change that stays in the domain of whatever field it picks. */
  change(m: ModelSpec): Action {
    const l = this.target(() => this.loc(m, false))!;
    if (this.mode === 'symmetric') {
      const cls = clsOf(l.dom);
      if (cls === 'bool') return { a: 'toggle', loc: l.loc };
      if (cls === 'num') return { a: 'inc', loc: l.loc, mode: 'wrap' };
      if (cls === 'set' && this.selfOk()) return { a: 'bit', loc: l.loc, on: this.t.chance(50), who: 'self' };
      return { a: 'assign', loc: l.loc, value: this.numExprSym(m, l.dom, false) };
    }
    const ty = tyOf(l.dom);
    if (ty === 'bool') return { a: 'toggle', loc: l.loc };
    if (ty === 'set') return { a: 'bit', loc: l.loc, on: this.t.chance(50), who: this.who() };
    return { a: 'inc', loc: l.loc, mode: 'wrap' };
  }

  /** An invariant: mostly "these two conditions never hold together", which an initial state rarely breaks. */
  invariant(m: ModelSpec): Expr {
    if (this.mode === 'symmetric' && m.perCpu.length > 0 && this.t.chance(60)) {
      // "No two CPUs…", "no CPU…", "every CPU…".
      const body = this.at('quant', () => (this.t.chance(50) ? this.boolExpr(m, 0, true) : { e: 'and' as const, x: this.boolExpr(m, 0, true), y: this.boolExpr(m, 0, true) }));
      const form = this.t.int(0, 2);
      if (form === 0) return { e: 'not', x: { e: 'two', x: body } };
      if (form === 1) return { e: 'all', x: { e: 'not', x: body } };
      return { e: 'all', x: body };
    }
    if (this.t.chance(15)) return this.boolExpr(m, 2, true);
    const both: Expr = { e: 'and', x: this.boolExpr(m, 0, true), y: this.boolExpr(m, 0, true) };
    return { e: 'not', x: this.t.chance(50) ? both : { e: 'and', x: both, y: this.boolExpr(m, 0, true) } };
  }
}

export function drawSpec(tape: readonly number[], requested: DrawMode = 'default'): ModelSpec {
  const t = new Tape(tape);
  // 'locals' draws as 'default', then gives the seq procedures a per-frame local (addLocals).
  const mode: DrawMode = requested === 'locals' ? 'default' : requested;
  const sym = mode === 'symmetric';
  // Two CPUs at least with footprints (one CPU has nothing to reorder, nor to swap).
  const cpus = mode !== 'default' ? t.int(2, 3) : t.int(1, 3);
  const d = new Drawer(t, cpus, mode);
  const m: ModelSpec = {
    cpus,
    globals: [],
    perCpu: [],
    arr: null,
    aux: false,
    procs: [],
    init: [],
    invariants: [],
    monitor: null,
    end: null,
    sbDepth: t.int(1, 3),
    stackDepth: t.int(1, 3),
    ...(mode === 'default' ? {} : { footprints: true }),
    ...(sym ? { symmetric: true } : {}),
  };
  const nGlobals = t.int(1, 3);
  for (let i = 0; i < nGlobals; i++) m.globals.push(d.field(`g${i}`, 35));
  const nPerCpu = mode !== 'default' ? t.int(1, cpus === 3 ? 1 : 2) : t.int(0, cpus === 3 ? 1 : 2);
  for (let i = 0; i < nPerCpu; i++) {
    const f = d.field(`f${i}`, 35);
    if (!f.plain && t.chance(mode === 'default' ? 30 : 75)) f.own = true;
    else if (mode !== 'default' && t.chance(50)) f.published = true;
    m.perCpu.push(f);
  }
  if (t.chance(30)) {
    const dom = d.dom();
    m.arr = { len: t.int(2, 3), dom: dom.k === 'set' ? { k: 'bool' } : dom, plain: t.chance(35) };
  }
  m.aux = t.chance(25);
  if (t.chance(50)) {
    const acts: MonitorSpec['actions'] = [];
    const n = t.int(1, 3);
    for (let i = 0; i < n; i++) {
      switch (t.int(0, 4)) {
        case 0:
          acts.push({ m: 'count', mode: t.chance(20) ? 'unbounded' : 'bounded' });
          break;
        case 1:
          acts.push({ m: 'remember' });
          break;
        case 2:
          acts.push({ m: 'failIfArg', v: t.int(0, 2) });
          break;
        case 3:
          acts.push({ m: 'failIfCount' });
          break;
        default:
          acts.push({ m: 'failIfState', cond: d.at('handler', () => d.boolExpr(m, 1, true)) });
      }
    }
    m.monitor = { bound: t.int(1, 3), actions: acts, ghostInvariant: t.chance(30), initCount: t.int(0, 1) };
  }

  // Procedures: their names and labels first (goto and call targets), then their steps.
  const nSeq = t.int(0, 2);
  // Footprints: fewer rules (every rule is a candidate at every pc, and one that is not private
  // leaves its CPU no ample set).
  const nRules = t.int(nSeq === 0 ? 1 : 0, mode === 'default' ? 2 : 1);
  let labelNo = 0;
  for (let i = 0; i < nSeq; i++) {
    const n = t.int(1, 4);
    m.procs.push({
      name: `p${i}`,
      actor: 'cpu',
      kind: 'seq',
      entry: i === 0 || t.chance(30),
      idleOnly: false,
      steps: Array.from({ length: n }, () => ({ label: `S${labelNo++}`, guard: null, actions: [], choices: 1, fence: false })),
    });
  }
  for (let i = 0; i < nRules; i++) {
    const n = t.int(1, 2);
    m.procs.push({
      name: `r${i}`,
      actor: 'cpu',
      kind: 'rules',
      entry: false,
      idleOnly: nSeq > 0 && t.chance(25),
      steps: Array.from({ length: n }, () => ({ label: `R${labelNo++}`, guard: null, actions: [], choices: 1, fence: false })),
    });
  }
  if (m.aux) {
    m.procs.push({ name: 'aux', actor: 'aux', kind: 'rules', entry: false, idleOnly: false, steps: [{ label: `X${labelNo++}`, guard: null, actions: [], choices: 1, fence: false }] });
  }
  const hasOwn = m.perCpu.some((f) => f.own);
  const hasPublished = m.perCpu.some((f) => f.published);
  for (const p of m.procs) {
    // Footprints: some CPU steps are private (own fields only), the steps ample sets are made of;
    // some rules procedures are private as a whole; some steps are nearly private (published fields).
    const privProc = mode !== 'default' && p.kind === 'rules' && p.actor === 'cpu' && hasOwn && t.chance(60);
    for (const s of p.steps) {
      const priv = privProc || (mode !== 'default' && p.actor === 'cpu' && hasOwn && t.chance(55));
      const near = !priv && mode !== 'default' && p.actor === 'cpu' && hasPublished && t.chance(40);
      d.where = p.actor === 'aux' ? 'aux' : priv ? 'own' : near ? 'near' : 'cpu';
      s.guard = t.chance(50) ? d.boolExpr(m, 1, true) : null;
      s.choices = t.chance(20) ? t.int(2, 3) : 1;
      s.fence = t.chance(15) && !priv && !near;
      const n = t.int(1, 3);
      const ctl = { kind: p.actor === 'aux' ? ('rules' as const) : p.kind, proc: p, procs: m.procs };
      for (let i = 0; i < n; i++) {
        const a = d.action(m, ctl, 1);
        // The non-CPU actor has no procedures of its own: it only touches state and emits.
        if (p.actor === 'aux' && (a.a === 'goto' || a.a === 'call' || a.a === 'ret') && !t.chance(5)) continue;
        s.actions.push(a);
      }
    }
  }

  d.where = 'global';
  const nInit = t.int(0, 2);
  for (let i = 0; i < nInit; i++) {
    const draw = () => d.action(m, { kind: 'init', proc: null, procs: m.procs }, 0);
    // Symmetric mode: per-CPU fields are initialized alike on every CPU.
    if (sym && t.chance(50)) m.init.push({ a: 'each', then: [d.at('each', draw)] });
    else m.init.push(draw());
  }
  // Invariants mostly hold initially (a few redraws), so that most violations need some steps.
  const first = initialState(m);
  const nInv = t.int(0, 2);
  // Footprints: mostly, the invariants leave own fields alone, so that private steps are invisible.
  d.ownHidden = mode !== 'default' && t.chance(70);
  for (let i = 0; i < nInv; i++) {
    let inv = d.invariant(m);
    for (let k = 0; k < 3 && !evalExpr(inv, { s: first, a: 0, x: null, cpus, arrLen: m.arr?.len ?? 0 }); k++) inv = d.invariant(m);
    m.invariants.push(inv);
  }
  d.ownHidden = false;
  if (t.chance(40)) m.end = t.chance(50) ? { e: 'const', v: true } : d.boolExpr(m, 1, true);
  // Footprints: sometimes an invariant checked per CPU, whose part names only its CPU's own and
  // published fields (drawn last, so that the rest of a footprints model is drawn as before).
  if (mode !== 'default' && t.chance(50)) {
    const draw = (): Expr => d.at('own', () => ({ e: 'not', x: { e: 'and', x: d.boolExpr(m, 0, true), y: d.boolExpr(m, 0, true) } }));
    const holds = (e: Expr) => Array.from({ length: cpus }, (_, a) => a).every((a) => evalExpr(e, { s: first, a, x: null, cpus, arrLen: m.arr?.len ?? 0 }));
    let inv = draw();
    for (let k = 0; k < 3 && !holds(inv); k++) inv = draw();
    m.eachInvariants = [inv];
  }
  if (requested === 'locals') addLocals(m, t, d);
  return m;
}

/**
 * 'locals' mode: every seq procedure declares `l0: int(0, 2)`; its steps set it (from the choice or
 * by a wrapping increment), branch on it (an action drawn as usual, a ret or a goto, only when l0 has
 * some value) and guard on it, so that what a frame does depends on its own l0 and a nested call of
 * the same procedure (a call, recursion, or a rule's interrupt) must not disturb its caller's.
 */
function addLocals(m: ModelSpec, t: Tape, d: Drawer): void {
  const l0: Loc = { l: 'loc' };
  const is = (k: number): Expr => ({ e: 'eq', x: { e: 'read', loc: l0 }, y: { e: 'const', v: k } });
  for (const p of m.procs) {
    if (p.kind !== 'seq') continue;
    p.locals = true;
    d.where = 'cpu';
    for (const s of p.steps) {
      if (t.chance(50)) s.actions.unshift(t.chance(50) ? { a: 'inc', loc: l0, mode: 'wrap' } : { a: 'assign', loc: l0, value: { e: 'choice' } });
      if (t.chance(60)) {
        const then: Action = t.chance(30) ? (t.chance(50) ? { a: 'ret' } : { a: 'goto', label: t.pick(p.steps.map((x) => x.label)) }) : d.action(m, { kind: 'seq', proc: p, procs: m.procs }, 1);
        s.actions.push({ a: 'if', cond: is(t.int(0, 2)), then: [then] });
      }
      if (t.chance(25)) s.guard = s.guard ? { e: 'and', x: s.guard, y: { e: 'not', x: is(t.int(0, 2)) } } : { e: 'not', x: is(t.int(0, 2)) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Compiling a spec to a model

/** The initial state as a plain object shaped like the model's view (first values, then init). */
function initialState(m: ModelSpec): any {
  const first = (d: DomSpec): number | boolean => (d.k === 'bool' ? false : loOf(d));
  const s: any = {};
  for (const g of m.globals) s[g.name] = first(g.dom);
  s.cpu = Array.from({ length: m.cpus }, () => Object.fromEntries(m.perCpu.map((f) => [f.name, first(f.dom)])));
  if (m.arr) {
    const vals = Array.from({ length: m.arr.len }, () => first(m.arr!.dom));
    s.arr = { length: vals.length, get: (i: number) => vals[i], set: (i: number, v: number | boolean) => (vals[i] = v) };
  }
  runActions(m.init, { s, a: 0, x: null, cpus: m.cpus, arrLen: m.arr?.len ?? 0 }, m);
  return s;
}

function toDomain(d: DomSpec, cpus: number): Domain {
  switch (d.k) {
    case 'bool':
      return bool();
    case 'int':
      return int(d.lo, d.hi);
    case 'enum':
      return enumOf(['A', 'B', 'C'].slice(0, d.n));
    case 'set':
      return setOf('cpu', cpus);
    case 'ref':
      return ref('cpu', cpus, { nullable: d.nullable });
  }
}

function toDecl(f: { dom: DomSpec; plain: boolean; own?: boolean; published?: boolean }, cpus: number): Decl {
  const dom = toDomain(f.dom, cpus);
  if (f.published) return published(f.plain ? plain(dom) : dom);
  return f.plain ? plain(dom) : f.own ? own(dom) : dom;
}

type Env = { s: any; a: number; x: StepCtx | null; cpus: number; arrLen: number };

function cpuIndex(who: Who, env: Env): number {
  if (who === 'self') return env.a % env.cpus;
  if (who === 'next') return (env.a + 1) % env.cpus;
  return who % env.cpus;
}

function arrIndex(idx: number | 'choice' | 'self', env: Env): number {
  if (idx === 'choice') return (env.x?.choice ?? 0) % env.arrLen;
  if (idx === 'self') return env.a; // may lie outside the array: a model error when it does
  return idx;
}

function readLoc(l: Loc, env: Env): any {
  if (l.l === 'loc') return env.x!.locals.l0;
  if (l.l === 'g') return env.s[l.f];
  if (l.l === 'c') return env.s.cpu[cpuIndex(l.who, env)][l.f];
  return env.s.arr.get(arrIndex(l.idx, env));
}

function writeLoc(l: Loc, env: Env, v: unknown): void {
  if (l.l === 'loc') env.x!.locals.l0 = v;
  else if (l.l === 'g') env.s[l.f] = v;
  else if (l.l === 'c') env.s.cpu[cpuIndex(l.who, env)][l.f] = v;
  else env.s.arr.set(arrIndex(l.idx, env), v);
}

function evalExpr(e: Expr, env: Env): any {
  switch (e.e) {
    case 'const':
      return e.v;
    case 'read':
      return readLoc(e.loc, env);
    case 'not':
      return !evalExpr(e.x, env);
    case 'and':
      return evalExpr(e.x, env) && evalExpr(e.y, env);
    case 'or':
      return evalExpr(e.x, env) || evalExpr(e.y, env);
    case 'eq':
      return evalExpr(e.x, env) === evalExpr(e.y, env);
    case 'lt':
      return evalExpr(e.x, env) < evalExpr(e.y, env);
    case 'has':
      return (readLoc(e.loc, env) & (1 << cpuIndex(e.who, env))) !== 0;
    case 'add1':
      return evalExpr(e.x, env) + 1;
    case 'num':
      return evalExpr(e.x, env) ? 1 : 0;
    case 'actor':
      return env.a;
    case 'choice':
      return env.x?.choice ?? 0;
    case 'all':
      for (let c = 0; c < env.cpus; c++) if (!evalExpr(e.x, { ...env, a: c })) return false;
      return true;
    case 'two': {
      let n = 0;
      for (let c = 0; c < env.cpus; c++) if (evalExpr(e.x, { ...env, a: c })) n++;
      return n >= 2;
    }
  }
}

function hiOfLoc(l: Loc, spec: ModelSpec): number {
  return hiOf(domOfLoc(l, spec), spec.cpus);
}
function loOfLoc(l: Loc, spec: ModelSpec): number {
  return loOf(domOfLoc(l, spec));
}
function domOfLoc(l: Loc, spec: ModelSpec): DomSpec {
  if (l.l === 'loc') return { k: 'int', lo: 0, hi: 2 };
  if (l.l === 'g') return spec.globals.find((g) => g.name === l.f)!.dom;
  if (l.l === 'c') return spec.perCpu.find((g) => g.name === l.f)!.dom;
  return spec.arr!.dom;
}

function runActions(acts: readonly Action[], env: Env, spec: ModelSpec): void {
  for (const act of acts) {
    switch (act.a) {
      case 'assign':
        writeLoc(act.loc, env, evalExpr(act.value, env));
        break;
      case 'inc': {
        const v = readLoc(act.loc, env) as number;
        const hi = hiOfLoc(act.loc, spec);
        if (act.mode === 'unbounded') writeLoc(act.loc, env, v + 1);
        else if (v < hi) writeLoc(act.loc, env, v + 1);
        else if (act.mode === 'wrap') writeLoc(act.loc, env, loOfLoc(act.loc, spec));
        break;
      }
      case 'toggle':
        writeLoc(act.loc, env, !readLoc(act.loc, env));
        break;
      case 'bit': {
        const bit = 1 << cpuIndex(act.who, env);
        const v = readLoc(act.loc, env) as number;
        writeLoc(act.loc, env, act.on ? v | bit : v & ~bit);
        break;
      }
      case 'if':
        if (evalExpr(act.cond, env)) runActions(act.then, env, spec);
        break;
      case 'emit':
        env.x!.emit('Ev', evalExpr(act.arg, env) as number);
        break;
      case 'fence':
        env.x?.fence();
        break;
      case 'goto':
        env.x!.goto(act.label);
        break;
      case 'call':
        env.x!.call(act.proc, act.returnTo);
        break;
      case 'ret':
        env.x!.ret();
        break;
      case 'each':
        for (let c = 0; c < env.cpus; c++) runActions(act.then, { ...env, a: c }, spec);
        break;
    }
  }
}

export function buildModel(spec: ModelSpec): RandomModel {
  const { cpus } = spec;
  const arrLen = spec.arr?.len ?? 0;
  const env = (s: any, a: number, x: StepCtx | null): Env => ({ s, a, x, cpus, arrLen });
  const decl: RecordDecl = {};
  for (const g of spec.globals) (decl as Record<string, Decl>)[g.name] = toDecl(g, cpus);
  if (spec.perCpu.length > 0) {
    const rec: Record<string, Decl> = {};
    for (const f of spec.perCpu) rec[f.name] = toDecl(f, cpus);
    (decl as Record<string, Decl>).cpu = perCpu(cpus, rec);
  }
  if (spec.arr) (decl as Record<string, Decl>).arr = arrayOf(spec.arr.len, toDecl(spec.arr, cpus));
  const hasPlain = [...spec.globals, ...spec.perCpu].some((f) => f.plain) || (spec.arr?.plain ?? false);

  // The labels of its own seq procedure a step's actions jump to (its declared jumps; 'NOWHERE' is not one).
  const jumpsOf = (acts: readonly Action[], own: ReadonlySet<string>, out: Set<string>): Set<string> => {
    for (const a of acts) {
      if (a.a === 'goto' && own.has(a.label)) out.add(a.label);
      if (a.a === 'call' && a.returnTo !== undefined && own.has(a.returnTo)) out.add(a.returnTo);
      if (a.a === 'if' || a.a === 'each') jumpsOf(a.then, own, out);
    }
    return out;
  };
  const toStep = (s: StepSpec, p: ProcSpec): StepDef => {
    const guard = s.guard;
    const jumps = p.kind === 'seq' ? [...jumpsOf(s.actions, new Set(p.steps.map((x) => x.label)), new Set())] : [];
    return step(s.label, `random step ${s.label}`, {
      ...(jumps.length > 0 ? { jumps } : {}),
      ...(guard ? { when: (st: any, a: number, x: StepCtx) => !!evalExpr(guard, env(st, a, x)) } : {}),
      do: (st: any, a: number, x: StepCtx) => runActions(s.actions, env(st, a, x), spec),
      ...(s.choices > 1 ? { choose: { name: 'k', count: s.choices, of: null } } : {}),
      ...(s.fence ? { fence: true } : {}),
    });
  };
  const procedures: ProcedureDef[] = spec.procs.map((p) =>
    p.kind === 'seq' ? seq(p.name, p.actor, p.steps.map((s) => toStep(s, p)), { entry: p.entry, ...(p.locals ? { locals: { l0: int(0, 2) } } : {}) }) : rules(p.name, p.actor, p.steps.map((s) => toStep(s, p)), { idleOnly: p.idleOnly }),
  );

  const model = defineModel({
    name: MODEL_NAME,
    title: 'random model',
    description: 'drawn by the differential tests',
    params: {},
    flags: {},
    actors: (): Record<string, number> => (spec.aux ? { cpu: cpus, aux: 1 } : { cpu: cpus }),
    state: () => decl,
    init: (s: any) => runActions(spec.init, env(s, 0, null), spec),
    events: spec.monitor ? { Ev: ['value'] } : {},
    procedures: () => procedures,
    ...(spec.end ? { end: (s: any) => !!evalExpr(spec.end!, env(s, 0, null)) } : {}),
    memory: hasPlain ? ['sc', 'tso', 'weak'] : ['sc'],
    storeBufferDepth: spec.sbDepth,
    stackDepth: spec.stackDepth,
    ...(spec.symmetric ? { symmetry: () => [{ of: 'cpu' }] } : {}),
  }) as unknown as ModelDef;

  const properties: PropertyDef[] = spec.invariants.map((inv, i) =>
    property({
      name: `inv${i}`,
      statement: 'a random invariant',
      ref: 'test',
      models: [MODEL_NAME],
      check: (s) => (evalExpr(inv, env(s, 0, null)) ? null : `inv${i} fails`),
      ...(spec.footprints ? { reads: readsOf(inv) } : {}),
    }),
  );
  (spec.eachInvariants ?? []).forEach((inv, i) =>
    properties.push(
      property({
        name: `each${i}`,
        statement: 'a random invariant checked per CPU',
        ref: 'test',
        models: [MODEL_NAME],
        each: 'cpu',
        check: (s, _g, _p, _f, a) => (evalExpr(inv, env(s, a, null)) ? null : `each${i} fails on cpu${a}`),
        reads: readsOf(inv),
      }),
    ),
  );
  const mon = spec.monitor;
  if (mon) {
    // Drawn with footprints, the monitor comes first, so that its ghost record is `$ghost.p0` in every
    // subset of the properties that includes it (its invariant's reads name that path).
    properties[spec.footprints ? 'unshift' : 'push'](
      property({
        name: 'mon',
        statement: 'a random monitor',
        ref: 'test',
        models: [MODEL_NAME],
        ghost: () => ({ cnt: int(0, mon.bound), last: int(0, 2) }),
        init: (g) => {
          g.cnt = mon.initCount;
        },
        ...(mon.ghostInvariant ? { check: (_s: any, g: any) => (g.cnt < mon.bound ? null : `cnt reached ${g.cnt}`) } : {}),
        ...(mon.ghostInvariant && spec.footprints ? { reads: ['$ghost.p0.cnt'] } : {}),
        on: {
          Ev: (s, g, x, v) => {
            for (const act of mon.actions) {
              if (act.m === 'count') g.cnt = act.mode === 'unbounded' || g.cnt < mon.bound ? g.cnt + 1 : g.cnt;
              else if (act.m === 'remember') g.last = v;
              else if (act.m === 'failIfArg' && v === act.v) x.fail(`event with value ${v}`);
              else if (act.m === 'failIfCount' && g.cnt >= mon.bound) x.fail(`count ${g.cnt}`);
              else if (act.m === 'failIfState' && evalExpr(act.cond, env(s, 0, null))) x.fail('state condition');
            }
          },
        },
      }),
    );
  }
  return { spec, model, properties, hasPlain };
}

/** The fields an expression names, as paths without indices (an invariant's `reads`). */
export function readsOf(e: Expr): string[] {
  const out = new Set<string>();
  const loc = (l: Loc) => out.add(l.l === 'g' ? l.f : l.l === 'c' ? `cpu.${l.f}` : 'arr');
  const walk = (x: Expr): void => {
    if (x.e === 'read' || x.e === 'has') loc(x.loc);
    if ('x' in x) walk(x.x);
    if ('y' in x) walk(x.y);
  };
  walk(e);
  return [...out].sort();
}

/** Random small models, printed as their spec when a property fails. */
export const arbModel: fc.Arbitrary<RandomModel> = fc.array(fc.noBias(fc.nat({ max: 9999 })), { minLength: 300, maxLength: 300 }).map((tape) => {
  const rm = buildModel(drawSpec(tape));
  return Object.assign(rm, { [fc.toStringMethod]: () => JSON.stringify(rm.spec) });
});

/** Random small models drawn in a mode (see the header); `arbModelIn('default')` draws as `arbModel`. */
export function arbModelIn(mode: DrawMode): fc.Arbitrary<RandomModel> {
  return fc.array(fc.noBias(fc.nat({ max: 9999 })), { minLength: 300, maxLength: 300 }).map((tape) => {
    const rm = buildModel(drawSpec(tape, mode));
    return Object.assign(rm, { [fc.toStringMethod]: () => JSON.stringify(rm.spec) });
  });
}
