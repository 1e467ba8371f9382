// A trace: the transitions of a counterexample replayed on the machine, each with what it changed.
// Rows name the actor, the kernel function and step id, and the nondeterministic choice, so a trace
// reads like a race report and can be stored by label (it outlives edits to the model's layout).
import type { Program } from '../lang/compile.ts';
import { renderValue } from '../lang/domain.ts';
import { Machine } from '../engine/machine.ts';
import { asModelError } from '../lang/errors.ts';
import type { RawStep } from '../engine/bfs.ts';

export interface Change {
  readonly path: string;
  readonly from: string;
  readonly to: string;
}

export interface TraceRow {
  /** Actor instance, e.g. `cpu1`, `flusher0`. */
  readonly actor: string;
  readonly actorKind: string;
  readonly actorIndex: number;
  readonly procedure: string;
  readonly label: string;
  readonly text: string;
  readonly choice: number;
  /** The choice rendered (`next=mm1`), or '' for a step without choices. */
  readonly choiceText: string;
  readonly changes: readonly Change[];
  /** After shrinking: whether the violation depends on this step (removing it makes it disappear). */
  readonly matters?: boolean;
}

/** Replays raw transitions from the initial state and records the visible changes of each. */
export function buildTrace(prog: Program, raw: readonly RawStep[]): TraceRow[] {
  const m = new Machine(prog);
  try {
    m.init();
  } catch (e) {
    if (asModelError(e) !== null) return []; // the initial state itself is the error (reported as the reason)
    throw e;
  }
  const before = new Int32Array(m.cur.length);
  const rows: TraceRow[] = [];
  for (const r of raw) {
    const st = prog.steps[r.step];
    before.set(m.cur);
    let changes: Change[] = [];
    try {
      if (!m.enabled(st, r.actor, r.choice)) throw new Error(`internal: trace step ${st.name} is not enabled`);
      m.apply(st, r.actor);
      changes = diff(prog, before, m.cur);
    } catch (e) {
      changes = [{ path: 'error', from: '', to: (e as Error).message }];
    }
    rows.push({
      actor: `${st.actorKind}${r.actor}`,
      actorKind: st.actorKind,
      actorIndex: r.actor,
      procedure: st.proc,
      label: st.label,
      text: st.text,
      choice: r.choice,
      choiceText: st.choiceName ? `${st.choiceName}=${st.choiceOf ? `${st.choiceOf}${r.choice}` : r.choice}` : '',
      changes,
    });
    if (changes.length > 0 && changes[0].path === 'error') break;
  }
  return rows;
}

function diff(prog: Program, a: Int32Array, b: Int32Array): Change[] {
  const out: Change[] = [];
  for (const s of prog.layout.slots) {
    if (a[s.index] === b[s.index]) continue;
    out.push({ path: displayPath(prog, s.path), from: show(prog, s.index, a[s.index]), to: show(prog, s.index, b[s.index]) });
  }
  return out;
}

function show(prog: Program, slot: number, i: number): string {
  const d = prog.layout.slots[slot].domain;
  return renderValue(d, d.kind === 'bool' ? i !== 0 : i + d.lo);
}

/** Internal fields read as what they are: `$ctl.cpu[0].pc` → `cpu0.pc`, ghost fields by property name. */
export function displayPath(prog: Program, path: string): string {
  let p = path.replace(/^\$ctl\.([A-Za-z_]+)\[(\d+)\]\./, '$1$2.').replace(/^\$sb\[(\d+)\]\./, 'cpu$1.storebuf.');
  const g = /^\$ghost\.p(\d+)\.(.*)$/.exec(p);
  if (g) p = `ghost(${prog.instance.properties[Number(g[1])].name}).${g[2]}`;
  return p;
}
