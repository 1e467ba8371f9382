// Paths through the store, and traces that are real executions of the unreduced model. Under
// symmetry the store holds one representative per orbit, and a stored transition leads from one
// representative to (a permutation of) the next; the real trace is rebuilt forward from the real
// initial state by finding, at each step, an enabled transition whose successor has the next stored
// representative. Every step of such a trace is enabled where it is taken, by construction.
import { candidatesAt, type Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import type { RawStep } from './bfs.ts';
import { Machine } from './machine.ts';
import { NO_PARENT, type VisitedStore } from './store.ts';
import type { Canonicalizer } from './symmetry.ts';

/** State ids from the initial state to `id`. */
export function pathTo(store: VisitedStore, id: number): number[] {
  const ids: number[] = [];
  for (let s = id; s !== NO_PARENT; s = store.parentOf(s)) ids.push(s);
  return ids.reverse();
}

/** Calls `f(step, actor, choice)` with `m.cur` holding each successor of `real`; stops when f returns true. */
function eachSuccessor(prog: Program, m: Machine, real: Int32Array, f: (st: number, a: number, ch: number) => boolean): boolean {
  for (const k of prog.actorKinds) {
    for (let a = 0; a < k.count; a++) {
      for (const id of candidatesAt(k, real, a)) {
        const st = prog.steps[id];
        for (let ch = 0; ch < st.choices; ch++) {
          m.restart(real);
          if (!m.enabled(st, a, ch)) continue;
          let threw = false;
          try {
            m.apply(st, a);
          } catch (e) {
            if (asModelError(e) === null) throw e;
            threw = true;
          }
          if (f(id, a, threw ? -1 - ch : ch)) return true;
        }
      }
    }
  }
  return false;
}

/**
 * With `monitorAtEnd`, the last transition must also make a monitor fail (a transition reaching the
 * same orbit without the failing event would not be a counterexample).
 */
export function realTrace(prog: Program, store: VisitedStore, canon: Canonicalizer, ids: readonly number[], monitorAtEnd = false, last?: Uint32Array): RawStep[] {
  const m = new Machine(prog);
  m.init();
  const real = Int32Array.from(m.cur);
  const rep = new Int32Array(real.length);
  const words = new Uint32Array(prog.words);
  const target = new Uint32Array(prog.words);
  const out: RawStep[] = [];
  // The targets: the stored states after the first, then `last` (a state that was stored before, reached
  // here by the transition that made a monitor fail).
  const steps = ids.length - 1 + (last ? 1 : 0);
  for (let k = 1; k <= steps; k++) {
    if (k < ids.length) store.read(ids[k], target);
    else target.set(last!);
    const found = eachSuccessor(prog, m, real, (step, actor, choice) => {
      if (choice < 0) return false;
      if (monitorAtEnd && k === steps && m.violation === null) return false;
      rep.set(m.cur);
      canon.canon(rep);
      prog.pack(rep, words, 0);
      for (let w = 0; w < prog.words; w++) if (words[w] !== target[w]) return false;
      out.push({ step, actor, choice });
      real.set(m.cur);
      return true;
    });
    if (!found) throw new Error(`internal: no real transition reaches stored state ${ids[k] ?? 'last'} (symmetry of the model is broken)`);
  }
  return out;
}

/** A real trace to the last state of `ids`, then a transition from it that raises a model error. */
export function realErrorTrace(prog: Program, store: VisitedStore, canon: Canonicalizer, ids: readonly number[]): RawStep[] {
  const out = realTrace(prog, store, canon, ids);
  const m = new Machine(prog);
  m.init();
  for (const r of out) {
    m.enabled(prog.steps[r.step], r.actor, r.choice);
    m.apply(prog.steps[r.step], r.actor);
  }
  const real = Int32Array.from(m.cur);
  eachSuccessor(prog, m, real, (step, actor, choice) => {
    if (choice >= 0) return false;
    out.push({ step, actor, choice: -1 - choice });
    return true;
  });
  return out;
}

/** The violation at the end of a real trace (its reason names the real CPUs, not the representative's). */
export function violationAtEnd(prog: Program, raw: readonly RawStep[]): { prop: number; reason: string } | null {
  const m = new Machine(prog);
  m.init();
  for (const r of raw) {
    m.violation = null;
    m.enabled(prog.steps[r.step], r.actor, r.choice);
    m.apply(prog.steps[r.step], r.actor);
  }
  return m.violation ?? m.checkInvariants();
}
