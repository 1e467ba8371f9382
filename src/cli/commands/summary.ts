// lazytlb summary (npm start): every shipped model's mainline at its default scope, under each memory
// model it supports, plus the historical variants chosen to show a real counterexample; one table.
// With --scope NAME (e.g. wide, deep): the mainline of every model that declares that scope, or scopes
// of that family (`deep-4cpus` with `deep`), at each of them, under sc, without the stuck-actor check
// (its unreduced graph is what the reductions make the wide scopes fit without: shootdown's wide scope
// alone is 47 M states unreduced). With --variants as well: every historical variant that declares the
// properties it violates, at each of those scopes, expecting one of them (a deep scope must not lose
// a counterexample the default scope shows).
import { allProperties } from '../../../properties/index.ts';
import { shipped, type OpenFinding, type ShippedModel } from '../../../models/index.ts';
import { check, type CheckResult } from '../../pipeline/check.ts';
import { UsageError } from '../../lang/errors.ts';
import { checkedByDefault } from '../../lang/property.ts';
import type { VariantDef } from '../../lang/variant.ts';
import { num, type Io } from '../io.ts';
// The summary checks as `lazytlb check` does by default: each reduction as its flag defaults.
import { DEFAULT_REDUCTIONS } from '../../engine/reductions/index.ts';
import { workersFor } from '../workers.ts';


interface Row {
  readonly r: CheckResult;
  readonly expected: string;
  readonly asExpected: boolean;
  /** `open finding`, or the flags of a candidate fix. */
  readonly note?: string;
}

/**
 * The historical variants the summary checks: its chosen ones at the default scope; at a named
 * scope none, or with `all` (--variants) every one that declares the properties it violates.
 */
export function variantsAt(sm: ShippedModel, scope: string | undefined, all: boolean): VariantDef[] {
  if (scope === undefined) return (sm.summaryVariants ?? []).map((name) => sm.variants.find((x) => x.name === name)!);
  return all ? sm.variants.filter((x) => x.violates?.length) : [];
}

/** The scopes of a model that `--scope family` names: `family` itself and `family-*` (deep, deep-4cpus). */
export function scopesIn(sm: ShippedModel, family: string): string[] {
  return Object.keys(sm.model.scopes ?? {}).filter((n) => n === family || n.startsWith(`${family}-`));
}

export function runSummary(io: Io, opts: { json?: boolean; maxSeconds?: number; scope?: string; workers?: number; variants?: boolean }): number {
  const rows: Row[] = [];
  const family = opts.scope === 'default' ? undefined : opts.scope;
  if (opts.variants && family === undefined) throw new UsageError('--variants needs --scope NAME (at the default scope the summary shows its chosen historical variants)');
  const runs = shipped.filter((s) => s.summary).flatMap((sm): { sm: ShippedModel; scope: string | undefined }[] => (family === undefined ? [{ sm, scope: undefined }] : scopesIn(sm, family).map((scope) => ({ sm, scope }))));
  if (runs.length === 0) throw new UsageError(`no shipped model declares the scope '${family}'; scopes: ${[...new Set(shipped.flatMap((s) => Object.keys(s.model.scopes ?? {})))].join(', ') || '(none)'}`);
  const workers = workersFor(opts.workers);
  /** A row, printed at once on a terminal. */
  const add = (row: Row): void => {
    rows.push(row);
    if (io.tty && !opts.json) io.err(line(row, family) + '\n');
  };
  for (const { sm, scope } of runs) {
    const liveness = scope === undefined;
    // Findings whose properties are checked only on request get rows of their own.
    const all = sm.openFindings ?? [];
    const findings = all.filter((f) => !onRequest(f));
    // A named scope is checked under sc only (the wide scopes are sized for it).
    for (const memory of scope === undefined ? (sm.model.memory ?? ['sc']) : ['sc']) {
      const r = check(sm.model, allProperties, { memory, scope, maxSeconds: opts.maxSeconds, ...DEFAULT_REDUCTIONS, liveness, ...workers });
      const finding = findings.find((f) => f.properties.includes(r.property ?? ''));
      const expected = findings.length ? `ok or open finding (${findings.flatMap((f) => f.properties).join('|')})` : 'ok';
      add({ r, expected, asExpected: r.verdict === 'ok' || (r.verdict === 'violation' && finding !== undefined), note: finding ? 'open finding' : undefined });
    }
    // On request: at the default scope only (the wide scopes are sized for the default properties).
    for (const f of scope === undefined ? all.filter(onRequest) : []) {
      const r = check(sm.model, allProperties, { properties: f.properties, scope, maxSeconds: opts.maxSeconds, ...DEFAULT_REDUCTIONS, liveness, ...workers });
      add({ r, expected: `open finding (${f.properties.join('|')})`, asExpected: r.verdict === 'violation' && f.properties.includes(r.property ?? ''), note: 'open finding' });
    }
    for (const f of scope === undefined ? all : findings) {
      // The fix is checked against every property, the requested ones included.
      const properties = onRequest(f) ? [...checkedByDefault(allProperties, sm.model.name).map((p) => p.name), ...f.properties] : undefined;
      const r = check(sm.model, allProperties, { flags: f.fix, properties, scope, maxSeconds: opts.maxSeconds, ...DEFAULT_REDUCTIONS, liveness, ...workers });
      add({ r, expected: 'ok', asExpected: r.verdict === 'ok', note: `candidate fix: ${Object.entries(f.fix).map(([k, v]) => `--set ${k}=${v}`).join(' ')}` });
    }
    for (const v of variantsAt(sm, scope, opts.variants ?? false)) {
      const r = check(sm.model, allProperties, { variant: v, scope, maxSeconds: opts.maxSeconds, ...DEFAULT_REDUCTIONS, liveness, ...workers });
      const expected = v.violates?.length ? `violation (${v.violates.join('|')})` : 'ok';
      const asExpected = v.violates?.length ? r.verdict === 'violation' && v.violates.includes(r.property ?? '') : r.verdict === 'ok';
      add({ r, expected, asExpected });
    }
  }
  const good = rows.filter((x) => x.asExpected).length;
  if (opts.json) {
    io.out(JSON.stringify(rows.map(({ r, expected, asExpected, note }) => ({ model: r.model, variant: r.variant, scope: r.scope, flags: r.flags, params: r.params, memory: r.memory, verdict: r.verdict, property: r.property ?? null, states: r.states, depth: r.depth, seconds: Number(r.seconds.toFixed(3)), expected, asExpected, note: note ?? null }))));
  } else {
    const notes = shipped.flatMap((sm) => (sm.openFindings ?? []).map((f) => `open finding in ${sm.model.name} mainline (${f.properties.join(', ')}${onRequest(f) ? `, checked with ${f.properties.map((p) => `--property ${p}`).join(' ')}` : ''}): ${f.summary}. Candidate fix: ${Object.entries(f.fix).map(([k, v]) => `--set ${k}=${v}`).join(' ')}.`));
    const stuckNote = family === undefined ? [] : [`\nthe stuck-actor check is not run at --scope ${family} (it explores the unreduced state space): lazytlb check <model> --scope <scope> runs it where the unreduced state space fits`];
    io.out([header(), ...rows.map((x) => line(x, family)), '', `${good} of ${rows.length} results as expected${good === rows.length ? '' : ' — see the rows marked !'}`, ...notes.map((n) => `\n${n}`), ...stuckNote].join('\n'));
    // Point at a historical kernel of a real protocol model first, the calibration model last.
    const firstCex = [...rows].reverse().find((x) => x.r.verdict === 'violation' && x.r.variant !== null && x.r.model !== 'shootdown') ?? rows.find((x) => x.r.verdict === 'violation');
    if (firstCex) io.out(`\nsee a counterexample: npx lazytlb check ${firstCex.r.model}${firstCex.r.variant ? ` --variant ${firstCex.r.variant}` : ''}`);
  }
  return good === rows.length ? 0 : 1;
}

/** The finding's properties are checked only when named (`PropertyDef.onRequest`). */
function onRequest(f: OpenFinding): boolean {
  return f.properties.every((n) => allProperties.some((p) => p.name === n && p.onRequest !== undefined));
}

const W = [18, 20, 6, 30, 12, 6, 8, 30];

function header(): string {
  return cells(['model', 'variant', 'mem', 'verdict', 'states', 'depth', 'seconds', 'params']) + '\n' + W.map((w) => '-'.repeat(w - 1)).join(' ');
}

/** A row; a scope of the family other than the family's own name (deep-4cpus) is named after the variant. */
function line({ r, asExpected, note }: Row, family: string | undefined): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(',');
  const verdict = r.verdict === 'violation' ? `violation ${r.property}` : r.verdict;
  const variant = `${note?.startsWith('candidate fix') ? 'mainline+fix' : (r.variant ?? 'mainline')}${r.scope !== null && r.scope !== family ? ` @${r.scope}` : ''}`;
  return cells([r.model, variant, r.memory, `${asExpected ? '' : '! '}${verdict}${note === 'open finding' ? ' (open)' : ''}`, num(r.states).padStart(W[4] - 2), String(r.depth).padStart(W[5] - 2), r.seconds.toFixed(2).padStart(W[6] - 2), params]);
}

function cells(xs: string[]): string {
  return xs.map((x, i) => x.padEnd(W[i] - 1)).join(' ').trimEnd();
}
