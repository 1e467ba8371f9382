// The search with `workers` threads: the sequential search (bfs.ts) for one, the parallel one
// (coordinator.ts) for more, with the same result. What runs with one worker, the result saying so
// (`workersNote`): sleep sets, which depend on the order in which states are expanded and reopened;
// partial-order reduction with the fingerprint store (its cycle proviso looks each successor of an
// ample set up in its owner's partition, which other workers read in SharedArrayBuffers: the exact
// and compact stores can be shared, the fingerprint store cannot).
//
// With `probeStates` (the command line's default, when --workers is not given) the search starts in
// this thread and hands over to the workers only when it stores more than that many states: most
// checks at the default scopes take less time than starting the workers, and the result is the same
// for every worker count, so the hand-over (a new search from the initial state, with the time
// already spent counted) changes how long a big search takes, never what it finds.
import type { Program } from '../../lang/compile.ts';
import { exploreBfs, type ExploreResult } from '../bfs.ts';
import { defaultStore, SHARED_KINDS } from '../stores.ts';
import { exploreParallel, type ParallelOptions } from './coordinator.ts';
import type { ProgramRecipe } from './recipe.ts';
import { poolOf } from './spawn.ts';

export type { ProgramRecipe } from './recipe.ts';

export interface SearchOptions extends ParallelOptions {
  /** Search threads (default 1: the sequential search). */
  readonly workers?: number;
  /** How a worker rebuilds `prog` (null: it cannot, and the search runs in this thread). */
  readonly recipe?: ProgramRecipe | null;
  /** Start in this thread; start the workers only for a search of more than this many states (and say nothing when it cannot use them). */
  readonly probeStates?: number;
}

export function explore(prog: Program, opts: SearchOptions = {}): ExploreResult {
  const n = opts.workers ?? 1;
  if (n <= 1) return exploreBfs(prog, opts);
  const kind = opts.store ?? defaultStore(prog.words);
  const why = opts.por && !SHARED_KINDS.includes(kind)
    ? `partial-order reduction with workers needs the compact or exact store, not ${kind}`
    : opts.sleep
      ? 'sleep sets depend on the order of expansion (without --sleep-sets to search with workers)'
      : !opts.recipe
        ? 'the program cannot be rebuilt in a worker (not a shipped model, variant or variant file)'
        : null;
  const probe = opts.probeStates;
  if (probe === undefined) {
    if (why !== null) return { ...exploreBfs(prog, opts), workers: 1, workersNote: `1 worker, not ${n}: ${why}` };
    return exploreParallel(prog, opts.recipe!, n, opts);
  }
  if (why !== null || probe >= (opts.maxStates ?? Infinity)) return { ...exploreBfs(prog, opts), workers: 1 };
  const first = exploreBfs(prog, { ...opts, maxStates: probe });
  if (first.verdict !== 'incomplete' || first.limit !== `max-states ${probe}`) return { ...first, workers: 1 };
  const spent = first.seconds;
  const r = exploreParallel(prog, opts.recipe!, n, { ...opts, ...(opts.maxSeconds !== undefined ? { maxSeconds: Math.max(0, opts.maxSeconds - spent) } : {}) });
  return { ...r, seconds: r.seconds + spent };
}

/**
 * Starts `n` search workers now (each loads the checker's code in its own thread, about 0.3 s), so
 * that they are ready when a search with `n` workers begins: the command line calls it before it
 * loads and compiles the model, which then overlaps the workers' start.
 */
export function startWorkers(n: number): void {
  if (n > 1) poolOf(n);
}
