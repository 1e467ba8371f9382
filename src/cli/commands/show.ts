// lazytlb show FILE [--variant FILE] [--html OUT [--force]]: a stored counterexample as text (one column per CPU) or as
// a self-contained HTML page with one lane per CPU.
import { actorNames } from '../../pipeline/check.ts';
import { UsageError } from '../../lang/errors.ts';
import { loadCounterexample, writeOutput } from '../../trace/cexfile.ts';
import { renderHtml } from '../../trace/render-html.ts';
import { renderText } from '../../trace/render-text.ts';
import { buildTrace } from '../../trace/trace.ts';
import type { Io } from '../io.ts';
import { malformedTrace, replayFile, warnTo } from './replay.ts';

export interface ShowArgs {
  file: string;
  html?: string;
  force?: boolean;
  /** The variant file the trace was found with (a trace never loads one itself). */
  variant?: string;
}

export async function runShow(a: ShowArgs, io: Io): Promise<number> {
  const c = loadCounterexample(a.file);
  const { prog, outcome, variant } = await replayFile(c, a.file, { variant: a.variant, role: 'own', warn: warnTo(io) });
  if (outcome.status === 'malformed') throw malformedTrace(a.file, c, outcome);
  if (outcome.status !== 'violates') throw new UsageError(`${a.file}: the trace does not violate ${c.property} on its own variant (${outcome.status === 'not-applicable' ? outcome.why : 'no violation'})`);
  const rows = buildTrace(prog, outcome.raw);
  const prop = prog.instance.properties.find((p) => p.name === outcome.property); // none for `stuck`
  const actors = actorNames(prog);
  if (!a.html) {
    io.out(renderText({ rows, property: outcome.property, statement: prop?.statement ?? '', reason: outcome.reason, actors, cycleAt: c.cycleAt }));
    return 0;
  }
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(' ');
  writeOutput(a.html, renderHtml({ title: `${c.model} --variant ${variant}`, subtitle: `${params}, memory ${c.memory}, ${rows.length} steps`, property: outcome.property, statement: prop?.statement ?? '', reason: outcome.reason, actors, rows, program: prog, raw: outcome.raw, cycleAt: c.cycleAt }), { force: Boolean(a.force), mkdir: false });
  io.out(`wrote ${a.html}`);
  return 0;
}
