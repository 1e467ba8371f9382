// lazytlb replay FILE [--variant NAME|FILE]: re-executes a stored counterexample on its model and
// variant (or another variant) and says whether the violation still happens, or where the trace
// stops applying and what the state is there.
import { allProperties } from '../../../properties/index.ts';
import { actorNames } from '../../pipeline/check.ts';
import { compile } from '../../lang/compile.ts';
import { instantiate } from '../../lang/instantiate.ts';
import { withBounded } from '../../lang/property.ts';
import { loadCounterexample, type Counterexample } from '../../trace/cexfile.ts';
import { renderText } from '../../trace/render-text.ts';
import { replay, type ReplayOutcome } from '../../trace/replay.ts';
import { buildTrace } from '../../trace/trace.ts';
import type { Io } from '../io.ts';
import { findModel, variantOfCex } from '../load.ts';
import type { Program } from '../../lang/compile.ts';
import { asModelError, UsageError } from '../../lang/errors.ts';
import type { FlagValue } from '../../lang/model.ts';
import type { VariantDef } from '../../lang/variant.ts';
import type { ShippedModel } from '../../../models/index.ts';

export interface ReplayArgs {
  file: string;
  variant?: string;
  json?: boolean;
}

export interface ReplayFileOptions {
  /** --variant: the variant to replay against (`role: 'target'`), or the trace's own variant file (`'own'`). */
  readonly variant?: string;
  readonly role?: 'own' | 'target';
  /** Skip the steps the target does not have (see replay). */
  readonly skipMissing?: boolean;
  /** --set flags on top of the target. */
  readonly set?: Readonly<Record<string, string>>;
  /** Where a warning line goes (a variant file changed since the trace was saved). */
  readonly warn?: (line: string) => void;
}

/**
 * Replays the counterexample stored in `traceFile`, on its own variant or against `o.variant`.
 * Against another variant the scenario stays the counterexample's (its scope flags, params and
 * memory model) and the kernel's behaviour is the target's. A variant file the trace names is never
 * imported: it must be given as `o.variant`.
 */
export async function replayFile(c: Counterexample, traceFile: string, o: ReplayFileOptions = {}) {
  const sm = findModel(c.model);
  const { variant, own } = await variantOfCex(sm, c, traceFile, o.variant, o.role ?? 'target', o.warn ?? (() => {}));
  const scope = Object.fromEntries(Object.entries(c.flags).filter(([k]) => sm.model.flags[k]?.scope));
  const inst = instantiate(sm.model, propertiesFor(c), { variant, params: c.params, memory: c.memory, flags: own ? c.variant.set : { ...o.set, ...scope } });
  const prog = compile(inst);
  // Where the trace may come from: mainline in its flag settings, and its own variant when that is
  // a shipped one or the program itself. A variant file it names and nobody gave cannot be asked.
  const ownKnown = own || c.variant.file === null;
  const origins = ownKnown ? () => originPrograms(sm, c, own ? prog : null) : undefined;
  const progress = c.property === 'stuck' || c.cycleAt !== undefined ? { property: c.property, cycleAt: c.cycleAt } : undefined;
  return { prog, outcome: replay(prog, c.steps, { skipMissing: o.skipMissing, origins, progress }), variant: variant?.name ?? 'mainline' };
}

/** The properties a trace is replayed against: the shipped ones, and the bounded monitor it may have violated (`P/within-K`). */
function propertiesFor(c: Counterexample) {
  return withBounded(allProperties, undefined, [c.property]);
}

/** Mainline with the trace's flags, and its shipped variant: the programs its steps came from. */
function originPrograms(sm: ShippedModel, c: Counterexample, own: Program | null): Program[] {
  const out: Program[] = own ? [own] : [];
  const tries: [VariantDef | null, Readonly<Record<string, FlagValue>>][] = [[null, c.flags]];
  const shippedOwn = c.variant.name !== null ? sm.variants.find((v) => v.name === c.variant.name) : undefined;
  if (shippedOwn) tries.push([shippedOwn, c.variant.set]);
  for (const [variant, flags] of tries) {
    try {
      out.push(compile(instantiate(sm.model, propertiesFor(c), { variant, params: c.params, memory: c.memory, flags })));
    } catch (e) {
      if (!(e instanceof UsageError) && asModelError(e) === null) throw e;
    }
  }
  return out;
}

export async function runReplay(a: ReplayArgs, io: Io): Promise<number> {
  const c = loadCounterexample(a.file);
  const { prog, outcome, variant } = await replayFile(c, a.file, { variant: a.variant, warn: warnTo(io) });
  if (outcome.status === 'malformed') throw malformedTrace(a.file, c, outcome);
  if (a.json) {
    io.out(JSON.stringify({ file: a.file, model: c.model, variant, stored: c.property, ...outcome, ...('raw' in outcome ? { raw: undefined } : {}) }));
  } else io.out(describe(c, variant, outcome, prog));
  return outcome.status === 'violates' ? 1 : 0;
}

/** A warning line on stderr. */
export function warnTo(io: Io): (line: string) => void {
  return (line) => io.err(`lazytlb: warning: ${line}\n`);
}

/** The one-line error for a trace with a step the model never had. */
export function malformedTrace(file: string, c: Counterexample, o: { at: number; why: string }): UsageError {
  const s = c.steps[o.at];
  return new UsageError(`${file}: malformed trace: step ${o.at + 1} (${s.actor} ${s.procedure}:${s.label}, choice ${s.choice}): ${o.why}`);
}

function describe(c: Counterexample, variant: string, o: Exclude<ReplayOutcome, { status: 'malformed' }>, prog: ReturnType<typeof compile>): string {
  const head = `${c.model} --variant ${variant}: replaying ${c.steps.length} steps (stored violation: ${c.property})`;
  if (o.status === 'no-violation') return `${head}\nno longer reproduces: all ${o.steps} steps apply and no property is violated${o.why ? ` (${o.why})` : ''}`;
  if (o.status === 'not-applicable') {
    const s = c.steps[o.at];
    return [head, `not applicable at step ${o.at + 1} (${s.actor} ${s.procedure}:${s.label}): ${o.why}`, 'state there:', ...o.state.map((x) => `  ${x}`)].join('\n');
  }
  const actors = actorNames(prog);
  const prop = prog.instance.properties.find((p) => p.name === o.property);
  return [
    head,
    `${o.property === c.property ? 'still violates' : 'violates another property:'} ${o.property} after step ${o.at + 1}`,
    '',
    renderText({ rows: buildTrace(prog, o.raw), property: o.property, statement: prop?.statement ?? '', reason: o.reason, actors, cycleAt: o.property === c.property ? c.cycleAt : undefined }),
  ].join('\n');
}
