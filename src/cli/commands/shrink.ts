// lazytlb shrink FILE [--variant FILE] [--save [--force]]: shrinks a stored counterexample (shortest,
// fewest CPU switches, smallest params) and prints it; --save then stores the shrunk trace in its
// place (the result is printed first, so a refusal to overwrite never hides it).
import { relative, resolve } from 'node:path';
import { allProperties } from '../../../properties/index.ts';
import { actorNames } from '../../pipeline/check.ts';
import { UsageError } from '../../lang/errors.ts';
import { cexPath, loadCounterexample, saveCounterexample, toCounterexample, type CexVariant, type Counterexample } from '../../trace/cexfile.ts';
import { renderText } from '../../trace/render-text.ts';
import { replayRaw } from '../../trace/replay.ts';
import { shrink } from '../../trace/shrink.ts';
import { buildTrace } from '../../trace/trace.ts';
import type { Io } from '../io.ts';
import { EXIT } from '../exit.ts';
import { saveJson, saveText, trySave } from '../save.ts';
import { fileHash, findModel, isVariantFile } from '../load.ts';
import { malformedTrace, replayFile, warnTo } from './replay.ts';

export interface ShrinkArgs {
  file: string;
  save?: boolean;
  force?: boolean;
  json?: boolean;
  'max-states'?: number;
  /** The variant file the trace was found with (a trace never loads one itself). */
  variant?: string;
}

export async function runShrink(a: ShrinkArgs, io: Io): Promise<number> {
  const c = loadCounterexample(a.file);
  const sm = findModel(c.model);
  const { prog, outcome } = await replayFile(c, a.file, { variant: a.variant, role: 'own', warn: warnTo(io) });
  if (outcome.status === 'malformed') throw malformedTrace(a.file, c, outcome);
  if (outcome.status !== 'violates') throw new UsageError(`${a.file}: the trace does not violate ${c.property} on its own variant (${outcome.status}); nothing to shrink`);
  const options = { variant: prog.instance.variant, params: c.params, memory: c.memory, flags: c.variant.set };
  const sh = shrink({ model: sm.model, properties: allProperties, options, property: outcome.property, trace: outcome.raw }, a['max-states']);
  const end = replayRaw(sh.program, sh.trace);
  const reason = end.status === 'violates' ? end.reason : c.reason;
  const rows = buildTrace(sh.program, sh.trace).map((r, i) => ({ ...r, matters: sh.matters[i] }));
  const shrunk = toCounterexample({ model: c.model, variant: ownVariantRef(c, a), flags: sh.program.instance.flags, params: sh.params, memory: c.memory, property: outcome.property, reason, trace: rows });
  // The result first, with the save's outcome; a refusal (an existing different file) is the exit code.
  const saved = trySave(a.save ? () => relative(process.cwd(), saveCounterexample(cexPath(process.cwd(), shrunk), shrunk, Boolean(a.force))) : null);
  const code = saved !== null && 'refused' in saved ? EXIT.usage : EXIT.ok;
  if (saved !== null && 'refused' in saved) io.err(`lazytlb: ${saved.refused}\n`);
  if (a.json) {
    io.out(JSON.stringify({ file: a.file, property: outcome.property, from: sh.from, to: { ...sh.to, params: sh.params }, incomplete: sh.incomplete, trace: rows, ...saveJson(saved) }));
    return code;
  }
  const p = (x: Readonly<Record<string, number>>) => Object.entries(x).map(([k, v]) => `${k}=${v}`).join(' ');
  const prop = sh.program.instance.properties.find((x) => x.name === outcome.property)!;
  io.out(
    [
      `${a.file}: ${outcome.property}`,
      `shrunk from ${sh.from.length} steps (${sh.from.switches} CPU switch${sh.from.switches === 1 ? '' : 'es'}, ${p(sh.from.params)}) to ${sh.to.length} steps (${sh.to.switches} CPU switch${sh.to.switches === 1 ? '' : 'es'}, ${p(sh.params)}); * marks the steps the violation depends on${sh.incomplete.length ? `; not minimized: ${sh.incomplete.join(', ')}` : ''}`,
      '',
      renderText({ rows, property: prop.name, statement: prop.statement, reason, actors: actorNames(sh.program) }),
    ].join('\n'),
  );
  if (saved !== null && 'saved' in saved) io.out(saveText(saved));
  return code;
}

/** The shrunk trace names the same variant; a variant file by the path the user gave now (and its current hash). */
function ownVariantRef(c: Counterexample, a: ShrinkArgs): CexVariant {
  if (c.variant.file === null || a.variant === undefined || !isVariantFile(a.variant)) return c.variant;
  const path = resolve(a.variant);
  const sha256 = fileHash(path);
  return { name: null, file: path, ...(sha256 ? { sha256 } : {}), set: c.variant.set };
}
