// How many search workers a check uses (`--workers`). Given, that many. Not given: the cores the load
// leaves free (the machine's cores less the one-minute load average, rounded, at least 1), and only
// for a search that outgrows PROBE_STATES states in one thread (engine/parallel/index.ts): on a
// loaded machine two workers are slower than one, and for a small search starting them costs more
// than they save. The answer is the same for every count; only the time differs.
import { availableParallelism, loadavg } from 'node:os';

/** States one thread stores before a search without --workers starts its workers. */
export const PROBE_STATES = 1 << 18;

/** The cores the load leaves free: at least 1. */
export function freeCores(cores = availableParallelism(), load = loadavg()[0]): number {
  return Math.max(1, Math.min(cores, Math.round(cores - load)));
}

/** The search options for `--workers` (undefined: not given). */
export function workersFor(given: number | undefined): { workers: number; probeStates?: number } {
  if (given !== undefined) return { workers: given };
  const n = freeCores();
  return n > 1 ? { workers: n, probeStates: PROBE_STATES } : { workers: 1 };
}
