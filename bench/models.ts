// Rows for the shipped protocol models (no twins): every model's mainline at its default scope under
// each memory model it supports, with no reduction, POR only, symmetry only and both; and every named
// variant at its default scope. Each run is its own `lazytlb check --json` process, measured like the
// twins (wall clock, peak RSS).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipped } from '../models/index.ts';
import { measure } from './measure.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ModelRow {
  readonly model: string;
  readonly variant: string;
  readonly memory: string;
  readonly reduction: 'none' | 'por' | 'symmetry' | 'both';
  readonly verdict: string;
  readonly property: string | null;
  readonly states: number | null;
  readonly depth: number | null;
  readonly seconds: number;
  readonly peakMiB: number | null;
}

const FLAGS: Record<ModelRow['reduction'], string[]> = {
  none: ['--no-por', '--no-symmetry'],
  por: ['--por', '--no-symmetry'],
  symmetry: ['--no-por', '--symmetry'],
  both: ['--por', '--symmetry'],
};

function run(model: string, variant: string, memory: string, reduction: ModelRow['reduction'], maxSeconds: number): ModelRow {
  const args = ['bin/lazytlb.mjs', 'check', model, '--memory', memory, ...FLAGS[reduction], '--json', '--max-seconds', String(maxSeconds)];
  if (variant !== 'mainline') args.push('--variant', variant);
  const m = measure(process.execPath, args, ROOT);
  let j: { verdict?: string; property?: string; states?: number; depth?: number } = {};
  try {
    j = JSON.parse(m.stdout);
  } catch {
    j = { verdict: 'error' };
  }
  return { model, variant, memory, reduction, verdict: j.verdict ?? 'error', property: j.property ?? null, states: j.states ?? null, depth: j.depth ?? null, seconds: m.wallSeconds, peakMiB: m.peakKiB === null ? null : m.peakKiB / 1024 };
}

export function modelRows(maxSeconds: number, progress: (s: string) => void): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const sm of shipped.filter((s) => s.model.name !== 'shootdown')) {
    for (const memory of sm.model.memory ?? ['sc']) {
      for (const reduction of ['none', 'por', 'symmetry', 'both'] as const) {
        progress(`bench: ${sm.model.name} mainline ${memory} ${reduction} ...`);
        rows.push(run(sm.model.name, 'mainline', memory, reduction, maxSeconds));
      }
    }
    for (const v of sm.variants) {
      progress(`bench: ${sm.model.name} ${v.name} ...`);
      rows.push(run(sm.model.name, v.name, 'sc', 'none', maxSeconds));
    }
  }
  return rows;
}

export function modelTable(rows: readonly ModelRow[], log: (s: string) => void): void {
  const head = ['model', 'variant', 'mem', 'reduction', 'verdict', 'states', 'depth', 'seconds', 'peak MiB', 'states vs none'];
  const body = rows.map((r) => {
    const none = rows.find((x) => x.model === r.model && x.variant === r.variant && x.memory === r.memory && x.reduction === 'none');
    const factor = none?.states && r.states ? none.states / r.states : null;
    return [r.model, r.variant, r.memory, r.reduction, r.verdict + (r.property ? ` ${r.property}` : ''), r.states === null ? 'n/a' : String(r.states), r.depth === null ? 'n/a' : String(r.depth), r.seconds.toFixed(2), r.peakMiB === null ? 'n/a' : r.peakMiB.toFixed(0), r.reduction === 'none' || factor === null ? '' : `${factor.toFixed(1)}x fewer`];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i < 5 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) log(line(b));
}

/** Issue target: on the lazy-TLB and membarrier mainline models, both reductions store ≥ 10× fewer states. */
export function reductionTargets(rows: readonly ModelRow[]): string[] {
  return ['x86-lazy-tlb', 'membarrier'].map((model) => {
    const none = rows.find((r) => r.model === model && r.variant === 'mainline' && r.memory === 'sc' && r.reduction === 'none');
    const both = rows.find((r) => r.model === model && r.variant === 'mainline' && r.memory === 'sc' && r.reduction === 'both');
    if (!none?.states || !both?.states) return `target ${model}: n/a`;
    const f = none.states / both.states;
    return `target ${model} mainline (sc): POR+symmetry store ${f.toFixed(1)}x fewer states than no reduction: ${f >= 10 ? 'PASS' : 'FAIL'} (limit 10x)`;
  });
}
