// lazytlb replay FILE [--variant NAME|FILE]: re-executes a stored counterexample on its model and
// variant (or another variant) and says whether the violation still happens, or where the trace
// stops applying and what the state is there.
import { allProperties } from '../../../properties/index.ts';
import { actorNames } from '../../engine/check.ts';
import { compile } from '../../lang/compile.ts';
import { instantiate } from '../../lang/instantiate.ts';
import { loadCounterexample, type Counterexample } from '../../trace/cexfile.ts';
import { renderText } from '../../trace/render-text.ts';
import { replay, type ReplayOutcome } from '../../trace/replay.ts';
import { buildTrace } from '../../trace/trace.ts';
import type { Io } from '../io.ts';
import { findModel, findVariant, variantOfCex } from '../load.ts';

export interface ReplayArgs {
  file: string;
  variant?: string;
  json?: boolean;
}

/**
 * Replays a counterexample; with `variantSpec` against that variant instead of the file's own. Against
 * another variant the scenario stays the counterexample's (its scope flags, params and memory model)
 * and the kernel's behaviour is the target's; with `skipMissing`, steps the target does not have are
 * skipped (a patch that removed a step) and counted.
 */
export async function replayFile(c: Counterexample, variantSpec: string | undefined, skipMissing = false, set: Readonly<Record<string, string>> = {}) {
  const sm = findModel(c.model);
  const own = variantSpec === undefined;
  const variant = own ? await variantOfCex(sm, c.variant) : await findVariant(sm, variantSpec);
  const scope = Object.fromEntries(Object.entries(c.flags).filter(([k]) => sm.model.flags[k]?.scope));
  const inst = instantiate(sm.model, allProperties, { variant, params: c.params, memory: c.memory, flags: own ? c.variant.set : { ...set, ...scope } });
  const prog = compile(inst);
  return { prog, outcome: replay(prog, c.steps, { skipMissing }), variant: variant?.name ?? 'mainline' };
}

export async function runReplay(a: ReplayArgs, io: Io): Promise<number> {
  const c = loadCounterexample(a.file);
  const { prog, outcome, variant } = await replayFile(c, a.variant);
  if (a.json) {
    io.out(JSON.stringify({ file: a.file, model: c.model, variant, stored: c.property, ...outcome, ...('raw' in outcome ? { raw: undefined } : {}) }));
  } else io.out(describe(c, variant, outcome, prog));
  return outcome.status === 'violates' ? 1 : 0;
}

function describe(c: Counterexample, variant: string, o: ReplayOutcome, prog: ReturnType<typeof compile>): string {
  const head = `${c.model} --variant ${variant}: replaying ${c.steps.length} steps (stored violation: ${c.property})`;
  if (o.status === 'no-violation') return `${head}\nno longer reproduces: all ${o.steps} steps apply and no property is violated`;
  if (o.status === 'not-applicable') {
    const s = c.steps[o.at];
    return [head, `not applicable at step ${o.at + 1} (${s.actor} ${s.procedure}:${s.label}): ${o.why}`, 'state there:', ...o.state.map((x) => `  ${x}`)].join('\n');
  }
  const actors = actorNames(prog);
  const prop = prog.instance.properties.find((p) => p.name === o.property)!;
  return [
    head,
    `${o.property === c.property ? 'still violates' : 'violates another property:'} ${o.property} after step ${o.at + 1}`,
    '',
    renderText({ rows: buildTrace(prog, o.raw), property: o.property, statement: prop.statement, reason: o.reason, actors }),
  ].join('\n');
}
