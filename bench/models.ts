// Rows for the shipped protocol models (no twins): every model's mainline at its default scope under
// each memory model it supports, with no reduction, POR only, symmetry only, both, and sleep sets
// alone (the same states, fewer transitions: the transitions column shows what they prune); every named
// variant at its default scope; and the mainline at the model's wide scope (`--scope wide`) with both
// reductions and with none (the unreduced run is cut at two minutes: then incomplete). Each run is its own `lazytlb check --json` process, measured like the
// twins (wall clock, peak RSS).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipped } from '../models/index.ts';
import { measure } from './measure.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ModelRow {
  readonly model: string;
  readonly variant: string;
  /** The named scope, or 'default'. */
  readonly scope: string;
  readonly memory: string;
  readonly reduction: 'none' | 'por' | 'symmetry' | 'both' | 'sleep';
  readonly verdict: string;
  readonly property: string | null;
  readonly states: number | null;
  readonly transitions: number | null;
  readonly depth: number | null;
  readonly seconds: number;
  readonly peakMiB: number | null;
}

const FLAGS: Record<ModelRow['reduction'], string[]> = {
  none: ['--no-por', '--no-symmetry'],
  por: ['--por', '--no-symmetry'],
  symmetry: ['--no-por', '--symmetry'],
  both: ['--por', '--symmetry'],
  sleep: ['--no-por', '--no-symmetry', '--sleep-sets'],
};

/** One check (the search and its reductions; the stuck-actor check is off); `memory` null: the variant's own memory model (e.g. a TSO-only bug). */
function run(model: string, variant: string, memory: string | null, reduction: ModelRow['reduction'], maxSeconds: number, scope = 'default'): ModelRow {
  const args = ['bin/lazytlb.mjs', 'check', model, ...(memory ? ['--memory', memory] : []), '--scope', scope, ...FLAGS[reduction], '--no-liveness', '--workers', '1', '--json', '--max-seconds', String(maxSeconds)];
  if (variant !== 'mainline') args.push('--variant', variant);
  const m = measure(process.execPath, args, ROOT);
  let j: { verdict?: string; property?: string; states?: number; transitions?: number; depth?: number; memory?: string } = {};
  try {
    j = JSON.parse(m.stdout);
  } catch {
    j = { verdict: 'error' };
  }
  return { model, variant, scope, memory: j.memory ?? memory ?? '?', reduction, verdict: j.verdict ?? 'error', property: j.property ?? null, states: j.states ?? null, transitions: j.transitions ?? null, depth: j.depth ?? null, seconds: m.wallSeconds, peakMiB: m.peakKiB === null ? null : m.peakKiB / 1024 };
}

export function modelRows(maxSeconds: number, progress: (s: string) => void): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const sm of shipped.filter((s) => s.model.name !== 'shootdown')) {
    for (const memory of sm.model.memory ?? ['sc']) {
      for (const reduction of ['none', 'por', 'symmetry', 'both', 'sleep'] as const) {
        progress(`bench: ${sm.model.name} mainline ${memory} ${reduction} ...`);
        rows.push(run(sm.model.name, 'mainline', memory, reduction, maxSeconds));
      }
    }
    for (const v of sm.variants) {
      progress(`bench: ${sm.model.name} ${v.name} ...`);
      rows.push(run(sm.model.name, v.name, null, 'none', maxSeconds));
    }
  }
  for (const sm of shipped.filter((s) => s.model.scopes?.wide)) {
    for (const reduction of ['both', 'none'] as const) {
      progress(`bench: ${sm.model.name} --scope wide ${reduction} ...`);
      // The unreduced wide search is cut at two minutes: it only gives the factor a lower bound.
      rows.push(run(sm.model.name, 'mainline', 'sc', reduction, reduction === 'none' ? Math.min(maxSeconds, 120) : maxSeconds, 'wide'));
    }
  }
  return rows;
}

export function modelTable(rows: readonly ModelRow[], log: (s: string) => void): void {
  const head = ['model', 'variant', 'scope', 'mem', 'reduction', 'verdict', 'states', 'transitions', 'depth', 'seconds', 'peak MiB', 'vs none'];
  const body = rows.map((r) => {
    const none = rows.find((x) => x.model === r.model && x.variant === r.variant && x.scope === r.scope && x.memory === r.memory && x.reduction === 'none');
    // Against an unreduced search that did not finish there is no factor.
    // Sleep sets are compared by transitions (they store every state), the others by states.
    const [a, b, what] = r.reduction === 'sleep' ? [none?.transitions, r.transitions, 'transitions'] : [none?.states, r.states, 'states'];
    const factor = a && b && none!.verdict !== 'incomplete' ? a / b : null;
    const n = (x: number | null) => (x === null ? 'n/a' : String(x));
    return [r.model, r.variant, r.scope, r.memory, r.reduction, r.verdict + (r.property ? ` ${r.property}` : ''), n(r.states), n(r.transitions), n(r.depth), r.seconds.toFixed(2), r.peakMiB === null ? 'n/a' : r.peakMiB.toFixed(0), r.reduction === 'none' ? '' : factor === null ? (none?.verdict === 'incomplete' ? 'none incomplete' : '') : `${factor.toFixed(1)}x fewer ${what}`];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i < 6 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) log(line(b));
}

/**
 * Target: on the lazy-TLB and membarrier mainline models (default scope), both reductions store ≥ 10×
 * fewer states. The wide scope's result is printed too.
 */
export function reductionTargets(rows: readonly ModelRow[]): string[] {
  const at = (model: string, scope: string, reduction: ModelRow['reduction']) => rows.find((r) => r.model === model && r.variant === 'mainline' && r.scope === scope && r.memory === 'sc' && r.reduction === reduction);
  return ['x86-lazy-tlb', 'membarrier'].flatMap((model) => {
    const none = at(model, 'default', 'none');
    const both = at(model, 'default', 'both');
    const out = [];
    if (!none?.states || !both?.states) out.push(`target ${model}: n/a`);
    else {
      const f = none.states / both.states;
      out.push(`target ${model} mainline (sc): POR+symmetry store ${f.toFixed(1)}x fewer states than no reduction: ${f >= 10 ? 'PASS' : 'FAIL'} (limit 10x)`);
    }
    const wideNone = at(model, 'wide', 'none');
    const wideBoth = at(model, 'wide', 'both');
    if (wideNone?.states && wideBoth?.states) {
      const f = wideNone.verdict === 'incomplete' ? `the unreduced search did not finish in two minutes (${wideNone.states} states)` : `${(wideNone.states / wideBoth.states).toFixed(1)}x fewer states with POR+symmetry`;
      out.push(`  ${model} --scope wide (sc): ${wideBoth.verdict} with ${wideBoth.states} states; ${f}`);
    }
    return out;
  });
}
