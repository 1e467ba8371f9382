// The preemption-bounded search the shrinker uses: breadth-first, for a violation of one property
// within `maxDepth` steps and at most `maxSwitches` CPU switches (points where the next step is another
// actor's than the last one, as in iterative context bounding). The state is extended with (last
// actor, switches) so that the bound is exact. A transition raising a model error is skipped: the
// search looks for the property, not for errors.
import type { Program } from '../lang/compile.ts';
import { Expander } from './expander.ts';
import { traceTo } from './paths.ts';
import { NO_PARENT, StateStore } from './store.ts';
import { encodeVia, type RawStep } from './via.ts';

export function boundedSearch(prog: Program, property: string, maxDepth: number, maxSwitches: number, maxStates: number): { trace?: RawStep[]; hitLimit: boolean } {
  const propIndex = prog.instance.properties.findIndex((p) => p.name === property);
  const W = prog.words + 1;
  const store = new StateStore(W, 1 << 12);
  const packed = new Uint32Array(W);
  const buf = new Uint32Array(W);
  const NONE = 0xffff;
  // Without a bound on CPU switches the last actor and the switch count are not kept: they would
  // only split each state into copies that differ in history.
  const track = Number.isFinite(maxSwitches);
  // The state being expanded, the actor's code and switch count after its step, and the trace found.
  let id = 0;
  let code = 0;
  let nsw = 0;
  let found: RawStep[] | undefined;
  const ex: Expander = new Expander(
    prog,
    (step, actor, choice, outcome) => {
      if (outcome === 'error') return false;
      const v = ex.machine.violation !== null ? ex.machine.violation : ex.machine.checkInvariants();
      // The trace is the path to the state being expanded, then the transition that failed.
      if (v !== null && v.prop === propIndex) {
        found = [...traceTo(store, id), { step, actor, choice }];
        return true;
      }
      pack(code, nsw);
      store.insert(buf, id, encodeVia(step, actor, choice));
      return false;
    },
    { skipErrors: true },
  );
  const m = ex.machine;
  const base = new Int32Array(m.cur.length);
  const pack = (last: number, sw: number) => {
    prog.pack(m.cur, buf, 0);
    buf[W - 1] = track ? (sw << 16) | last : 0;
  };
  m.init();
  if (m.checkInvariants()?.prop === propIndex) return { trace: [], hitLimit: false };
  pack(NONE, 0);
  store.insert(buf, NO_PARENT, 0);
  let depth = 0;
  let levelEnd = 1;
  for (id = 0; id < store.count; id++) {
    if (id === levelEnd) {
      depth++;
      levelEnd = store.count;
    }
    if (depth >= maxDepth) break;
    if (store.count > maxStates) return { hitLimit: true };
    store.read(id, packed);
    prog.unpack(packed, 0, base);
    const extra = packed[W - 1];
    const last = extra & 0xffff;
    const sw = extra >>> 16;
    for (let ki = 0; ki < prog.actorKinds.length; ki++) {
      for (let a = 0; a < prog.actorKinds[ki].count; a++) {
        code = ki * 256 + a;
        nsw = last === NONE || last === code ? sw : sw + 1;
        if (nsw > maxSwitches) continue;
        const end = ex.expandActor(base, ki, a);
        if (end === 'stopped') return { trace: found, hitLimit: false };
        if (end === 'error') throw ex.error; // an invariant's own model error (transitions' errors are skipped)
      }
    }
  }
  return { hitLimit: false };
}
