// What the breadth-first search (bfs.ts) asks of a reduction. A reduction is created per search from
// its registration (index.ts) and answers any of four questions, each asked of at most one reduction:
// how to canonicalize a state before it is stored (symmetry), which transitions of a state to take
// (ample sets), how to take them itself (sleep sets: from copies of the successors it recorded, some
// left out, some states reopened), and what to do when a successor is stored or found stored (sleep
// sets narrow the stored state's sleep set). It owns its statistics; the search reports them, one
// object per reduction that was on, under its name (`--json` prints them as they are).
import type { Program } from '../../lang/compile.ts';
import type { End } from '../expander.ts';
import type { Machine } from '../machine.ts';
import type { VisitedStore } from '../store.ts';

/** A reduction's statistics: named counts (`--json` reductions.<name>). */
export type Statistics = Readonly<Record<string, number>>;

/** Replaces an unpacked state by the representative of its class (in place). */
export interface Canonicalize {
  canon(s: Int32Array): void;
}

/**
 * Called by a reduction that takes transitions itself, with the explorer's `machine.cur` and
 * `machine.violation` set to the successor of the transition from stored state `from`; true stops.
 */
export type Emit = (from: number, step: number, actor: number, choice: number) => boolean;

export interface Reduction<S extends Statistics = Statistics> {
  /** Its statistics, read when the search ends. */
  statistics(): S;
  /** After the search: every reachable state was stored (the stuck-actor check may reuse the store). */
  storedEveryState(): boolean;
  /** A counterexample found with it on is a shortest one (otherwise check() looks for a shorter one). */
  readonly shortest: boolean;
  /** Canonicalization of each state before it is stored or looked up. */
  canon?(s: Int32Array): void;
  /**
   * The transitions to take from `base` (states with ids from `nextLayer` on are in the next BFS
   * layer): their codes (via.ts) in `chosen[0..n)`, returning n; 0 takes every transition.
   */
  select?(base: Int32Array, nextLayer: number): number;
  readonly chosen?: Uint32Array;
  /**
   * Takes the transitions of stored state `id` (unpacked in `base`) itself: `only[0..n)` (codes; all
   * when null), emitting each successor; `enabled` counts the enabled transitions. Ends 'stopped' if
   * `emit` stopped, 'error' on a model error (nothing emitted: the explorer's own expansion reports it).
   */
  expand?(id: number, base: Int32Array, only: Uint32Array | null, n: number, emit: Emit): End;
  readonly enabled?: number;
  /**
   * A successor (the initial state too) was stored as `r` (a new id) or found stored as -(id + 1);
   * `identity`: it is its own representative under canonicalization.
   */
  arrive?(r: number, identity: boolean): void;
}

/** What a reduction is created with, for one search. */
export interface ReductionContext {
  readonly prog: Program;
  /** The explorer's machine: an expanding reduction leaves each successor in its `cur`. */
  readonly machine: Machine;
  readonly store: VisitedStore;
  /** The canonicalization of a reduction registered before this one (symmetry), or null. */
  readonly canon: Canonicalize | null;
}

/** A reduction's registration: its option, command-line flag and constructor. */
export interface ReductionDef<N extends string = string, S extends Statistics = Statistics, F extends string = N> {
  /** The option (`check(model, properties, { [name]: true })`) and the key of its statistics. */
  readonly name: N;
  /** The command-line flag (`--flag`, `--no-flag`), its default and its help. */
  readonly flag: F;
  readonly default: boolean;
  readonly describe: string;
  /** The reduction for one search, or null where the model gives it nothing to do. */
  create(ctx: ReductionContext): Reduction<S> | null;
}
