// check: the pipeline from a model and a variant to a verdict — instantiate, compile, explore, and
// for a violation the replayed trace. The CLI, the tests and the bench all call this one function.
import { compile, type Program } from '../lang/compile.ts';
import { instantiate, type InstanceOptions } from '../lang/instantiate.ts';
import type { ModelDef, FlagValue } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';
import { buildTrace, type TraceRow } from '../trace/trace.ts';
import { exploreBfs, type ExploreOptions, type RawStep } from './bfs.ts';

export interface CheckResult {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  readonly model: string;
  readonly variant: string | null;
  readonly params: Readonly<Record<string, number>>;
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly memory: string;
  readonly properties: readonly string[];
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly memoryBytes: number;
  /** Whether symmetry reduction was on (the model declares symmetries and it was asked for). */
  readonly symmetry: boolean;
  readonly por: boolean;
  /** States where partial-order reduction expanded an ample set only. */
  readonly ampleStates: number;
  /** For incomplete: the limit that was hit. */
  readonly limit?: string;
  /** For a violation: the property name (`deadlock` for a deadlock); for an error: `model-error`. */
  readonly property?: string;
  readonly statement?: string;
  readonly reason?: string;
  readonly trace?: readonly TraceRow[];
  readonly rawTrace?: readonly RawStep[];
  /** Actor instances in column order (CPUs first). */
  readonly actors: readonly string[];
  readonly program: Program;
}

export function check(model: ModelDef, allProperties: readonly PropertyDef[], opts: InstanceOptions & ExploreOptions = {}): CheckResult {
  const inst = instantiate(model, allProperties, opts);
  const prog = compile(inst);
  const r = exploreBfs(prog, opts);
  const actors = Object.entries(inst.actors)
    .sort(([a], [b]) => (a === 'cpu' ? -1 : b === 'cpu' ? 1 : 0))
    .flatMap(([k, n]) => Array.from({ length: n }, (_, i) => `${k}${i}`));
  const base = {
    verdict: r.verdict,
    model: model.name,
    variant: inst.variant?.name ?? null,
    params: inst.params,
    flags: inst.flags,
    memory: inst.memory,
    properties: inst.properties.map((p) => p.name),
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    seconds: r.seconds,
    memoryBytes: r.bytes,
    symmetry: r.symmetry,
    por: r.por,
    ampleStates: r.ampleStates,
    actors,
    program: prog,
  };
  if (r.verdict === 'incomplete') return { ...base, limit: r.limit };
  if (!r.found) return base;
  const f = r.found;
  const prop = f.prop >= 0 ? inst.properties[f.prop] : null;
  return {
    ...base,
    property: prop ? prop.name : f.kind === 'deadlock' ? 'deadlock' : 'model-error',
    statement: prop ? prop.statement : f.kind === 'deadlock' ? 'Some step is always enabled, except in an allowed end state.' : '',
    reason: f.reason,
    trace: buildTrace(prog, r.trace ?? []),
    rawTrace: r.trace,
  };
}
