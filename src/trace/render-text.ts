// The text view of a counterexample, like a race report: one column per CPU (other actors get their
// own column), one row per atomic step named `function:STEP`, then what the step changed, and at the
// end the property that broke and why.
import type { TraceRow } from './trace.ts';

export interface RenderInput {
  readonly rows: readonly TraceRow[];
  readonly property: string;
  readonly statement: string;
  readonly reason: string;
  readonly actors: readonly string[];
}

const COL = 30;

export function renderText(t: RenderInput): string {
  const cols = t.actors;
  const lines: string[] = [];
  lines.push(['  #  ', ...cols.map((c) => pad(c, COL))].join('').trimEnd());
  lines.push(['  ---', ...cols.map(() => pad('', COL, '-'))].join('').trimEnd());
  t.rows.forEach((r, i) => {
    const cell = `${r.procedure}:${r.label}${r.choiceText ? ` (${r.choiceText})` : ''}`;
    const col = Math.max(0, cols.indexOf(r.actor));
    const cells = cols.map((_, j) => (j === col ? pad(cell, COL) : pad('|', COL)));
    const mark = r.matters === true ? '*' : ' ';
    lines.push([pad(`${mark}${i + 1}`, 5, ' ', true), ...cells].join('').trimEnd());
    const indent = ' '.repeat(5 + col * COL + 2);
    const visible = r.changes.filter((c) => !/\.(pc|sp|stack\[\d+\])$/.test(c.path) || c.path === 'error');
    for (const c of visible) lines.push(`${indent}${c.path === 'error' ? `model error: ${c.to}` : `${c.path}: ${c.from} -> ${c.to}`}`);
  });
  lines.push('');
  lines.push(`violated: ${t.property}${t.statement ? ` — ${t.statement}` : ''}`);
  lines.push(`because:  ${t.reason}`);
  return lines.join('\n');
}

function pad(s: string, n: number, ch = ' ', left = false): string {
  const cut = s.length > n - 1 ? s.slice(0, n - 2) + '…' : s;
  return left ? cut.padStart(n - 2, ch) + '  ' : cut.padEnd(n, ch);
}
