// lazytlb summary (npm start): every shipped model's mainline at its default scope, under each memory
// model it supports, plus the historical variants chosen to show a real counterexample; one table.
import { allProperties } from '../../../properties/index.ts';
import { shipped } from '../../../models/index.ts';
import { check, type CheckResult } from '../../engine/check.ts';
import { num, type Io } from '../io.ts';

interface Row {
  readonly r: CheckResult;
  readonly expected: string;
  readonly asExpected: boolean;
}

export function runSummary(io: Io, opts: { json?: boolean; maxSeconds?: number }): number {
  const rows: Row[] = [];
  for (const sm of shipped.filter((s) => s.summary)) {
    for (const memory of sm.model.memory ?? ['sc']) {
      const r = check(sm.model, allProperties, { memory, maxSeconds: opts.maxSeconds });
      rows.push({ r, expected: 'ok', asExpected: r.verdict === 'ok' });
      if (io.tty && !opts.json) io.err(line(rows[rows.length - 1]) + '\n');
    }
    for (const name of sm.summaryVariants ?? []) {
      const v = sm.variants.find((x) => x.name === name)!;
      const r = check(sm.model, allProperties, { variant: v, maxSeconds: opts.maxSeconds });
      const expected = v.violates?.length ? `violation (${v.violates.join('|')})` : 'ok';
      const asExpected = v.violates?.length ? r.verdict === 'violation' && v.violates.includes(r.property ?? '') : r.verdict === 'ok';
      rows.push({ r, expected, asExpected });
      if (io.tty && !opts.json) io.err(line(rows[rows.length - 1]) + '\n');
    }
  }
  const good = rows.filter((x) => x.asExpected).length;
  if (opts.json) {
    io.out(JSON.stringify(rows.map(({ r, expected, asExpected }) => ({ model: r.model, variant: r.variant, params: r.params, memory: r.memory, verdict: r.verdict, property: r.property ?? null, states: r.states, depth: r.depth, seconds: Number(r.seconds.toFixed(3)), expected, asExpected }))));
  } else {
    io.out([header(), ...rows.map(line), '', `${good} of ${rows.length} results as expected${good === rows.length ? '' : ' — see the rows marked !'}`].join('\n'));
    const firstCex = rows.find((x) => x.r.verdict === 'violation');
    if (firstCex) io.out(`\nsee a counterexample: npx lazytlb check ${firstCex.r.model}${firstCex.r.variant ? ` --variant ${firstCex.r.variant}` : ''}`);
  }
  return good === rows.length ? 0 : 1;
}

const W = [16, 22, 18, 5, 30, 12, 6, 8];

function header(): string {
  return cells(['model', 'variant', 'params', 'mem', 'verdict', 'states', 'depth', 'seconds']) + '\n' + W.map((w) => '-'.repeat(w - 1)).join(' ');
}

function line({ r, asExpected }: Row): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(',');
  const verdict = r.verdict === 'violation' ? `violation ${r.property}` : r.verdict;
  return cells([r.model, r.variant ?? 'mainline', params, r.memory, `${asExpected ? '' : '! '}${verdict}`, num(r.states), String(r.depth), r.seconds.toFixed(2)]);
}

function cells(xs: string[]): string {
  return xs.map((x, i) => x.padEnd(W[i] - 1)).join(' ').trimEnd();
}
