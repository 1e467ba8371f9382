// lazytlb check <model> [--variant NAME|FILE] [--set flag=value] [--param name=value] [--property P]
//               [--memory sc|tso] [--json] [--max-states N] [--max-seconds S] [--max-memory MiB] [--within K]
import type { Argv } from 'yargs';
import { allProperties } from '../../../properties/index.ts';
import { INTERRUPT } from '../../engine/bfs.ts';
import { check, type CheckResult } from '../../pipeline/check.ts';
import { instantiate, type Instance } from '../../lang/instantiate.ts';
import { withBounded } from '../../lang/property.ts';
import { renderText } from '../../trace/render-text.ts';
import { integerOption, namedOption, repeatableOption, secondsOption, stringOption } from '../args.ts';
import { STORE_KINDS, type StoreKind } from '../../engine/stores.ts';
import { EXIT, exitFor } from '../exit.ts';
import type { RunOptions } from '../process.ts';
import { PROGRESS_MS, progressReporter } from '../progress.ts';
import { num, type Io } from '../io.ts';
import { findModel, findVariant, isVariantFile, parsePairs, variantRef } from '../load.ts';
import { relative, resolve } from 'node:path';
import { cexPath, saveCounterexample, toCounterexample, writeJson } from '../../trace/cexfile.ts';
import { toItf } from '../../trace/itf.ts';
import { verifyFootprints } from '../../engine/verify.ts';
import type { VariantDef } from '../../lang/variant.ts';
import { saveJson, saveText, trySave } from '../save.ts';
import { collectGenerated } from '../../lang/generated.ts';
import { emptyDirFor, writeGenerated } from '../dump.ts';
import { workersFor } from '../workers.ts';
import { startWorkers } from '../../engine/parallel/index.ts';
import { REDUCTIONS, reductionsFrom, type ReductionFlags, type ReductionStats } from '../../engine/reductions/index.ts';

/** The flags of the reductions (`--por`, `--symmetry`, `--sleep-sets`) come from their registry. */
export interface CheckArgs extends ReductionFlags {
  model: string;
  variant?: string;
  scope?: string;
  set?: string[];
  param?: string[];
  property?: string[];
  memory?: string;
  json?: boolean;
  'max-states'?: number;
  'max-seconds'?: number;
  'max-memory'?: number;
  workers?: number;
  store?: StoreKind;
  deadlock?: boolean;
  liveness?: boolean;
  within?: number;
  save?: boolean;
  force?: boolean;
  'verify-footprints'?: boolean;
  'dump-generated'?: string;
  format?: string;
  shrink?: boolean;
  simulate?: number;
  'walk-depth'?: number;
  seed?: number;
  debug?: boolean;
}

export function checkOptions<T>(y: Argv<T>) {
  const options = y
    .option('variant', stringOption('variant', 'a named variant of the model (see list) or a variant file'))
    .option('scope', stringOption('scope', 'a named scope of the model (see list), e.g. wide; --param and --set apply on top'))
    .option('set', repeatableOption('flag=value (repeatable)'))
    .option('param', repeatableOption('param=value (repeatable)'))
    .option('property', repeatableOption('check only these properties (repeatable)'))
    .option('memory', stringOption('memory', 'memory model: sc (default), tso or weak, where the model has it'))
    .option('json', { type: 'boolean', describe: 'print one JSON object' })
    .option('max-states', integerOption('max-states', 'stop after this many states (verdict incomplete)'))
    .option('max-seconds', secondsOption('max-seconds', 'stop after this many seconds (verdict incomplete)'))
    .option('max-memory', integerOption('max-memory', 'stop when the process\'s resident memory exceeds this many MiB (verdict incomplete)'))
    .option('workers', integerOption('workers', 'search threads, each owning a share of the states (default: the cores the load average leaves free, once a search outgrows 262,144 states in one thread; the result is the same for every count; sleep sets, and partial-order reduction with the fingerprint store, search with 1)', 1, 256))
    .option('store', namedOption('store', 'visited states: compact (exact, tree-compressed; the default above 8-byte states), exact (whole states in memory; the default up to 8 bytes) or fingerprint (64-bit, probabilistic)', STORE_KINDS))
    .option('deadlock', { type: 'boolean', default: true, describe: 'report deadlocks (--no-deadlock to ignore)' })
    .option('liveness', { type: 'boolean', default: true, describe: 'report stuck actors: inside a procedure with no way back to rest (--no-liveness to skip)' })
    .option('within', integerOption('within', 'also check each liveness property P as the safety monitor P/within-K: its waiter is not kept waiting through K + 1 steps of the other actors (steps that change the state while it is blocked or spins)'))
    .option('shrink', { type: 'boolean', describe: 'shrink a counterexample: shortest, fewest CPU switches (points where the next step is another CPU\'s), smallest params' })
    .option('simulate', integerOption('simulate', 'N random walks instead of an exhaustive search (verdict violation or incomplete)'))
    .option('walk-depth', integerOption('walk-depth', 'with --simulate: steps per walk at most (default 200)'))
    .option('seed', integerOption('seed', 'with --simulate: the random seed (default: from the clock, printed)', 0, 0x7fffffff))
    .option('format', stringOption('format', 'with --save: also write the Informal Trace Format (ITF) JSON next to the counterexample (itf)', { choices: ['lazytlb', 'itf'], default: 'lazytlb' }))
    .option('save', { type: 'boolean', describe: 'store a counterexample under counterexamples/<model>/<variant>/<property>.json' })
    .option('force', { type: 'boolean', describe: 'with --save: overwrite a stored counterexample that differs' })
    .option('dump-generated', stringOption('dump-generated', 'write every generated function (pack, unpack, view classes) to this new or empty directory, one file each'))
    .option('verify-footprints', { type: 'boolean', describe: 'check over the full state space that steps respect the declared own and published fields and invariant reads' });
  return REDUCTIONS.reduce((z, d) => z.option(d.flag, { type: 'boolean', default: d.default, describe: d.describe }), options);
}

export async function runCheck(a: CheckArgs, io: Io, run: RunOptions = {}): Promise<number> {
  // Workers asked for start loading now, while the model is loaded and compiled.
  if (a.workers !== undefined) startWorkers(a.workers);
  const sm = findModel(a.model);
  const variant = await findVariant(sm, a.variant);
  const set = parsePairs('set', a.set);
  const settings = { variant, scope: a.scope, params: parsePairs('param', a.param), flags: set, memory: a.memory, properties: a.property };
  // The header names the instance (params resolved); it is printed before the first progress report.
  let instance: ReturnType<typeof describeInstance> | undefined;
  const described = () => (instance ??= describeInstance(instantiate(sm.model, withBounded(allProperties, a.within, a.property), settings)));
  const progress = progressReporter(io, () => headline(described()));
  // A step that never returns stops no search by itself: the watchdog ends it after the deadline.
  const watched = run.watch !== undefined && a['max-seconds'] !== undefined && a.simulate === undefined;
  if (watched) run.watch!({ seconds: a['max-seconds']!, head: headline(described()), fields: described(), json: Boolean(a.json) });
  const dumpTo = a['dump-generated'] !== undefined ? emptyDirFor(a['dump-generated']) : null;
  const { result: r, generated } = collectGenerated(() => check(sm.model, allProperties, {
    ...settings,
    onExplored: watched ? () => run.watch!(null) : undefined,
    maxStates: a['max-states'],
    maxSeconds: a['max-seconds'],
    maxMemoryBytes: a['max-memory'] !== undefined ? a['max-memory'] * 2 ** 20 : undefined,
    store: a.store,
    ...workersFor(a.workers),
    variantFile: a.variant !== undefined && isVariantFile(a.variant) ? resolve(a.variant) : undefined,
    deadlock: a.deadlock,
    liveness: a.liveness,
    within: a.within,
    ...reductionsFrom(a),
    shrink: a.shrink,
    simulate: a.simulate !== undefined ? { runs: a.simulate, depth: a['walk-depth'] ?? 200, seed: a.seed ?? (Date.now() & 0x7fffffff) } : undefined,
    onProgress: progress.onProgress,
    progressMs: run.progressMs ?? (io.tty ? PROGRESS_MS.tty : PROGRESS_MS.log),
    shouldStop: run.shouldStop,
  }));
  progress.end();
  if (dumpTo !== null) writeGenerated(dumpTo, generated);
  const fp = a['verify-footprints'] ? verifyFootprints(r.program, { maxStates: a['max-states'], maxSeconds: a['max-seconds'] }) : null;
  const fpText = fp ? `\nfootprints: ${fp.problems.length === 0 ? 'respected' : 'VIOLATED'} on ${num(fp.transitions)} transitions of ${num(fp.states)} states${fp.complete ? '' : ' (incomplete)'}${fp.problems.map((x) => `\n  ${x}`).join('')}` : '';
  // The save after the search and before the output, whose refusal (an existing different file) is
  // shown with the result and is the exit code: it never hides the counterexample.
  const saved = trySave(a.save && r.verdict === 'violation' && r.trace ? () => save(a, r, variant, set) : null);
  if (saved !== null && 'refused' in saved) io.err(`lazytlb: ${saved.refused}\n`);
  io.out(a.json ? JSON.stringify({ ...toJson(r), ...saveJson(saved), ...(fp ? { footprints: fp } : {}) }) : renderResult(r) + (saved !== null && 'saved' in saved ? `\n${saveText(saved)}` : '') + fpText);
  if (saved !== null && 'refused' in saved) return EXIT.usage;
  if (a.debug && r.stack) io.err(`${r.stack}\n`);
  if (fp && fp.problems.length > 0) return 2;
  if (r.limit === INTERRUPT || r.abstraction?.exact.limit === INTERRUPT) return EXIT.interrupt;
  // found under an abstraction only: not a confirmed bug, and not ok either
  return r.abstraction?.confirmed === false ? EXIT.incomplete : exitFor(r.verdict);
}

/** Stores the counterexample (and its ITF export with --format itf); returns what was written. */
function save(a: CheckArgs, r: CheckResult, variant: VariantDef | null, set: Readonly<Record<string, string>>): string {
  // A stuck trace is replayed by exploring what is reachable from its end; a lasso by re-checking its cycle.
  const cex = toCounterexample({
    model: r.model,
    variant: variantRef(a.variant, variant, Object.fromEntries(Object.keys(set).map((k) => [k, r.flags[k]]))),
    flags: r.flags,
    params: r.params,
    memory: r.memory,
    property: r.property!,
    reason: r.reason!,
    trace: r.trace!,
    cycleAt: r.cycleAt,
  });
  const path = cexPath(process.cwd(), cex);
  let saved = relative(process.cwd(), saveCounterexample(path, cex, Boolean(a.force)));
  if (a.format === 'itf' && r.rawTrace) {
    const itf = toItf(r.program, r.rawTrace, { model: r.model, variant: r.variant, property: r.property, reason: r.reason });
    saved += `, ${relative(process.cwd(), writeJson(path.replace(/\.json$/, '.itf.json'), itf, Boolean(a.force)))}`;
  }
  return saved;
}

/** The --json object (the CLI contract). */
export function toJson(r: CheckResult): Record<string, unknown> {
  return {
    verdict: r.verdict,
    model: r.model,
    variant: r.variant,
    scope: r.scope,
    params: r.params,
    flags: r.flags,
    memory: r.memory,
    properties: r.properties,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    seconds: Number(r.seconds.toFixed(3)),
    workers: r.workers,
    ...(r.workersNote ? { workersNote: r.workersNote } : {}),
    memoryBytes: r.memoryBytes,
    ...(r.store ? { store: { kind: r.store, probabilistic: r.store === 'fingerprint', packedBytes: r.packedBytes, bytesPerState: Number(r.bytesPerState.toFixed(2)), ...(r.missProbability !== undefined ? { missProbability: r.missProbability } : {}) } } : {}),
    reductions: r.reductions,
    liveness: r.liveness && { stuck: r.liveness.verdict, graph: r.liveness.graph, states: r.liveness.states, transitions: r.liveness.transitions, seconds: Number(r.liveness.seconds.toFixed(3)), memoryBytes: r.liveness.bytes },
    ...(r.limit ? { limit: r.limit } : {}),
    ...(r.property ? { property: r.property, reason: r.reason } : {}),
    ...(r.simulation ? { simulation: r.simulation } : {}),
    ...(r.shrunk ? { shrunk: r.shrunk } : {}),
    ...(r.trace ? { trace: r.trace } : {}),
    ...(r.cycleAt !== undefined ? { cycleAt: r.cycleAt } : {}),
    ...(r.abstraction ? { abstraction: r.abstraction } : {}),
  };
}

/** What the headline (and the --json object) names of an instance not yet checked. */
function describeInstance(i: Instance): Headed & Pick<CheckResult, 'flags'> {
  return { model: i.model.name, variant: i.variant?.name ?? null, scope: i.scope, params: i.params, flags: i.flags, memory: i.memory };
}

type Headed = Pick<CheckResult, 'model' | 'variant' | 'scope' | 'params' | 'memory'>;

export function headline(r: Headed): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${r.model}${r.variant ? ` --variant ${r.variant}` : ''}${r.scope ? ` --scope ${r.scope}` : ''} (${params}, memory ${r.memory})`;
}

/** The reductions that were on with their statistics, as the search reported them: `; reductions: symmetry, por (ampleStates 9,876)`. */
function reductionsText(reductions: ReductionStats): string {
  const parts = Object.entries(reductions).map(([name, stats]) => {
    const counts = Object.entries(stats ?? {}).map(([k, v]) => `${k} ${num(v)}`);
    return counts.length > 0 ? `${name} (${counts.join(', ')})` : name;
  });
  return parts.length > 0 ? `; reductions: ${parts.join(', ')}` : '';
}

function renderResult(r: CheckResult): string {
  const stats = r.simulation
    ? `${num(r.simulation.runs)} random walks, ${num(r.states)} steps, seed ${r.simulation.seed}, ${r.seconds.toFixed(2)} s`
    : `${num(r.states)} states, ${num(r.transitions)} transitions, ${r.verdict === 'violation' ? '' : `depth ${r.depth}, `}${r.seconds.toFixed(2)} s${r.workers > 1 ? `, ${r.workers} workers` : ''}${reductionsText(r.reductions)}`;
  const lines = [headline(r)];
  if (r.workersNote) lines.push(`note: ${r.workersNote}`);
  if (r.shrunk) {
    const p = (x: Readonly<Record<string, number>>) => Object.entries(x).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`shrunk from ${r.shrunk.from.length} steps (${r.shrunk.from.switches} CPU switch${r.shrunk.from.switches === 1 ? '' : 'es'}, ${p(r.shrunk.from.params)}) to ${r.shrunk.to.length} steps (${r.shrunk.to.switches} CPU switch${r.shrunk.to.switches === 1 ? '' : 'es'}, ${p(r.params)}); * marks the steps the violation depends on${r.shrunk.incomplete.length ? `; not minimized: ${r.shrunk.incomplete.join(', ')}` : ''}`);
  }
  // A fingerprint search is probabilistic: a state whose fingerprint collided was never explored.
  const fp = r.missProbability !== undefined ? ` (probabilistic: 64-bit fingerprints, estimated probability that a state was missed ${r.missProbability.toExponential(1)})` : '';
  if (r.verdict === 'ok') lines.push(fp ? `ok: no violation of ${r.properties.join(', ') || '(no properties)'} in the states explored${fp}: ${stats}` : `ok: no violation of ${r.properties.join(', ') || '(no properties)'}${r.properties.length ? '' : ''}; complete search: ${stats}`);
  else if (r.verdict === 'incomplete') lines.push(`incomplete: stopped at ${r.limit}; no violation in what was covered${fp}: ${stats}`);
  else {
    const n = r.trace?.length ?? 0;
    const lasso = r.cycleAt !== undefined ? `: a lasso of ${r.cycleAt} steps and a cycle of ${n - r.cycleAt} steps (${stats}):` : null;
    lines.push(r.verdict === 'violation' ? `violation of ${r.property}${lasso ?? ` after ${n} steps (${stats}):`}` : `model error after ${n} steps:`);
    if (r.abstraction) lines.push(abstractionText(r.abstraction, r.property ?? ''));
    lines.push('');
    lines.push(renderText({ rows: r.trace ?? [], property: r.property ?? '', statement: r.statement ?? '', reason: r.reason ?? '', actors: r.actors, cycleAt: r.cycleAt }));
  }
  return lines.join('\n');
}

/** What the exact model said of a violation found with an abstraction flag on (pipeline/abstraction.ts). */
function abstractionText(a: NonNullable<CheckResult['abstraction']>, property: string): string {
  const on = a.flags.map((f) => `${f}=true`).join(' ');
  const off = a.flags.map((f) => `${f}=false`).join(' ');
  const found = `found under the abstraction ${on} (${num(a.abstract.states)} states, ${a.abstract.steps} steps)`;
  if (a.confirmed && a.by === 'replay') return `${found}; confirmed on the exact model (${off}): its trace replays there step for step, the trace below`;
  if (a.confirmed) return `${found}; confirmed on the exact model (${off}) by a search of ${num(a.exact.states)} states: the exact model's shortest trace below`;
  const exact = a.exact.verdict === 'ok'
    ? `no violation of ${property} there, complete search: ${num(a.exact.states)} states`
    : a.exact.verdict === 'incomplete'
      ? `its search is incomplete (stopped at ${a.exact.limit}, ${num(a.exact.states)} states)`
      : a.exact.verdict === 'violation'
        ? `its search stopped at a violation of another property, ${a.exact.property} (${num(a.exact.states)} states)`
        : `its search failed (${a.exact.verdict})`;
  return `found under the abstraction only (${on}): not confirmed on the exact model (${off}): ${exact}; the abstraction's trace below`;
}
