// The result and the options of a check (src/pipeline/check.ts), apart from the pipeline so that its
// stages (the confirmation on the exact model, src/pipeline/abstraction.ts) name them without importing
// the pipeline itself.
import type { Program } from '../lang/compile.ts';
import type { InstanceOptions } from '../lang/instantiate.ts';
import type { FlagValue } from '../lang/model.ts';
import type { ExploreOptions } from '../engine/bfs.ts';
import type { SearchOptions } from '../engine/parallel/index.ts';
import type { StuckResult } from '../engine/stuck.ts';
import type { RawStep } from '../engine/via.ts';
import type { ReductionStats } from '../engine/reductions/index.ts';
import type { StoreKind } from '../engine/stores.ts';
import type { TraceRow } from '../trace/trace.ts';

export interface AbstractionReport {
  /** The abstraction flags that were on. */
  readonly flags: readonly string[];
  /** Whether the exact model has the violation too (then the result's trace is the exact model's). */
  readonly confirmed: boolean;
  /** How the exact model was asked: the abstract trace replayed on it, or a search of it. */
  readonly by: 'replay' | 'search';
  /** The abstract search: its states and trace length. */
  readonly abstract: { readonly states: number; readonly steps: number };
  /**
   * The exact model's answer: for a replay, `violation` and the states the replay passed through; for
   * a search, its verdict (with the limit when incomplete, and the property when it found another
   * violation) and states.
   */
  readonly exact: { readonly verdict: CheckResult['verdict']; readonly states: number; readonly limit?: string; readonly property?: string };
}

export interface CheckResult {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  readonly model: string;
  readonly variant: string | null;
  /** The named scope (`--scope`), or null for the default one. */
  readonly scope: string | null;
  readonly params: Readonly<Record<string, number>>;
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly memory: string;
  readonly properties: readonly string[];
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly memoryBytes: number;
  /** The visited-state store (null for a simulation), the packed state's bytes, resident bytes per state. */
  readonly store: StoreKind | null;
  readonly packedBytes: number;
  readonly bytesPerState: number;
  /** With the fingerprint store: TLC's estimate of the probability that a state was missed. */
  readonly missProbability?: number;
  /**
   * Per reduction that was on (asked for, and with something to do: symmetry only where the model
   * declares symmetries), its statistics as the search reported them; none with a simulation.
   */
  readonly reductions: ReductionStats;
  /** The stuck-actor check after a complete search (null when off, or when the search did not complete). */
  readonly liveness: Omit<StuckResult, 'found' | 'trace' | 'limit'> | null;
  /** For incomplete: the limit that was hit. */
  readonly limit?: string;
  /** For a violation: the property name (`deadlock` for a deadlock); for an error: `model-error`. */
  readonly property?: string;
  readonly statement?: string;
  readonly reason?: string;
  /** For an error: the stack of the exception and of its cause (printed with --debug). */
  readonly stack?: string;
  readonly trace?: readonly TraceRow[];
  readonly rawTrace?: readonly RawStep[];
  /** For a liveness violation (a lasso): the trace is the stem, then from this index the cycle. */
  readonly cycleAt?: number;
  /** With --shrink: the trace before and after. */
  readonly shrunk?: { readonly from: { length: number; switches: number; params: Readonly<Record<string, number>> }; readonly to: { length: number; switches: number }; readonly incomplete: readonly string[] };
  /** With --simulate: how many walks, from which seed, and fast-check's path to the failing one. */
  readonly simulation?: { readonly runs: number; readonly seed: number; readonly path?: string };
  /** Actor instances in column order (CPUs first). */
  readonly actors: readonly string[];
  readonly program: Program;
  /** With an abstraction flag on, for a violation: how it was checked on the exact model. */
  readonly abstraction?: AbstractionReport;
  /** Search threads used (1: the sequential search), and why fewer than asked for. */
  readonly workers: number;
  readonly workersNote?: string;
}

export interface CheckOptions extends InstanceOptions, ExploreOptions, Pick<SearchOptions, 'workers' | 'exchangeWords' | 'probeStates'> {
  /** Random walks instead of an exhaustive search (for scopes too large to exhaust). */
  readonly simulate?: { readonly runs: number; readonly depth: number; readonly seed: number };
  /** Shrink a counterexample (shortest, fewest CPU switches, smallest params). */
  readonly shrink?: boolean;
  /** The stuck-actor check after a complete search (default on). */
  readonly liveness?: boolean;
  /** Adds each liveness property's bounded monitor, "X closes within K steps of its waiter's peers" (`--within K`). */
  readonly within?: number;
  /** Called when the search (and the stuck-actor check) has returned, before a shortest trace is sought or shrunk. */
  readonly onExplored?: () => void;
  /** The absolute path of the variant file `variant` was loaded from (a worker loads it again). */
  readonly variantFile?: string;
}

