// What the coordinator (coordinator.ts) and the search workers (worker.ts) say to each other. Each
// worker owns the states whose owner hash (`ownerOf`) is its index; its share of a BFS layer is
// expanded by it, and each successor travels to its owner as one record of an outbox:
//   [packed words (W)] [rank of the parent in its layer] [j: the successor's index among the
//   parent's] [the parent's address] [the transition (an encoded via)]
// An address is `local id × N + owner`. The pair (rank, j) is the successor's position in the order
// in which the sequential search (bfs.ts) generates the layer's successors; key(rank, j) packs it
// into one exactly representable double, so keys sort numerically.
import { fmix32, mixWords } from '../store.ts';
import type { ReductionStats } from '../reductions/index.ts';
import type { SharedView, StoreKind } from '../stores.ts';
import type { ProgramRecipe } from './recipe.ts';

/** What a worker's partition (partition.ts) is made with. */
export interface PartitionOptions {
  readonly workers: number;
  readonly index: number;
  readonly store?: StoreKind;
  readonly symmetry: boolean;
  /** Partial-order reduction: the partition's store (exact or compact) is then shared (other workers look successors up in it). */
  readonly por: boolean;
  readonly deadlock: boolean;
  /** Words of successor records a round's expansion puts in the outboxes before it stops (the round's share of the exchange). */
  readonly exchangeWords: number;
}

/** `exchangeWords` by default: 16 MiB of records a worker sends per round. */
export const EXCHANGE_WORDS = 1 << 22;

/** Words of a record after the packed state. */
export const RECORD_EXTRA = 4;

/** Successors of one state at most (j < 2^21), so that a key is exact in a double. */
export const MAX_SUCCESSORS = 1 << 21;

export function key(rank: number, j: number): number {
  return rank * MAX_SUCCESSORS + j;
}

/** The worker that owns the packed state in `buf` (a hash with its own seed: a partition's states then spread over its whole hash table). */
export function ownerOf(buf: Uint32Array, words: number, workers: number): number {
  // The hash's top 16 bits scaled to [0, workers): integer operations only (`%` of an unsigned
  // 32-bit value is a floating-point remainder, half of the successor loop's time).
  return ((fmix32(mixWords(0x2545f491 ^ words, buf, words, 0)) >>> 16) * workers) >>> 16;
}

/** Slots of the control array shared by every thread. */
export const CTL = {
  /** Bumped (and notified) by a worker after each reply it posts. */
  replies: 0,
  /** Set to 1 by the coordinator: the workers stop at their next poll. */
  stop: 1,
  /** States stored by all workers (added every POLL states and at the end of each insert phase). */
  states: 2,
  /** The --max-states limit (0: none); a worker that sees `states` reach it stops. */
  maxStates: 3,
} as const;
export const CTL_SLOTS = 4;

/** States between two polls of the stop flag in a worker. */
export const POLL = 1024;

/**
 * A found violation or error, as the worker that found it reports it: its position (rank, j) in the
 * sequential order and whether the successor at that position is counted (a monitor's transition and
 * an invariant's new state are; a model error's or a deadlock's position is that of the next
 * successor, never generated).
 */
export interface WorkerEvent {
  readonly kind: 'monitor' | 'invariant' | 'deadlock' | 'error';
  readonly rank: number;
  readonly j: number;
  /** The address of the state expanded (monitor, deadlock, error) or of the new state (invariant). */
  readonly at: number;
  readonly via?: number;
  /** Monitor: the successor's packed words. */
  readonly words?: Uint32Array;
  readonly prop: number;
  readonly reason: string;
  readonly stack?: string;
  /** Error: the failing transition (null: outside a transition). */
  readonly failing?: { step: number; actor: number; choice: number } | null;
}

/** Orders events as the sequential search meets them: by position, a monitor before an invariant at the same one. */
export function earlier(a: WorkerEvent, b: WorkerEvent): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.j !== b.j) return a.j < b.j;
  return a.kind === 'monitor' && b.kind !== 'monitor';
}

/** The first position the event's search did not count: successors before it were generated, new states before it stored. */
export function bound(e: WorkerEvent): { rank: number; j: number } {
  return { rank: e.rank, j: e.kind === 'monitor' || e.kind === 'invariant' ? e.j + 1 : e.j };
}

/** A closed layer, as its owner reports it. */
export interface Closed {
  readonly inserted: number;
  readonly sorted: Float64Array;
  readonly event: WorkerEvent | null;
}

export type Command =
  | { readonly cmd: 'start'; readonly recipe: ProgramRecipe; readonly options: Omit<PartitionOptions, 'index' | 'workers'> }
  | { readonly cmd: 'end' }
  /** A round's insert phase; with `close`, the layer's last round. */
  | { readonly cmd: 'insert'; readonly seed?: Uint32Array; readonly close: boolean }
  /** A round's expand phase; `layer` at the first round of a layer (its ranks, and every worker's first id of the next layer). */
  | { readonly cmd: 'expand'; readonly layer: { readonly ranks: Uint32Array; readonly firsts: readonly number[] } | null; readonly views: readonly (SharedView | null)[] | null }
  | { readonly cmd: 'count'; readonly rank: number; readonly j: number }
  | { readonly cmd: 'link'; readonly id: number };

export type Reply =
  | { readonly ready: true }
  | { readonly stopped: string }
  | { readonly fatal: string }
  /** An insert phase's: `layer` when it closed the layer (its new states, their keys sorted, its first invariant violation). */
  | { readonly layer: Closed | null; readonly bytes: number; readonly view: SharedView | null }
  | { readonly expanded: number; readonly event: WorkerEvent | null; readonly done: boolean; readonly stats: ReductionStats }
  | { readonly states: number; readonly transitions: number; readonly ampleStates: number }
  | { readonly words: Uint32Array; readonly parent: number; readonly via: number };
