// check: the pipeline from a model and a variant to a verdict — instantiate, compile, explore (or
// simulate), the stuck-actor check, and for a violation the trace rebuilt from the raw steps, shortened
// or shrunk and rendered as rows. It sits above the engine (src/engine) and the trace layer
// (src/trace), which know nothing of it. The CLI, the tests and the bench all call this one function.
import { compile, type Program } from '../lang/compile.ts';
import { instantiate } from '../lang/instantiate.ts';
import type { AnyModel } from '../lang/model.ts';
import { withBounded, type PropertyDef } from '../lang/property.ts';
import { actorNames as namesOf } from '../lang/names.ts';
import { explore, type ProgramRecipe } from '../engine/parallel/index.ts';
import { boundedSearch } from '../engine/bounded.ts';
import { simulate, type SimulateResult } from '../engine/simulate.ts';
import { checkStuck } from '../engine/stuck.ts';
import { missProbability } from '../engine/fingerprint-store.ts';
import { replayRaw } from '../trace/replay.ts';
import { shrink } from '../trace/shrink.ts';
import { buildTrace } from '../trace/trace.ts';
import { confirmOnExact } from './abstraction.ts';
import { findModel, loadVariantFile } from './load.ts';
import type { CheckOptions, CheckResult } from './result.ts';
import { allProperties as shippedProperties } from '../../properties/index.ts';
import type { FlagValue } from '../lang/model.ts';
import type { Instance } from '../lang/instantiate.ts';

export type { CheckOptions, CheckResult } from './result.ts';

export function check(model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions = {}): CheckResult {
  // The bounded monitors (`--within K`, or named as `P/within-K`) are properties like the others.
  const properties = withBounded(allProperties, opts.within, opts.properties);
  return confirmOnExact(model, properties, opts, search(model, properties, opts), search);
}

function search(model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions): CheckResult {
  const t0 = performance.now();
  const inst = instantiate(model, allProperties, opts);
  const prog = compile(inst);
  const searched = opts.simulate ? fromSimulation(prog, simulate(prog, { ...opts.simulate, maxSeconds: opts.maxSeconds, shouldStop: opts.shouldStop }), t0) : explore(prog, { ...opts, recipe: (opts.workers ?? 1) > 1 ? recipeOf(inst, allProperties, opts) : null });
  const stuck = !('runs' in searched) && searched.verdict === 'ok' && opts.liveness !== false ? checkStuck(prog, searched, opts) : null;
  const r = stuck !== null && stuck.verdict !== 'ok' ? { ...searched, verdict: stuck.verdict, limit: stuck.limit, found: stuck.found, trace: stuck.trace, cycleAt: stuck.cycleAt } : searched;
  opts.onExplored?.();
  const base = {
    verdict: r.verdict,
    model: model.name,
    variant: inst.variant?.name ?? null,
    scope: inst.scope,
    params: inst.params,
    flags: inst.flags,
    memory: inst.memory,
    properties: inst.properties.map((p) => p.name),
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    seconds: r.seconds,
    memoryBytes: r.bytes,
    store: 'store' in r ? r.store.kind : null,
    packedBytes: prog.words * 4,
    bytesPerState: r.states > 0 ? r.bytes / r.states : 0,
    ...('store' in r && r.store.kind === 'fingerprint' ? { missProbability: missProbability(r.states, r.transitions + 1) } : {}),
    reductions: r.reductions,
    liveness: stuck && { verdict: stuck.verdict, states: stuck.states, transitions: stuck.transitions, seconds: stuck.seconds, bytes: stuck.bytes, graph: stuck.graph },
    actors: actorNames(prog),
    program: prog,
    workers: 'workers' in r && r.workers !== undefined ? r.workers : 1,
    ...('workersNote' in r && r.workersNote ? { workersNote: r.workersNote } : {}),
    ...('runs' in r ? { simulation: { runs: r.runs, seed: opts.simulate!.seed, path: r.path } } : {}),
  };
  if (r.verdict === 'incomplete') return { ...base, limit: r.limit };
  if (!r.found) return base;
  const f = r.found;
  const prop = f.prop >= 0 ? inst.properties[f.prop] : null;
  const found = {
    ...base,
    property: prop ? prop.name : f.kind === 'error' ? 'model-error' : f.kind,
    statement: prop ? prop.statement : f.kind === 'deadlock' ? 'Some step is always enabled, except in an allowed end state.' : f.kind === 'stuck' ? STUCK_STATEMENT : '',
    reason: f.reason,
    ...('stack' in f && f.stack ? { stack: f.stack } : {}),
    trace: buildTrace(prog, r.trace ?? []),
    rawTrace: r.trace,
    ...('cycleAt' in r && r.cycleAt !== undefined ? { cycleAt: r.cycleAt } : {}),
  };
  if (f.kind === 'liveness') return found; // a lasso: its cycle is the finding, not shortened or shrunk
  if (!opts.shrink && prop && r.trace && !r.shortest) {
    // A reduction (partial-order reduction) may find a longer path than the shortest: search the
    // unreduced graph up to that length for a shortest trace of the same property (bounded; kept as
    // found otherwise).
    const shortest = boundedSearch(prog, prop.name, r.trace.length - 1, Infinity, 2_000_000).trace;
    if (shortest) {
      const end = replayRaw(prog, shortest);
      return { ...found, reason: end.status === 'violates' ? end.reason : found.reason, trace: buildTrace(prog, shortest), rawTrace: shortest };
    }
  }
  if (!opts.shrink || !prop || !r.trace) return found;
  const sh = shrink({ model, properties: allProperties, options: opts, property: prop.name, trace: r.trace });
  const end = replayRaw(sh.program, sh.trace);
  return {
    ...found,
    params: sh.program.instance.params,
    program: sh.program,
    actors: actorNames(sh.program),
    reason: end.status === 'violates' ? end.reason : found.reason,
    trace: buildTrace(sh.program, sh.trace).map((row, i) => ({ ...row, matters: sh.matters[i] })),
    rawTrace: sh.trace,
    shrunk: { from: sh.from, to: sh.to, incomplete: sh.incomplete },
  };
}

/** What a search worker rebuilds the program from (plain data): a shipped model, its variant, the resolved settings. */
export interface ShippedProgram {
  readonly model: string;
  readonly variant: { readonly name: string } | { readonly file: string } | null;
  readonly params: Readonly<Record<string, number>>;
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly memory: string;
  readonly properties: readonly string[];
  /** `--within K`: the shipped liveness properties' bounded monitors. */
  readonly within?: number;
}

/** The recipe of `inst`'s program for a search worker, or null when a worker could not rebuild it (a model, variant or property list that is not shipped). */
function recipeOf(inst: Instance, allProperties: readonly PropertyDef[], opts: CheckOptions): ProgramRecipe | null {
  const sm = shipped(inst.model.name);
  if (sm === null || sm.model !== inst.model || !shippedWithBounded(allProperties, opts)) return null;
  const v = inst.variant;
  const variant = v === null ? null : sm.variants.includes(v) ? { name: v.name } : opts.variantFile ? { file: opts.variantFile } : undefined;
  if (variant === undefined) return null;
  const args: ShippedProgram = { model: inst.model.name, variant, params: inst.params, flags: inst.flags, memory: inst.memory, properties: inst.properties.map((p) => p.name), within: opts.within };
  return { module: import.meta.url, export: 'programFor', args };
}

/** The properties are the shipped ones with the bounded monitors `opts` asks for (what programFor rebuilds). */
function shippedWithBounded(all: readonly PropertyDef[], opts: CheckOptions): boolean {
  if (all === shippedProperties) return true;
  const rebuilt = withBounded(shippedProperties, opts.within, opts.properties);
  return all.length === rebuilt.length && all.every((p, i) => p === rebuilt[i] || (p.name === rebuilt[i].name && !shippedProperties.includes(p)));
}

function shipped(name: string): ReturnType<typeof findModel> | null {
  try {
    return findModel(name);
  } catch {
    return null;
  }
}

/** The program of a ShippedProgram (a search worker's recipe). */
export async function programFor(a: ShippedProgram): Promise<Program> {
  const sm = findModel(a.model);
  const variant = a.variant === null ? null : 'file' in a.variant ? await loadVariantFile(a.variant.file, a.model) : sm.variants.find((x) => x.name === (a.variant as { name: string }).name)!;
  return compile(instantiate(sm.model, withBounded(shippedProperties, a.within, a.properties), { variant, params: a.params, flags: a.flags, memory: a.memory, properties: a.properties }));
}

const STUCK_STATEMENT = 'An actor inside a procedure can always still get back to rest: from every reachable state some execution completes the procedures it is in.';

/** Actor instances in column order (CPUs first). */
export function actorNames(prog: Program): readonly string[] {
  return namesOf(prog).columns;
}

/** A simulation's outcome in the shape of an exploration's (states counts the steps walked). */
function fromSimulation(prog: Program, s: SimulateResult, t0: number) {
  const idx = prog.instance.properties.findIndex((p) => p.name === s.property);
  return {
    verdict: s.verdict,
    states: s.steps,
    transitions: s.steps,
    depth: s.trace?.length ?? 0,
    seconds: (performance.now() - t0) / 1000,
    bytes: 0,
    reductions: {},
    shortest: true,
    runs: s.runs,
    path: s.path,
    limit: s.verdict === 'incomplete' ? (s.limit ?? `simulation of ${s.runs} random walks (not exhaustive)`) : undefined,
    found: s.verdict === 'violation' ? { kind: 'invariant' as const, prop: idx, reason: s.reason! } : s.verdict === 'error' ? { kind: 'error' as const, prop: -1 as const, reason: s.reason! } : undefined,
    trace: s.trace,
  };
}
