// lazytlb steps <model> [--variant V] [--procedure P] [--set f=v] [--param p=v] [--json]: every
// procedure's steps as the model (or variant) has them, each with its `procedure:label`, the kernel
// text, whether it fences, and the labels it jumps to — what a patch author names in an edit. With
// --accesses, also the fields each step was seen to read and write over the first states of the
// unreduced search (src/engine/accesses.ts).
import { allProperties } from '../../../properties/index.ts';
import { unknownName } from '../../lang/errors.ts';
import { instantiate } from '../../lang/instantiate.ts';
import { compile } from '../../lang/compile.ts';
import { observeAccesses } from '../../engine/accesses.ts';
import { num } from '../io.ts';
import type { ProcedureDef } from '../../lang/model.ts';
import type { Io } from '../io.ts';
import { findModel, findVariant, parsePairs } from '../load.ts';

export interface StepsArgs {
  model: string;
  variant?: string;
  procedure?: string[];
  set?: string[];
  param?: string[];
  json?: boolean;
  /** States whose transitions are re-executed to observe each step's reads and writes. */
  accesses?: number;
}

export async function runSteps(a: StepsArgs, io: Io): Promise<number> {
  const sm = findModel(a.model);
  const variant = await findVariant(sm, a.variant);
  const inst = instantiate(sm.model, allProperties, { variant, params: parsePairs('param', a.param), flags: parsePairs('set', a.set) });
  let procs: readonly ProcedureDef[] = inst.procedures;
  if (a.procedure && a.procedure.length > 0) {
    procs = a.procedure.map((n) => inst.procedures.find((p) => p.name === n) ?? throwUnknown(n, inst.procedures));
  }
  const seen = a.accesses !== undefined ? observeAccesses(compile(inst), a.accesses) : null;
  const data = procs.map((p) => ({
    name: p.name,
    actor: p.actor,
    kind: p.kind,
    ...(p.entry ? { entry: true } : {}),
    ...(p.idleOnly ? { idleOnly: true } : {}),
    ...(p.locked ? { locked: p.locked } : {}),
    steps: p.steps.map((s) => ({
      ref: `${p.name}:${s.label}`,
      label: s.label,
      text: s.text,
      fence: s.fence ?? false,
      jumps: s.jumps ?? [],
      guard: s.when !== undefined,
      ...(s.choose ? { choice: { name: s.choose.name, count: s.choose.count } } : {}),
      ...(seen ? { accesses: seen.steps.get(`${p.name}:${s.label}`) ?? null } : {}),
    })),
  }));
  if (a.json) {
    io.out(JSON.stringify({ model: sm.model.name, variant: variant?.name ?? null, params: inst.params, flags: inst.flags, ...(seen ? { accessesObserved: { states: seen.states, complete: seen.complete } } : {}), procedures: data }));
    return 0;
  }
  const out: string[] = [`${sm.model.name}${variant ? ` --variant ${variant.name}` : ''}: ${data.length} procedure${data.length === 1 ? '' : 's'} (refer to a step as procedure:label)`];
  if (seen) out.push(`reads and writes as observed over ${seen.complete ? `every reachable state (${num(seen.states)})` : `the first ${num(seen.states)} states of the unreduced search (a branch they do not take is not shown)`}; cpu[self] is the executing CPU's own record`);
  for (const p of data) {
    const how = [p.kind, `on ${p.actor}`, ...('entry' in p ? ['entry'] : []), ...('idleOnly' in p ? ['when idle'] : [])].join(', ');
    out.push('', `${p.name} (${how})${p.locked ? ` — not editable: ${p.locked}` : ''}`);
    const w = Math.max(...p.steps.map((s) => s.label.length));
    for (const s of p.steps) {
      const marks = [s.fence ? 'fence' : '', s.choice ? `choice ${s.choice.name}/${s.choice.count}` : ''].filter(Boolean).join(', ');
      out.push(`  ${s.label.padEnd(w)}  ${s.text}${marks ? `  [${marks}]` : ''}${s.jumps.length ? `  -> ${s.jumps.join(', ')}` : ''}`);
      if ('accesses' in s) {
        const acc = s.accesses;
        const pad = ' '.repeat(w + 4);
        if (acc === null || acc === undefined) out.push(`${pad}(not a candidate in the states observed)`);
        else out.push(`${pad}reads ${acc.reads.join(', ') || '-'}`, `${pad}writes ${acc.writes.join(', ') || '-'}`);
      }
    }
  }
  io.out(out.join('\n'));
  return 0;
}

function throwUnknown(name: string, procs: readonly ProcedureDef[]): never {
  throw unknownName('procedure', name, procs.map((p) => p.name));
}
