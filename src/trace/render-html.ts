// The HTML view of a counterexample: a self-contained page (no external resources) with one lane per
// CPU and actor, one box per atomic step (`function:STEP`, the kernel code it models, what it
// changed), an arrow wherever a step writes another CPU's state (an IPI being raised, a flag another
// CPU waits on, a buffered store reaching memory), fence steps marked and a dashed arrow between
// fences that pair (fences.ts), the whole state after each step on hover, and the violated property
// at the end. The page is laid out by CSS (a grid: one column per lane, one row per step, each as tall
// as its text), so no text is cut; the arrows are placed by a small script once the boxes are laid out.
import type { Program } from '../lang/compile.ts';
import type { RawStep } from '../engine/via.ts';
import { Machine } from '../engine/machine.ts';
import { fencePairs } from './fences.ts';
import { displayPath } from '../lang/names.ts';
import { bufferedStores, changeLine, shownChanges, type TraceRow } from './trace.ts';

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
  /** A lasso (a liveness violation): the steps from this index are the cycle, which repeats forever. */
  readonly cycleAt?: number;
}

/** Width of a lane, in CSS pixels. */
const LANE = 260;

export function renderHtml(t: HtmlInput): string {
  const states = statesAfterEachStep(t.program, t.raw);
  const lanes = t.actors;
  const laneOf = (actor: string) => Math.max(0, lanes.indexOf(actor));
  const cells: string[] = [];
  const arrows: string[] = [];
  lanes.forEach((a, i) => {
    cells.push(`<div class="lane" style="grid-column: ${i + 2}; grid-row: 1 / ${t.rows.length + 3}"></div>`);
    cells.push(`<div class="lanehead" style="grid-column: ${i + 2}; grid-row: 1">${esc(a)}</div>`);
  });
  t.rows.forEach((r, i) => {
    const step = t.program.steps.find((s) => s.proc === r.procedure && s.label === r.label);
    const shown = shownChanges(r.changes, t.property);
    const inCycle = t.cycleAt !== undefined && i >= t.cycleAt;
    cells.push(`<div class="num${inCycle ? ' cycle' : ''}" style="grid-row: ${i + 2}"${inCycle ? ` title="the cycle: steps ${t.cycleAt! + 1}-${t.rows.length} repeat forever"` : ''}>${inCycle ? '↻' : ''}${i + 1}</div>`);
    cells.push(
      `<div class="step${step?.fence ? ' fence' : ''}${inCycle ? ' cycle' : ''}${r.matters === false ? ' idle' : ''}" id="s${i}" data-i="${i}" style="grid-column: ${laneOf(r.actor) + 2}; grid-row: ${i + 2}">` +
        `<div class="label">${esc(`${r.procedure}:${r.label}`)}${r.choiceText ? ` (${esc(r.choiceText)})` : ''}${step?.fence ? ' <span class="fencemark" title="full fence">⟂</span>' : ''}</div>` +
        `<div class="code">${esc(r.text)}</div>` +
        (shown.length ? `<ul class="changes">${shown.map((c) => `<li${c.store ? ` class="${c.store}"` : ''}>${esc(changeLine(c))}</li>`).join('')}</ul>` : '') +
        `</div>`,
    );
    // Arrows: the step wrote a field of another CPU in memory (e.g. set its IPI pending); point at that
    // lane. A store still in the writer's buffer is not visible to that CPU yet: its arrow is drawn at
    // the step where it reaches memory.
    const targets = new Set<number>();
    for (const c of shown) {
      if (c.store === 'buffered') continue;
      const m = /^(?:cpu\[(\d+)\]|cpu(\d+)\.)/.exec(c.path);
      const target = m ? `cpu${m[1] ?? m[2]}` : null;
      if (target && target !== r.actor && lanes.includes(target)) targets.add(lanes.indexOf(target));
    }
    for (const tl of targets) arrows.push(`<line class="msg" data-from="${i}" data-lane="${tl}" marker-end="url(#arrow)"/>`);
  });
  // Fence pairing: from the earlier fence to the later one, with the fields they order.
  for (const p of fencePairs(t.program, t.raw)) {
    const what = `step ${p.first + 1} (${t.rows[p.first].procedure}:${t.rows[p.first].label}) pairs with step ${p.second + 1} (${t.rows[p.second].procedure}:${t.rows[p.second].label}) over ${p.fields.join(', ')}`;
    arrows.push(`<line class="pair" data-from="${p.first}" data-to="${p.second}" marker-end="url(#pair)"><title>${esc(what)}</title></line>`);
  }
  cells.push(
    `<div class="violation" style="grid-column: 2 / ${lanes.length + 2}; grid-row: ${t.rows.length + 2}">` +
      `<div class="what">violated: ${esc(t.property)}</div>` +
      (t.cycleAt !== undefined ? `<div class="lasso">a lasso: steps 1-${t.cycleAt} lead to the cycle, steps ${t.cycleAt + 1}-${t.rows.length} (marked ↻) return to ${t.cycleAt === 0 ? 'the initial state' : `the state after step ${t.cycleAt}`} and repeat forever</div>` : '') +
      `<div class="why">because: ${esc(t.reason)}</div></div>`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(t.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #202124; }
h1 { font-size: 18px; margin: 0 0 4px; } p.sub { margin: 0 0 12px; color: #5f6368; }
.wrap { display: flex; gap: 16px; align-items: flex-start; }
.trace { position: relative; display: grid; grid-template-columns: 36px repeat(${lanes.length}, ${LANE}px); column-gap: 8px; row-gap: 8px; flex: none; padding-bottom: 8px; }
.step.cycle { border-left: 4px solid #b06000; } .num.cycle { color: #b06000; font-weight: bold; } .lasso { color: #b06000; }
.lane { background: #eef3fb; border: 1px solid #c6d4ea; border-radius: 6px; margin-bottom: -8px; }
.lanehead { text-align: center; font-weight: bold; font-size: 14px; color: #1a3d7c; padding: 8px 0 2px; position: relative; }
.num { grid-column: 1; text-align: right; color: #5f6368; font: 12px ui-monospace, monospace; padding-top: 8px; }
.step { position: relative; margin: 0 8px; padding: 6px 8px; background: #ffffff; border: 1.5px solid #5b7fbf; border-radius: 4px; font: 12px/1.35 ui-monospace, monospace; overflow-wrap: break-word; min-width: 0; }
.step.fence { border: 2.5px solid #8e44ad; }
.step.idle { border-style: dashed; }
.step:hover, .step.on { background: #fff4cc; }
.label { font-weight: bold; }
.code { color: #3c4043; font-size: 11px; margin-top: 2px; }
.changes { list-style: none; margin: 3px 0 0; padding: 0; color: #5f6368; font-size: 11px; }
.changes .buffered { color: #8e44ad; }
.violation { position: relative; margin: 4px 4px 0; padding: 10px 12px; background: #d93025; color: #ffffff; border-radius: 6px; overflow-wrap: break-word; min-width: 0; }
.violation .what { font-weight: bold; font-size: 14px; } .violation .why { font: 12px/1.4 ui-monospace, monospace; margin-top: 2px; }
svg.links { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; }
svg.links line { pointer-events: stroke; }
.msg { stroke: #e37400; stroke-width: 2; }
.pair { stroke: #8e44ad; stroke-width: 2; stroke-dasharray: 6 4; }
#state { min-width: 320px; max-width: 420px; font: 12px/1.5 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; background: #f8f9fa; border: 1px solid #dadce0; padding: 8px; border-radius: 6px; position: sticky; top: 8px; }
#state .ch { background: #fff4cc; }
</style></head>
<body>
<h1>${esc(t.title)}</h1>
<p class="sub">${esc(t.subtitle)} — ${esc(t.property)}: ${esc(t.statement)}</p>
<div class="wrap">
<div class="trace" id="trace">
${cells.join('\n')}
<svg class="links" xmlns="http://www.w3.org/2000/svg" width="100%" height="100%">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#e37400"/></marker><marker id="pair" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8e44ad"/></marker></defs>
${arrows.join('\n')}
</svg>
</div>
<div id="state">hover a step to see the state after it</div>
</div>
<script>
const states = ${JSON.stringify(states).replace(/</g, '\\u003c')};
const changes = ${JSON.stringify(t.rows.map((r) => r.changes.filter((c) => c.store !== 'buffered').map((c) => c.path))).replace(/</g, '\\u003c')};
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
// Arrows, once the boxes are laid out: from the edge of a step's box towards another lane (a write to
// that CPU's state), or from one fence step's box to the other's (a fence pair).
function place() {
  const trace = document.getElementById('trace');
  const origin = trace.getBoundingClientRect();
  const box = (el) => { const r = el.getBoundingClientRect(); return { l: r.left - origin.left, r: r.right - origin.left, t: r.top - origin.top, b: r.bottom - origin.top }; };
  const lanes = [...document.querySelectorAll('.lane')].map(box);
  const set = (line, x1, y1, x2, y2) => { line.setAttribute('x1', x1); line.setAttribute('y1', y1); line.setAttribute('x2', x2); line.setAttribute('y2', y2); };
  for (const line of document.querySelectorAll('line.msg')) {
    const s = box(document.getElementById('s' + line.dataset.from));
    const lane = lanes[Number(line.dataset.lane)];
    const y = (s.t + s.b) / 2;
    if (lane.l > s.r) set(line, s.r, y, lane.l + 14, y + 18); else set(line, s.l, y, lane.r - 14, y + 18);
  }
  for (const line of document.querySelectorAll('line.pair')) {
    const a = box(document.getElementById('s' + line.dataset.from));
    const b = box(document.getElementById('s' + line.dataset.to));
    const right = b.l > a.r;
    const left = b.r < a.l;
    set(line, right ? a.r : left ? a.l : a.r, (a.t + a.b) / 2, right ? b.l : left ? b.r : b.r, (b.t + b.b) / 2);
  }
}
place();
addEventListener('resize', place);
</script>
</body></html>
`;
}

/** The model's fields after each step (index 0: the initial state), as [path, value] pairs, then the stores still buffered. */
function statesAfterEachStep(prog: Program, raw: readonly RawStep[]): [string, string][][] {
  const m = new Machine(prog);
  m.init();
  const slots = prog.layout.slots.filter((s) => !s.path.startsWith('$sb') && !/\.(sp|stack\[\d+\])$/.test(s.path));
  const snap = () => [...slots.map((s) => [displayPath(prog, s.path), m.render(s.index)] as [string, string]), ...bufferedStores(prog, m.cur)];
  const out = [snap()];
  for (const r of raw) {
    const st = prog.steps[r.step];
    m.enabled(st, r.actor, r.choice);
    m.apply(st, r.actor);
    out.push(snap());
  }
  return out;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
