// lazytlb regress [--variant NAME|FILE]: the regression corpus against a variant (default mainline).
// Every stored counterexample is replayed on that variant in its own scenario (scope flags, params,
// memory model). If the trace still violates, it still violates; otherwise the stored property is
// checked on the variant in that scenario: it holds (no longer reproduces), another interleaving
// breaks it (still violates), or the check cannot decide (not applicable, and why). Then the
// variant's full check lists the properties it violates, and whether mainline does too. A file under
// counterexamples/ that is not a readable counterexample, or a trace with a step the model never had,
// is listed as malformed. Exit 2 if any file is malformed, else 1 if the variant violates any
// property (declared open findings of mainline included), else 0. ITF files (*.itf.json) are
// exports for other tools, not part of the corpus.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { shipped, type ShippedModel } from '../../../models/index.ts';
import { allProperties } from '../../../properties/index.ts';
import { check } from '../../pipeline/check.ts';
import { checkedByDefault } from '../../lang/property.ts';
import type { VariantDef } from '../../lang/variant.ts';
import { UsageError, unknownName } from '../../lang/errors.ts';
import { loadCounterexample, type Counterexample } from '../../trace/cexfile.ts';
import type { Io } from '../io.ts';
import { findModel, findVariant, isVariantFile, loadVariantFile, parsePairs } from '../load.ts';
import { malformedTrace, replayFile, warnTo } from './replay.ts';

export interface RegressArgs {
  variant?: string;
  model?: string;
  set?: string[];
  json?: boolean;
}

interface Row {
  file: string;
  model: string;
  stored: string;
  outcome: 'still violates' | 'no longer reproduces' | 'not applicable' | 'malformed';
  detail: string;
}

function corpus(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? corpus(join(dir, e.name)) : e.name.endsWith('.json') && !e.name.endsWith('.itf.json') ? [join(dir, e.name)] : []));
}

export async function runRegress(a: RegressArgs, io: Io): Promise<number> {
  const spec = a.variant ?? 'mainline';
  const set = parsePairs('set', a.set);
  // The variant per model: a file names one model; a name applies to every model that has it.
  const targets = new Map<string, { sm: ShippedModel; variant: VariantDef | null } | string>();
  if (isVariantFile(spec)) {
    const probe = await loadVariantFile(spec, '*');
    targets.set(probe.model, { sm: findModel(probe.model), variant: probe });
  } else {
    const models = a.model ? [findModel(a.model)] : shipped;
    const names = [...new Set(models.flatMap((sm) => sm.variants.map((v) => v.name)))];
    if (spec !== 'mainline' && !names.includes(spec)) throw unknownName(a.model ? `variant of ${a.model}` : 'variant', spec, ['mainline', ...names]);
    for (const sm of models) {
      if (spec === 'mainline' || sm.variants.some((v) => v.name === spec)) targets.set(sm.model.name, { sm, variant: await findVariant(sm, spec) });
      else targets.set(sm.model.name, `model ${sm.model.name} has no variant ${spec}`);
    }
  }
  const rows: Row[] = [];
  for (const file of corpus(join(process.cwd(), 'counterexamples')).sort()) {
    const rel = relative(process.cwd(), file);
    let c: Counterexample | null = null;
    // A file that is not a counterexample of a shipped model, in its scope: a row, not an abort.
    const malformed = (e: unknown) => {
      if (!(e instanceof UsageError)) throw e;
      rows.push({ file: rel, model: c?.model ?? '?', stored: c?.property ?? '?', outcome: 'malformed', detail: e.message.startsWith(`${rel}: `) ? e.message.slice(rel.length + 2) : e.message });
    };
    try {
      c = loadCounterexample(rel);
    } catch (e) {
      malformed(e);
      continue;
    }
    if (!shipped.some((sm) => sm.model.name === c!.model)) {
      malformed(unknownName('model', c.model, shipped.map((sm) => sm.model.name)));
      continue;
    }
    if (a.model && c.model !== a.model) continue;
    const t = targets.get(c.model);
    if (t === undefined || typeof t === 'string') {
      rows.push({ file: rel, model: c.model, stored: c.property, outcome: 'not applicable', detail: t ?? `the variant is for model ${[...targets.keys()].join(', ')}` });
      continue;
    }
    let replayed: Awaited<ReturnType<typeof replayFile>>;
    try {
      replayed = await replayFile(c, rel, { variant: spec, skipMissing: true, set, warn: warnTo(io) });
    } catch (e) {
      malformed(e); // its params, memory model or flags are not the model's
      continue;
    }
    const { outcome, prog } = replayed;
    if (outcome.status === 'malformed') {
      malformed(malformedTrace(rel, c, outcome));
      continue;
    }
    const skipped = 'skipped' in outcome && outcome.skipped > 0 ? ` (${outcome.skipped} step${outcome.skipped > 1 ? 's' : ''} not in this variant skipped)` : '';
    if (outcome.status === 'violates' && outcome.property === c.property) {
      rows.push({ file: rel, model: c.model, stored: c.property, outcome: 'still violates', detail: `the same trace: ${outcome.property} after step ${outcome.at + 1}${skipped}` });
      continue;
    }
    // The trace no longer violates: does the property hold on the target in the trace's scenario?
    const trace = outcome.status === 'not-applicable' ? `trace stops applying at step ${outcome.at + 1} (${outcome.why})` : outcome.status === 'violates' ? `trace violates ${outcome.property} instead` : `all ${outcome.steps - outcome.skipped} steps apply${skipped}`;
    const r = check(t.sm.model, allProperties, { variant: t.variant, params: c.params, memory: c.memory, flags: prog.instance.flags, properties: [c.property], deadlock: false, maxSeconds: 300 });
    if (r.verdict === 'ok') rows.push({ file: rel, model: c.model, stored: c.property, outcome: 'no longer reproduces', detail: `${c.property} holds in its scenario (${r.states} states); ${trace}` });
    else if (r.verdict === 'violation') rows.push({ file: rel, model: c.model, stored: c.property, outcome: 'still violates', detail: `by another interleaving (${r.trace?.length ?? 0} steps); ${trace}` });
    else rows.push({ file: rel, model: c.model, stored: c.property, outcome: 'not applicable', detail: `${r.verdict}${r.limit ? ` (${r.limit})` : r.reason ? `: ${r.reason}` : ''}; ${trace}` });
  }
  // The full check of the variant, property by property, against mainline.
  const checks: { model: string; property: string; onMainline: boolean; open: boolean; steps: number }[] = [];
  for (const [, t] of targets) {
    if (typeof t === 'string') continue;
    let remaining = checkedByDefault(allProperties, t.sm.model.name).map((p) => p.name);
    // A deadlock and a stuck actor are violations too; the remaining properties are then checked
    // without that check (a stuck actor is looked for only once every property holds).
    let deadlock = true;
    let liveness = true;
    while (remaining.length > 0) {
      const r = check(t.sm.model, allProperties, { variant: t.variant, flags: set, properties: remaining, deadlock, liveness });
      if (r.verdict !== 'violation' || !r.property) break;
      const kind = remaining.includes(r.property) ? 'property' : r.property === 'stuck' ? 'stuck' : 'deadlock';
      const changed = t.variant || Object.keys(set).length > 0;
      const main = !changed ? r : check(t.sm.model, allProperties, { properties: kind === 'property' ? [r.property] : remaining, params: r.params, deadlock, liveness });
      const onMainline = main.verdict === 'violation' && main.property === r.property;
      const open = (t.sm.openFindings ?? []).some((f) => f.properties.includes(r.property!)) && onMainline;
      checks.push({ model: t.sm.model.name, property: r.property, onMainline, open, steps: r.trace?.length ?? 0 });
      if (kind === 'deadlock') deadlock = false;
      else if (kind === 'stuck') liveness = false;
      else remaining = remaining.filter((p) => p !== r.property);
    }
  }
  const malformedFiles = rows.filter((r) => r.outcome === 'malformed').length;
  const violated = checks.length > 0 || rows.some((r) => r.outcome === 'still violates');
  const modelCount = [...targets.values()].filter((t) => typeof t !== 'string').length;
  if (a.json) io.out(JSON.stringify({ variant: spec, replays: rows, violations: checks }));
  else {
    const w = Math.max(10, ...rows.map((r) => r.file.length)) + 2;
    const setText = Object.entries(set).map(([k, v]) => ` --set ${k}=${v}`).join('');
    const out = [`regression corpus against --variant ${spec}${setText}: ${rows.length} stored counterexamples`, ''];
    for (const r of rows) out.push(`${r.file.padEnd(w)}${r.outcome.padEnd(27)}${r.detail}`);
    out.push('');
    if (checks.length === 0 && !violated) out.push(`full check of ${spec}: no violation in ${modelCount} model(s)`);
    else if (checks.length === 0) out.push(`full check of ${spec}: every property holds at the default scope in ${modelCount} model(s); the stored counterexamples above still violate in their own scenarios`);
    else out.push(`full check of ${spec}: ${new Set(checks.map((c) => c.model)).size} of ${modelCount} model(s) violate a property`);
    for (const c of checks) out.push(`full check of ${spec}: ${c.model} violates ${c.property} (${c.steps} steps)${c.open ? ' — a known open finding of mainline (see npx lazytlb list)' : c.onMainline ? ' — mainline violates it too' : ' — new compared to mainline'}`);
    io.out(out.join('\n'));
  }
  if (malformedFiles > 0) {
    io.err(`lazytlb: ${malformedFiles} malformed file(s) under counterexamples/ (listed above as malformed)\n`);
    return 2;
  }
  return violated ? 1 : 0;
}
