// The modeling language: a model is a transition system over a finite state, written as procedures
// named after kernel functions, each a list of labeled atomic steps (one shared access or hardware
// event per step). Actors (CPUs, the RCU grace-period machinery, the hypervisor…) run procedures.
//
// Control flow of an actor: a per-actor program counter (pc) and a bounded return stack.
//  - A `seq` procedure runs its steps in order; step i is enabled when the actor's pc is at it and its
//    guard holds (a false guard blocks: that is how waits are modeled). `x.goto`, `x.call`, `x.ret`
//    change the flow (a step declares the labels it may jump to in `jumps`); after the last step the
//    procedure returns.
//  - An `entry` seq procedure may also start when the actor is idle (top level, pc = idle).
//  - A `rules` procedure is a set of independent guarded steps enabled whenever their guard holds,
//    whatever the pc: hardware events (TLB fill, IPI delivery, store-buffer drain) and the atomic
//    actions of small models. With `idleOnly` they fire only when the actor is idle. A rule may
//    `x.call` a procedure; without a return label the call returns to the interrupted pc (an interrupt).
//  - A seq procedure may declare `locals`: each call of it (each frame on the actor's control stack)
//    has its own copy, read and written as `x.locals.name`, fresh (every local at its domain's first
//    value) when the frame starts and gone when it returns. An interrupt that calls the procedure
//    while the actor is inside it gets a new frame: the interrupted frame's locals are kept.
import type { Domain } from './domain.ts';
import type { MemoryModel } from './memory/index.ts';
import type { Decl, RecordDecl, View } from './schema.ts';

export interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}

export type FlagValue = boolean | number | string;

/**
 * A named scope: params and scope flags that widen (or narrow) the default one, e.g. `wide` (3 CPUs,
 * more generations), selected with `--scope NAME`; `--param` and `--set` still apply on top.
 */
export interface ScopeDef {
  readonly doc: string;
  readonly params?: Readonly<Record<string, number>>;
  readonly flags?: Readonly<Record<string, FlagValue>>;
}

export interface FlagSpec {
  readonly default: FlagValue;
  readonly doc: string;
  /** For string flags: the accepted values. For number flags: the inclusive range. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /**
   * A scope flag sets the scenario (which warm start, which parts of the protocol are modeled, which
   * architecture) rather than the kernel's behaviour. Replaying a counterexample against another
   * variant keeps the counterexample's scope flags and takes only the kernel's behaviour from the target.
   */
  readonly scope?: boolean;
  /**
   * A boolean flag that, when true, over-approximates the model: every execution of the model with
   * the flag false is also one with it true (it only adds choices), so `ok` with it on is `ok` for
   * the exact model, but a violation may be one of the added executions. The pipeline confirms a
   * violation found with it on by checking the exact model (src/pipeline/abstraction.ts).
   */
  readonly abstraction?: boolean;
}

/** What a step's guard and effect may do besides reading and writing the state. */
export interface StepCtx {
  /** Index of the executing actor instance (the CPU number for actor `cpu`). */
  readonly actor: number;
  /** The nondeterministic choice of this transition, 0..count-1 (see StepDef.choose). */
  readonly choice: number;
  /** The run's flag values (constant in a run): a step reads them here, not from copies in the state. */
  readonly flags: Flags;
  /** The run's parameter values (the scope), constant in a run. */
  readonly params: Params;
  /** Continue at another step of the current procedure. */
  goto(label: string): void;
  /** Call a seq procedure; it returns to `returnTo` (a label of the current procedure), or, when omitted, to the current pc (an interrupt). */
  call(proc: string, returnTo?: string): void;
  /** Return from the current procedure now. */
  ret(): void;
  /** Emit an event to the properties that observe it. */
  emit(event: string, a?: number, b?: number, c?: number): void;
  /** A full fence (smp_mb, LOCKed RMW, serializing instruction): drains this CPU's store buffer under TSO. */
  fence(): void;
  /**
   * The locals of the current frame of the step's procedure (ProcedureDef.locals): `x.locals.prev`.
   * Each frame on the control stack has its own; a step of a procedure that declares none, or a rule
   * (rules run in no frame), reading them is a model error.
   */
  readonly locals?: any;
}

export type Guard<S> = (s: S, a: number, x: StepCtx) => boolean;
export type Effect<S> = (s: S, a: number, x: StepCtx) => void;

export interface ChoiceSpec {
  /** Name shown in traces, e.g. `next`. */
  readonly name: string;
  /** Number of alternatives. */
  readonly count: number;
  /** What the alternatives name (rendered as `mm1`), or null for a plain number. */
  readonly of?: string | null;
}

export interface StepDef<S = any> {
  /** Step id from the domain guide (`SW3b`), unique within its procedure. */
  readonly label: string;
  /** What the step does, in the kernel's words (`loaded_mm = LOADED_MM_SWITCHING`). */
  readonly text: string;
  readonly when?: Guard<S>;
  readonly do?: Effect<S>;
  readonly choose?: ChoiceSpec;
  /** A full fence before the step's own accesses (LOCK prefix, smp_mb, serializing instruction). */
  readonly fence?: boolean;
  /**
   * Every label of this procedure the step may continue at: its `x.goto` targets and the return labels
   * of its `x.call`s. Known before the search, so an edit that removes or moves a jump target is
   * rejected at load; a jump to an undeclared label is a model error.
   */
  readonly jumps?: readonly string[];
  /**
   * When the guard is false only because a bound of the scope is used up (the context switches a CPU
   * may make): a state where an actor waits at this step while this holds is where the explored
   * behaviour ends, not a hang, so the stuck-actor check asks nothing of it.
   */
  readonly bounded?: (s: S, a: number) => boolean;
}

export interface ProcedureDef<S = any> {
  /** Kernel function (or hardware action) the procedure models. */
  readonly name: string;
  /** Which actor kind runs it. */
  readonly actor: string;
  readonly kind: 'seq' | 'rules';
  /** seq: may start when the actor is idle. */
  readonly entry?: boolean;
  /** rules: fire only when the actor is idle. */
  readonly idleOnly?: boolean;
  /**
   * Why a variant cannot edit this procedure's steps (its steps were built by the model around each
   * other, e.g. as the phases of a task's call); an edit is then an error that says so.
   */
  readonly locked?: string;
  /**
   * A procedure whose steps run inside a frame the model builds around them (the phases of a task's
   * call that may migrate between CPUs, with their own program counter in the state): the instance
   * passes the procedure's steps through `lower` after a variant's edits, so a variant edits them by
   * label as in any other procedure. Its steps may declare `jumps` (labels of the procedure) though
   * the lowered procedure is a `rules` one: the frame carries out the jump.
   */
  lower?(steps: readonly StepDef<S>[]): readonly StepDef<S>[];
  /**
   * seq: the procedure's locals, name → domain, kept per frame (per call on the actor's bounded
   * control stack): a nested call of the same procedure (an interrupt taken inside it) has its own.
   */
  readonly locals?: Readonly<Record<string, Domain>>;
  readonly steps: readonly StepDef<S>[];
}

export interface ModelDef<P extends string = string, F extends string = string, D extends RecordDecl = RecordDecl> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly params: { readonly [K in P]: ParamSpec };
  readonly flags: { readonly [K in F]: FlagSpec };
  /** Actor kinds and their instance counts. */
  readonly actors: (p: Params<P>) => Readonly<Record<string, number>>;
  readonly state: (p: Params<P>) => D;
  /** Sets the initial state (all fields start at the first value of their domain). */
  init?(s: View<D>, p: Params<P>, f: Flags<F>): void;
  /** Event names and the meaning of their arguments. */
  readonly events?: Readonly<Record<string, readonly string[]>>;
  readonly procedures: (p: Params<P>, f: Flags<F>) => readonly ProcedureDef<View<D>>[];
  /** States with no enabled step for which this holds are allowed ends, not deadlocks. */
  end?(s: View<D>): boolean;
  /**
   * Work in progress that is not an actor's procedure (the stuck-actor check): a call modeled as
   * phases of a state field, a grace period. Each entry's `at` says where it is in a state (0: not
   * in progress; another number per point it can wait at, like a program counter) and `what` says
   * so in words, for the report; from every reachable state where it is in progress, some execution
   * must end it, as every actor inside a procedure must be able to get back to rest.
   */
  readonly busy?: (p: Params<P>, f: Flags<F>) => Readonly<Record<string, BusyDef<View<D>>>>;
  /** Memory models this model supports (default: sc only). */
  readonly memory?: readonly MemoryModel[];
  /**
   * The actor kind whose instances are the CPUs (default: the kind named `cpu`, if any): it owns the
   * store buffers under --memory tso/weak, and its steps run on a CPU (`x.fence()` drains its buffer).
   */
  readonly cpuActor?: string;
  /** Store-buffer depth per CPU under TSO (default 2). */
  readonly storeBufferDepth?: number;
  /** Maximum call depth of an actor (default 4). */
  readonly stackDepth?: number;
  /**
   * Interchangeable objects (symmetry reduction): each entry names an object kind (`cpu`, `mm`) whose
   * members the model treats alike — no step, guard or property depends on which member it is,
   * except the `fixed` ones (e.g. init_mm). Arrays indexed by the kind, references to it and sets of
   * it are permuted together; an actor kind of the same name is permuted with them.
   */
  readonly symmetry?: (p: Params<P>, f: Flags<F>) => readonly SymmetrySpec[];
  /** Named scopes besides the default one (`--scope wide`). */
  readonly scopes?: Readonly<Record<string, ScopeDef>>;
}

export interface BusyDef<S> {
  readonly at: (s: S) => number;
  readonly what: (s: S) => string;
}

export interface SymmetrySpec {
  readonly of: string;
  readonly fixed?: readonly number[];
}

/** A model of any params, flags and state (what the pipeline takes). */
export type AnyModel = ModelDef<any, any, any>;

/** sc, tso, weak: src/lang/memory/ (one file each). */
export type { MemoryModel };

export type Params<P extends string = string> = { readonly [K in P]: number };
export type Flags<F extends string = string> = { readonly [K in F]: any };

export function defineModel<P extends string, F extends string, D extends RecordDecl>(m: ModelDef<P, F, D>): ModelDef<P, F, D> {
  return m;
}

export function step<S>(label: string, text: string, body: Omit<StepDef<S>, 'label' | 'text'> = {}): StepDef<S> {
  return { label, text, ...body };
}

export function seq<S>(name: string, actor: string, steps: readonly StepDef<S>[], opts: { entry?: boolean; locals?: Readonly<Record<string, Domain>> } = {}): ProcedureDef<S> {
  return { name, actor, kind: 'seq', steps, entry: opts.entry ?? false, ...(opts.locals ? { locals: opts.locals } : {}) };
}

export function rules<S>(name: string, actor: string, steps: readonly StepDef<S>[], opts: { idleOnly?: boolean; locked?: string } = {}): ProcedureDef<S> {
  return { name, actor, kind: 'rules', steps, idleOnly: opts.idleOnly ?? false, ...(opts.locked ? { locked: opts.locked } : {}) };
}

/** A state declaration is opaque to properties; they see it through this loose view. */
export type AnyView = any;
export type { Decl };
