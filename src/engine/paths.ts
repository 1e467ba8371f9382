// Paths through the store, and traces that are real executions of the unreduced model. Under
// symmetry the store holds one representative per orbit, and a stored transition leads from one
// representative to (a permutation of) the next; the real trace is rebuilt forward from the real
// initial state by finding, at each step, an enabled transition whose successor has the next stored
// representative. Every step of such a trace is enabled where it is taken, by construction.
import type { Program } from '../lang/compile.ts';
import { Expander } from './expander.ts';
import type { Machine } from './machine.ts';
import { NO_PARENT, type VisitedStore } from './store.ts';
import type { Canonicalize } from './reductions/reduction.ts';
import { decodeVia, type RawStep } from './via.ts';

/** State ids from the initial state to `id`. */
export function pathTo(store: VisitedStore, id: number): number[] {
  const ids: number[] = [];
  for (let s = id; s !== NO_PARENT; s = store.parentOf(s)) ids.push(s);
  return ids.reverse();
}

/** The transitions from the initial state to stored state `id`, following parent links. */
export function traceTo(store: VisitedStore, id: number): RawStep[] {
  const out: RawStep[] = [];
  for (let s = id; store.parentOf(s) !== NO_PARENT; s = store.parentOf(s)) out.push(decodeVia(store.viaOf(s)));
  return out.reverse();
}

/**
 * With `monitorAtEnd`, the last transition must also make a monitor fail (a transition reaching the
 * same orbit without the failing event would not be a counterexample).
 */
export function realTrace(prog: Program, store: VisitedStore, canon: Canonicalize, ids: readonly number[], monitorAtEnd = false, last?: Uint32Array): RawStep[] {
  const rep = new Int32Array(prog.layout.slots.length);
  const words = new Uint32Array(prog.words);
  const target = new Uint32Array(prog.words);
  const out: RawStep[] = [];
  // The targets: the stored states after the first, then `last` (a state that was stored before, reached
  // here by the transition that made a monitor fail).
  const steps = ids.length - 1 + (last ? 1 : 0);
  let k = 1;
  // Transitions that raise a model error are skipped: they reach no stored state.
  const ex: Expander = new Expander(
    prog,
    (step, actor, choice, outcome) => {
      if (outcome === 'error') return false;
      const m = ex.machine;
      if (monitorAtEnd && k === steps && m.violation === null) return false;
      rep.set(m.cur);
      canon.canon(rep);
      prog.pack(rep, words, 0);
      for (let w = 0; w < prog.words; w++) if (words[w] !== target[w]) return false;
      out.push({ step, actor, choice });
      return true;
    },
    { skipErrors: true },
  );
  const real = initial(ex.machine);
  for (; k <= steps; k++) {
    if (k < ids.length) store.read(ids[k], target);
    else target.set(last!);
    if (ex.expand(real) !== 'stopped') throw new Error(`internal: no real transition reaches stored state ${ids[k] ?? 'last'} (symmetry of the model is broken)`);
    real.set(ex.machine.cur);
  }
  return out;
}

/** A real trace to the last state of `ids`, then a transition from it that raises a model error. */
export function realErrorTrace(prog: Program, store: VisitedStore, canon: Canonicalize, ids: readonly number[]): RawStep[] {
  const out = realTrace(prog, store, canon, ids);
  const ex = new Expander(prog, () => false);
  const real = replayed(ex, out);
  if (ex.expand(real) === 'error') out.push({ step: ex.failing.step, actor: ex.failing.actor, choice: ex.failing.choice });
  return out;
}

/** The violation at the end of a real trace (its reason names the real CPUs, not the representative's). */
export function violationAtEnd(prog: Program, raw: readonly RawStep[]): { prop: number; reason: string } | null {
  const ex = new Expander(prog, () => false);
  replayed(ex, raw);
  return ex.machine.violation ?? ex.machine.checkInvariants();
}

/** The initial state, in the machine and as a copy. */
function initial(m: Machine): Int32Array {
  m.init();
  return Int32Array.from(m.cur);
}

/** The state after the transitions `raw` (each enabled where it is taken), as a copy; the machine keeps the last one's violation. */
function replayed(ex: Expander, raw: readonly RawStep[]): Int32Array {
  initial(ex.machine);
  for (const r of raw) ex.take(r.step, r.actor, r.choice);
  return Int32Array.from(ex.machine.cur);
}
