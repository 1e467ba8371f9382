// Violations found under an abstraction are confirmed on the exact model. A flag declared
// `abstraction: true` (FlagSpec) over-approximates the model when it is on: every execution of the
// exact model (the flag off) is one of the abstract model's, so `ok` under it is `ok` for the exact
// model, but a violation may lie in the executions it added. Such a violation is checked on the exact
// model (same variant, scope, params, memory model, property and limits; every abstraction flag off):
// - first its trace is replayed there, step by step (a step whose only extra is the abstraction's
//   choice is replayed with the exact model's one choice): when the trace took the exact model's
//   choices throughout, it shows the same violation there, and it is a shortest exact trace too
//   (no exact trace can be shorter than the abstract model's shortest);
// - else the exact model is searched for the property: a violation there is confirmed, with the
//   exact model's trace; ok or incomplete means the violation was found under the abstraction only.
import type { AnyModel, FlagValue } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';
import { compile, type Program } from '../lang/compile.ts';
import { instantiate } from '../lang/instantiate.ts';
import type { CexStep } from '../trace/cexfile.ts';
import { replay } from '../trace/replay.ts';
import { buildTrace } from '../trace/trace.ts';
import type { AbstractionReport, CheckOptions, CheckResult } from './result.ts';


type Search = (model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions) => CheckResult;

/** The abstraction flags (FlagSpec.abstraction) that are on in `flags`. */
export function abstractionFlags(model: AnyModel, flags: Readonly<Record<string, FlagValue>>): string[] {
  return Object.entries(model.flags as Record<string, { abstraction?: boolean }>)
    .filter(([name, spec]) => spec.abstraction === true && flags[name] === true)
    .map(([name]) => name);
}

/** A violation found with abstraction flags on, checked on the exact model; any other result as it is. */
export function confirmOnExact(model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions, r: CheckResult, search: Search): CheckResult {
  if (r.verdict !== 'violation' || r.property === undefined) return r;
  const on = abstractionFlags(model, r.flags);
  if (on.length === 0) return r;
  const flags = { ...(opts.flags ?? {}), ...Object.fromEntries(on.map((f) => [f, false])) };
  const abstract = { states: r.states, steps: r.trace?.length ?? 0 };
  const named = allProperties.some((p) => p.name === r.property);
  // a safety violation (a property's or a model error's trace) replays; a deadlock, a stuck actor or
  // a lasso is a statement about the states beyond the trace: searched for
  if (named && r.cycleAt === undefined && r.trace) {
    // the trace's scope: the check's, or the smaller one a shrink reached
    const exact = compile(instantiate(model, allProperties, { ...opts, flags, params: r.params }));
    const steps = exactSteps(r.program, exact, r.trace);
    const out = steps && replay(exact, steps);
    if (out && out.status === 'violates' && out.property === r.property) {
      return {
        ...r,
        flags: exact.instance.flags,
        program: exact,
        reason: out.reason,
        trace: buildTrace(exact, out.raw),
        rawTrace: out.raw,
        abstraction: { flags: on, confirmed: true, by: 'replay', abstract, exact: { verdict: 'violation', states: out.raw.length + 1 } },
      };
    }
  }
  const x = search(model, allProperties, {
    ...opts,
    flags,
    ...(named ? { properties: [r.property] } : {}),
    deadlock: r.property === 'deadlock' ? opts.deadlock : false,
    liveness: r.property === 'stuck' || r.cycleAt !== undefined ? opts.liveness : false,
  });
  const confirmed = x.verdict === 'violation' && x.property === r.property;
  const exactAnswer = { verdict: x.verdict, states: x.states, ...(x.limit ? { limit: x.limit } : {}), ...(x.verdict === 'violation' && !confirmed ? { property: x.property } : {}) };
  const report: AbstractionReport = { flags: on, confirmed, by: 'search', abstract, exact: exactAnswer };
  return confirmed ? { ...x, properties: r.properties, abstraction: report } : { ...r, abstraction: report };
}

/**
 * The abstract trace as steps of the exact program: the same actors and steps, each with its choice,
 * except that a step with one choice in the exact program takes that one (the abstraction added the
 * others); null when a step's choices differ otherwise (the trace cannot be carried over).
 */
function exactSteps(from: Program, to: Program, rows: NonNullable<CheckResult['trace']>): CexStep[] | null {
  const out: CexStep[] = [];
  for (const row of rows) {
    const a = from.steps.find((s) => s.proc === row.procedure && s.label === row.label);
    const b = to.steps.find((s) => s.proc === row.procedure && s.label === row.label);
    if (!a || !b) return null;
    if (a.choices !== b.choices && b.choices !== 1) return null;
    out.push({ actor: row.actor, procedure: row.procedure, label: row.label, choice: a.choices === b.choices ? row.choice : 0 });
  }
  return out;
}
