// lazytlb shrink FILE [--save [--force]]: shrinks a stored counterexample (shortest, fewest CPU
// switches, smallest params) and prints it; --save stores the shrunk trace in its place.
import { relative } from 'node:path';
import { allProperties } from '../../../properties/index.ts';
import { actorNames } from '../../engine/check.ts';
import { UsageError } from '../../lang/errors.ts';
import { cexPath, loadCounterexample, saveCounterexample, toCounterexample } from '../../trace/cexfile.ts';
import { renderText } from '../../trace/render-text.ts';
import { replayRaw } from '../../trace/replay.ts';
import { shrink } from '../../trace/shrink.ts';
import { buildTrace } from '../../trace/trace.ts';
import type { Io } from '../io.ts';
import { findModel, variantOfCex } from '../load.ts';
import { replayFile } from './replay.ts';

export interface ShrinkArgs {
  file: string;
  save?: boolean;
  force?: boolean;
  json?: boolean;
  'max-states'?: number;
}

export async function runShrink(a: ShrinkArgs, io: Io): Promise<number> {
  const c = loadCounterexample(a.file);
  const sm = findModel(c.model);
  const variant = await variantOfCex(sm, c.variant);
  const { outcome } = await replayFile(c, undefined);
  if (outcome.status !== 'violates') throw new UsageError(`${a.file}: the trace does not violate ${c.property} on its own variant (${outcome.status}); nothing to shrink`);
  const options = { variant, params: c.params, memory: c.memory, flags: c.variant.set };
  const sh = shrink({ model: sm.model, properties: allProperties, options, property: outcome.property, trace: outcome.raw }, a['max-states']);
  const end = replayRaw(sh.program, sh.trace);
  const reason = end.status === 'violates' ? end.reason : c.reason;
  const rows = buildTrace(sh.program, sh.trace).map((r, i) => ({ ...r, matters: sh.matters[i] }));
  let saved = '';
  if (a.save) {
    const shrunk = toCounterexample({ model: c.model, variant: c.variant, flags: sh.program.instance.flags, params: sh.params, memory: c.memory, property: outcome.property, reason, trace: rows });
    saved = relative(process.cwd(), saveCounterexample(cexPath(process.cwd(), shrunk), shrunk, Boolean(a.force)));
  }
  if (a.json) {
    io.out(JSON.stringify({ file: a.file, property: outcome.property, from: sh.from, to: { ...sh.to, params: sh.params }, incomplete: sh.incomplete, trace: rows, ...(saved ? { saved } : {}) }));
    return 0;
  }
  const p = (x: Readonly<Record<string, number>>) => Object.entries(x).map(([k, v]) => `${k}=${v}`).join(' ');
  const prop = sh.program.instance.properties.find((x) => x.name === outcome.property)!;
  io.out(
    [
      `${a.file}: ${outcome.property}`,
      `shrunk from ${sh.from.length} steps (${sh.from.switches} CPU switch${sh.from.switches === 1 ? '' : 'es'}, ${p(sh.from.params)}) to ${sh.to.length} steps (${sh.to.switches} CPU switch${sh.to.switches === 1 ? '' : 'es'}, ${p(sh.params)}); * marks the steps the violation depends on${sh.incomplete.length ? `; not minimized: ${sh.incomplete.join(', ')}` : ''}`,
      '',
      renderText({ rows, property: prop.name, statement: prop.statement, reason, actors: actorNames(sh.program) }),
      ...(saved ? [`saved: ${saved}`] : []),
    ].join('\n'),
  );
  return 0;
}
