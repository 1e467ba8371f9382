// The text view of a counterexample, like a race report: one column per CPU (other actors get their
// own column), one row per atomic step named `function:STEP`, with the kernel code it models on the
// right, then what the step changed (a plain store under TSO shows as entering the CPU's store
// buffer, and later as reaching memory), and at the end the property that broke and why.
import { changeLine, shownChanges, type TraceRow } from './trace.ts';

export interface RenderInput {
  readonly rows: readonly TraceRow[];
  readonly property: string;
  readonly statement: string;
  readonly reason: string;
  readonly actors: readonly string[];
  /** A lasso (a liveness violation): the rows from this index are the cycle, which repeats forever. */
  readonly cycleAt?: number;
}

/** Columns are as wide as their widest step name (plus a gap), at least this wide. */
const MIN_COL = 24;
/** The kernel code of a step is wrapped at this width. */
const TEXT = 64;

export function renderText(t: RenderInput): string {
  const cols = t.actors;
  const cellOf = (r: TraceRow) => `${r.procedure}:${r.label}${r.choiceText ? ` (${r.choiceText})` : ''}`;
  const colOf = (r: TraceRow) => Math.max(0, cols.indexOf(r.actor));
  const widths = cols.map((c, j) => Math.max(MIN_COL, c.length + 2, ...t.rows.filter((r) => colOf(r) === j).map((r) => cellOf(r).length + 2)));
  const starts = widths.map((_, j) => 5 + widths.slice(0, j).reduce((x, y) => x + y, 0));
  const textAt = starts[cols.length - 1] + widths[cols.length - 1];
  const lines: string[] = [];
  lines.push(['  #  ', ...cols.map((c, j) => c.padEnd(widths[j])), 'kernel'].join(''));
  lines.push(['  ---', ...widths.map((w) => '-'.repeat(w)), '-'.repeat(TEXT)].join(''));
  const cycle = t.cycleAt !== undefined && t.cycleAt < t.rows.length ? t.cycleAt : -1;
  t.rows.forEach((r, i) => {
    if (i === cycle) lines.push(`  ↻  the cycle: steps ${i + 1}-${t.rows.length} repeat forever, from ${cycleStart(i)}`);
    const col = colOf(r);
    const cells = cols.map((_, j) => (j === col ? cellOf(r) : '|').padEnd(widths[j]));
    const mark = r.matters === true ? '*' : cycle >= 0 && i >= cycle ? '↻' : ' ';
    const text = wrap(r.text, TEXT);
    lines.push(`${`${mark}${i + 1}`.padStart(3)}  ${cells.join('')}${text[0] ?? ''}`.trimEnd());
    for (const more of text.slice(1)) lines.push(`${' '.repeat(textAt)}${more}`);
    const indent = ' '.repeat(starts[col] + 2);
    for (const c of shownChanges(r.changes, t.property)) lines.push(`${indent}${changeLine(c)}`);
  });
  if (cycle >= 0) lines.push(`  ↻  back to ${cycleStart(cycle)}`);
  lines.push('');
  lines.push(`violated: ${t.property}${t.statement ? ` — ${t.statement}` : ''}`);
  lines.push(`because:  ${t.reason}`);
  return lines.join('\n');
}

/** The state a cycle starting at row `i` starts in. */
function cycleStart(i: number): string {
  return i === 0 ? 'the initial state' : `the state after step ${i}`;
}

/** Words of `s` in lines of at most `n` characters (a longer word gets a line of its own). */
function wrap(s: string, n: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(/\s+/).filter((x) => x.length > 0)) {
    if (line && line.length + 1 + w.length > n) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}
