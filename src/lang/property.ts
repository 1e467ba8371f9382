// Properties live in properties/, apart from the models: a model emits events and exposes its state;
// a property observes. An invariant is checked on every reached state; a monitor reacts to events and
// keeps its own ghost state in the state vector (so it is part of what the explorer distinguishes).
import type { Flags, MemoryModel, Params } from './model.ts';
import { ModelError } from './errors.ts';
import type { RecordDecl } from './schema.ts';

export interface MonitorCtx {
  /** Report a violation of this property, with the reason in a sentence. */
  fail(reason: string): void;
  /** The run's flag values (constant in a run). */
  readonly flags: Flags;
  /** The run's parameter values (the scope). */
  readonly params: Params;
  /**
   * The memory model the run checks under (`--memory`): a monitor that stands in for orders the
   * hardware keeps or breaks (a barrier window) reports only what the selected model allows.
   */
  readonly memory: MemoryModel;
}

export type EventHandler = (s: any, g: any, x: MonitorCtx, a: number, b: number, c: number) => void;

export interface PropertyDef {
  /** Short name used on the command line and in counterexample files (`no-stale-user`, `P1`). */
  readonly name: string;
  /** The property in one sentence. */
  readonly statement: string;
  /** Where it comes from: domain-guide id, kernel function or commit. */
  readonly ref: string;
  /** Models (by name) this property applies to. */
  readonly models: readonly string[];
  /**
   * Checked only when named (`--property`): a property that flags a window open in every version of
   * the model (an open candidate finding) would otherwise be the shortest violation of every variant
   * and hide the properties the historical bugs break.
   */
  readonly onRequest?: string;
  /** Ghost state owned by the property, declared like model state. */
  readonly ghost?: (p: Params) => RecordDecl;
  /** Initial ghost values (all fields start at the first value of their domain). */
  readonly init?: (g: any, s: any, p: Params, f: Flags) => void;
  /**
   * The fields the invariant reads, by path without indices (`cpu.mode`, `mmGen`, `cpu` for all of a
   * record). Partial-order reduction needs it (steps writing these fields are visible); without it,
   * an invariant makes every step visible. `check --verify-footprints` checks the declaration.
   */
  readonly reads?: readonly string[];
  /**
   * An invariant that is a conjunction over the actors of this kind (`cpu`): `check` is called once
   * for each actor `a` and checks that actor's part, reading only what `a` alone writes (its own and
   * published fields, its own ghost fields). A step of `a` that writes what its part reads can then
   * be taken alone by partial-order reduction: no other actor's part sees it, and its own part was
   * checked before the step (a violation of it needs one of `a`'s steps, which the reduction keeps
   * in their order). `check --verify-footprints` checks that each part reads only its actor's fields.
   */
  readonly each?: string;
  /** Invariant: null when it holds, else why it fails (with `each`: of actor `a`'s part; else `a` is -1). */
  readonly check?: (s: any, g: any, p: Params, f: Flags, a: number) => string | null;
  /** Monitor: event name → handler. */
  readonly on?: Readonly<Record<string, EventHandler>>;
  /**
   * `liveness`: "whenever X starts, X completes", checked after a complete search as the absence of a
   * fair cycle on which X stays open (src/engine/liveness.ts). X is named by `completes`.
   */
  readonly kind?: 'liveness';
  /**
   * What must complete: a seq procedure (open while an actor is inside it: its pc or a return frame is
   * in the procedure; checked per actor), or one of the model's `busy` entries (open while its `at`
   * is not 0).
   */
  readonly completes?: { readonly procedure: string } | { readonly busy: string };
  /**
   * A bounded variant of a liveness property (`--within K`, made by `boundedVariant`): a safety
   * monitor, "whenever X is open, its waiter is not kept waiting through K + 1 steps of its peers"
   * (counted: the other actors' steps that change the state while the waiter is inside X and blocked
   * or spinning; a busy entry has no waiter, every step that changes the state counts). Its counters
   * are ghost state (compile.ts), checked after every step (src/engine/within.ts).
   */
  readonly within?: number;
}

export function property(def: PropertyDef): PropertyDef {
  return def;
}

/** An invariant as the explorers check it, on the whole state: with `each`, every actor's part in turn (`actors`: the instance's counts). */
export function wholeCheck(p: PropertyDef, actors: Readonly<Record<string, number>>): ((s: any, g: any, params: Params, f: Flags) => string | null) | null {
  const check = p.check;
  if (check === undefined) return null;
  if (p.each === undefined) return (s, g, params, f) => check(s, g, params, f, -1);
  const n = Object.hasOwn(actors, p.each) ? actors[p.each] : -1;
  if (n < 0) throw new ModelError(`property ${p.name}: each '${p.each}' is not an actor kind of the model (${Object.keys(actors).join(', ')})`);
  return (s, g, params, f) => {
    for (let a = 0; a < n; a++) {
      const r = check(s, g, params, f, a);
      if (r !== null) return r;
    }
    return null;
  };
}

/** The properties bound to a model. */
export function boundTo(all: readonly PropertyDef[], model: string): PropertyDef[] {
  return all.filter((p) => p.models.includes(model));
}

/** The properties checked on a model when none is named (all bound ones but those checked on request). */
export function checkedByDefault(all: readonly PropertyDef[], model: string): PropertyDef[] {
  return boundTo(all, model).filter((p) => p.onRequest === undefined);
}

/** The name of liveness property `name` bounded to K steps: `FLUSH-RETURNS/within-5`. */
export function withinName(name: string, k: number): string {
  return `${name}/within-${k}`;
}

/** The bounded variant of liveness property `p`: the safety monitor "X closes within K steps of its waiter's peers". */
export function boundedVariant(p: PropertyDef, k: number): PropertyDef {
  const c = p.completes!;
  const what = 'busy' in c
    ? `whenever ${c.busy} is in progress, it ends before ${k + 1} steps that change the state are taken (any actor's)`
    : `an actor inside ${c.procedure} is not kept waiting there through ${k + 1} steps of the other actors (counted: their steps that change the state while it is blocked or spins; its own steps, interrupts included, do not count)`;
  return {
    name: withinName(p.name, k),
    statement: `${p.name} bounded to ${k} steps, a safety monitor: ${what}.`,
    ref: p.ref,
    models: p.models,
    ...(p.onRequest !== undefined ? { onRequest: p.onRequest } : {}),
    completes: c,
    within: k,
  };
}

/**
 * `all` with the bounded variants: of every liveness property for `within` (K, when given), and of
 * the ones `named` asks for by name (`FLUSH-RETURNS/within-5` without `--within`).
 */
export function withBounded(all: readonly PropertyDef[], within: number | undefined, named: readonly string[] = []): readonly PropertyDef[] {
  const out = [...all];
  const add = (p: PropertyDef, k: number) => {
    if (!out.some((q) => q.name === withinName(p.name, k) && q.models === p.models)) out.push(boundedVariant(p, k));
  };
  for (const p of all) if (p.kind === 'liveness' && within !== undefined) add(p, within);
  for (const n of named) {
    const m = /^(.+)\/within-([1-9][0-9]*)$/.exec(n);
    if (m === null) continue;
    for (const p of all) if (p.kind === 'liveness' && p.name === m[1]) add(p, Number(m[2]));
  }
  return out;
}
