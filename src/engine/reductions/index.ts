// The reductions, in the order they are created for a search: a reduction may use those before it
// (ample sets look successors up by their representative under symmetry). The command line's flags,
// the search's options and its statistics all come from this list: a new reduction is one file in
// this folder (its ReductionDef and its Reduction) and one line here.
import type { ReductionContext, Reduction, ReductionDef, Statistics } from './reduction.ts';
import { por } from './por.ts';
import { sleep } from './sleep.ts';
import { symmetry } from './symmetry.ts';

export const REDUCTIONS = [symmetry, por, sleep] as const;

type Registered = (typeof REDUCTIONS)[number];

/** Which reductions a search runs (`{ por: true, symmetry: true }`); off unless given. */
export type ReductionOptions = { readonly [D in Registered as D['name']]?: boolean };

/** The command line's flags (`--por`, `--no-por`…), as parsed. */
export type ReductionFlags = { readonly [D in Registered as D['flag']]?: boolean };

/** The options the command line's flags ask for. */
export function reductionsFrom(flags: ReductionFlags): ReductionOptions {
  return Object.fromEntries(REDUCTIONS.map((d) => [d.name, flags[d.flag]]));
}

/** Per reduction that was on: its statistics (`--json` reductions; absent: it was off). */
export type ReductionStats = { readonly [D in Registered as D['name']]?: D extends ReductionDef<string, infer S, string> ? S : never };

/** The command line's defaults: each reduction on or off as its flag defaults. */
export const DEFAULT_REDUCTIONS: ReductionOptions = Object.fromEntries(REDUCTIONS.map((d) => [d.name, d.default]));

/** One search's reductions, each with its name, created in order (null where asked but with nothing to do). */
export interface Active {
  readonly name: string;
  readonly reduction: Reduction;
}

export function createReductions(opts: ReductionOptions, ctx: Omit<ReductionContext, 'canon'>): Active[] {
  const active: Active[] = [];
  let canon: ReductionContext['canon'] = null;
  for (const d of REDUCTIONS) {
    if (!opts[d.name]) continue;
    const reduction: Reduction | null = d.create({ ...ctx, canon });
    if (reduction === null) continue;
    if (reduction.canon !== undefined) canon = reduction as Required<Pick<Reduction, 'canon'>>;
    active.push({ name: d.name, reduction });
  }
  return active;
}

/** The questions a reduction may answer (reduction.ts), with what each answer comes with. */
interface Hooks {
  canon: 'canon';
  select: 'select' | 'chosen';
  expand: 'expand' | 'enabled';
  arrive: 'arrive';
}

/** The one reduction of a search that answers `key`, or null; two that both answer it are a registration error. */
export function hook<K extends keyof Hooks>(active: readonly Active[], key: K): (Reduction & Required<Pick<Reduction, Hooks[K]>>) | null {
  let found: Active | null = null;
  for (const a of active) {
    if (a.reduction[key] === undefined) continue;
    if (found !== null) throw new Error(`internal: the reductions ${found.name} and ${a.name} both answer '${key}'`);
    found = a;
  }
  return found === null ? null : (found.reduction as Reduction & Required<Pick<Reduction, Hooks[K]>>);
}

/** The statistics of a search's reductions, by name. */
export function statisticsOf(active: readonly Active[]): ReductionStats {
  return Object.fromEntries(active.map((a) => [a.name, a.reduction.statistics()])) as ReductionStats;
}

export type { Statistics };
