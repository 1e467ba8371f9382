// The HTML view of a counterexample: a self-contained page (no external resources) with one lane per
// CPU and actor, one box per atomic step (`function:STEP`, what it did, what it changed), an arrow
// wherever a step writes another CPU's state (an IPI being raised, a flag another CPU waits on), fence
// steps marked and a dashed arrow between fences that pair (fences.ts), the whole state after each
// step on hover, and the violated property at the end.
import type { Program } from '../lang/compile.ts';
import type { RawStep } from '../engine/bfs.ts';
import { Machine } from '../engine/machine.ts';
import { fencePairs } from './fences.ts';
import { displayPath, type TraceRow } from './trace.ts';

export interface HtmlInput {
  readonly title: string;
  readonly subtitle: string;
  readonly property: string;
  readonly statement: string;
  readonly reason: string;
  readonly actors: readonly string[];
  readonly rows: readonly TraceRow[];
  readonly program: Program;
  readonly raw: readonly RawStep[];
}

const LANE = 250;
const ROW = 64;
const TOP = 44;
const LEFT = 44;

export function renderHtml(t: HtmlInput): string {
  const states = statesAfterEachStep(t.program, t.raw);
  const lanes = t.actors;
  const width = LEFT + lanes.length * LANE + 20;
  const height = TOP + t.rows.length * ROW + 90;
  const laneOf = (actor: string) => Math.max(0, lanes.indexOf(actor));
  const svg: string[] = [];
  lanes.forEach((a, i) => {
    svg.push(`<rect class="lane" x="${LEFT + i * LANE + 4}" y="4" width="${LANE - 8}" height="${height - 8}" rx="6"/>`);
    svg.push(`<text class="lanehead" x="${LEFT + i * LANE + LANE / 2}" y="28">${esc(a)}</text>`);
  });
  t.rows.forEach((r, i) => {
    const x = LEFT + laneOf(r.actor) * LANE + 14;
    const y = TOP + i * ROW;
    const step = t.program.steps.find((s) => s.proc === r.procedure && s.label === r.label);
    const changed = r.changes.filter((c) => !/\.(pc|sp|stack\[\d+\])$/.test(c.path));
    svg.push(
      `<g class="step${step?.fence ? ' fence' : ''}${r.matters === false ? ' idle' : ''}" data-i="${i}">` +
        `<rect x="${x}" y="${y}" width="${LANE - 28}" height="${ROW - 10}" rx="4"/>` +
        `<text class="num" x="${LEFT - 10}" y="${y + 20}">${i + 1}</text>` +
        `<text class="label" x="${x + 8}" y="${y + 18}">${esc(`${r.procedure}:${r.label}`)}${r.choiceText ? ` (${esc(r.choiceText)})` : ''}${step?.fence ? ' ⟂' : ''}</text>` +
        changed.slice(0, 2).map((c, j) => `<text class="changes" x="${x + 8}" y="${y + 33 + 13 * j}">${esc(fit(`${c.path}: ${c.from}→${c.to}${j === 1 && changed.length > 2 ? ` (+${changed.length - 2})` : ''}`))}</text>`).join('') +
        `<title>${esc(`${r.actor} ${r.procedure}:${r.label} — ${r.text}\n${changed.map((c) => `${c.path}: ${c.from} -> ${c.to}`).join('\n')}`)}</title>` +
        `</g>`,
    );
    // Arrows: the step wrote a field of another CPU (e.g. set its IPI pending); point at that lane.
    const targets = new Set<number>();
    for (const c of changed) {
      const m = /^(?:cpu\[(\d+)\]|cpu(\d+)\.)/.exec(c.path);
      const target = m ? `cpu${m[1] ?? m[2]}` : null;
      if (target && target !== r.actor && lanes.includes(target)) targets.add(lanes.indexOf(target));
    }
    for (const tl of targets) {
      const [from, to] = between(laneOf(r.actor), tl);
      svg.push(`<line class="msg" x1="${from}" y1="${y + ROW / 2}" x2="${to}" y2="${y + ROW / 2 + 18}" marker-end="url(#arrow)"/>`);
    }
  });
  // Fence pairing: from the earlier fence to the later one, with the fields they order.
  for (const p of fencePairs(t.program, t.raw)) {
    const [x1, x2] = between(laneOf(t.rows[p.first].actor), laneOf(t.rows[p.second].actor));
    const what = `step ${p.first + 1} (${t.rows[p.first].procedure}:${t.rows[p.first].label}) pairs with step ${p.second + 1} (${t.rows[p.second].procedure}:${t.rows[p.second].label}) over ${p.fields.join(', ')}`;
    svg.push(`<line class="pair" x1="${x1}" y1="${TOP + p.first * ROW + ROW / 2 - 6}" x2="${x2}" y2="${TOP + p.second * ROW + ROW / 2 - 6}" marker-end="url(#pair)"><title>${esc(what)}</title></line>`);
  }
  const vy = TOP + t.rows.length * ROW + 10;
  svg.push(`<g class="violation"><rect x="${LEFT}" y="${vy}" width="${lanes.length * LANE - 8}" height="60" rx="6"/>` +
    `<text x="${LEFT + 12}" y="${vy + 24}">violated: ${esc(t.property)}</text>` +
    `<text class="why" x="${LEFT + 12}" y="${vy + 46}">${esc(t.reason)}</text></g>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(t.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #202124; }
h1 { font-size: 18px; margin: 0 0 4px; } p.sub { margin: 0 0 12px; color: #5f6368; }
.wrap { display: flex; gap: 16px; align-items: flex-start; }
svg text { font-family: ui-monospace, monospace; font-size: 12px; }
.lane { fill: #eef3fb; stroke: #c6d4ea; }
.lanehead { text-anchor: middle; font-weight: bold; font-size: 14px; fill: #1a3d7c; }
.step rect { fill: #ffffff; stroke: #5b7fbf; stroke-width: 1.5; }
.step.fence rect { stroke: #8e44ad; stroke-width: 2.5; }
.step.idle rect { stroke-dasharray: 4 3; }
.step:hover rect, .step.on rect { fill: #fff4cc; }
.num { text-anchor: end; fill: #5f6368; }
.label { font-weight: bold; } .changes { fill: #5f6368; font-size: 11px; }
.msg { stroke: #e37400; stroke-width: 2; }
.pair { stroke: #8e44ad; stroke-width: 2; stroke-dasharray: 6 4; }
.violation rect { fill: #d93025; } .violation text { fill: #ffffff; font-weight: bold; font-size: 14px; } .violation .why { font-weight: normal; font-size: 12px; }
#state { min-width: 320px; max-width: 420px; font: 12px/1.5 ui-monospace, monospace; white-space: pre; background: #f8f9fa; border: 1px solid #dadce0; padding: 8px; border-radius: 6px; }
#state .ch { background: #fff4cc; }
</style></head>
<body>
<h1>${esc(t.title)}</h1>
<p class="sub">${esc(t.subtitle)} — ${esc(t.property)}: ${esc(t.statement)}</p>
<div class="wrap">
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#e37400"/></marker><marker id="pair" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8e44ad"/></marker></defs>
${svg.join('\n')}
</svg>
<div id="state">hover a step to see the state after it</div>
</div>
<script>
const states = ${JSON.stringify(states).replace(/</g, '\\u003c')};
const changes = ${JSON.stringify(t.rows.map((r) => r.changes.map((c) => c.path))).replace(/</g, '\\u003c')};
const panel = document.getElementById('state');
for (const g of document.querySelectorAll('.step')) {
  g.addEventListener('mouseenter', () => {
    const i = Number(g.dataset.i);
    document.querySelectorAll('.step.on').forEach((x) => x.classList.remove('on'));
    g.classList.add('on');
    panel.innerHTML = 'after step ' + (i + 1) + ':\\n' + states[i + 1].map(([k, v]) => {
      const line = (k + ' = ' + v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
      return changes[i].includes(k) ? '<span class="ch">' + line + '</span>' : line;
    }).join('\\n');
  });
}
</script>
</body></html>
`;
}

/** The model's fields after each step (index 0: the initial state), as [path, value] pairs. */
function statesAfterEachStep(prog: Program, raw: readonly RawStep[]): [string, string][][] {
  const m = new Machine(prog);
  m.init();
  const slots = prog.layout.slots.filter((s) => !s.path.startsWith('$sb') && !/\.(sp|stack\[\d+\])$/.test(s.path));
  const snap = () => slots.map((s) => [displayPath(prog, s.path), m.render(s.index)] as [string, string]);
  const out = [snap()];
  for (const r of raw) {
    const st = prog.steps[r.step];
    m.enabled(st, r.actor, r.choice);
    m.apply(st, r.actor);
    out.push(snap());
  }
  return out;
}

/** The x coordinates of an arrow from lane a to lane b: from the near edge of one box to the other's. */
function between(a: number, b: number): [number, number] {
  return [LEFT + a * LANE + (b > a ? LANE - 14 : 14), LEFT + b * LANE + (b > a ? 14 : LANE - 14)];
}

/** A line cut to the width of a step box. */
function fit(s: string): string {
  return s.length > 33 ? s.slice(0, 32) + '…' : s;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
