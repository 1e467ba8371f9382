// Shrinking a counterexample to one a person can read, criteria in this order: (1) the shortest
// length at which the same property fails, (2) the fewest CPU switches at that length: points where
// the next step is another actor's than the last one (a breadth-first search bounded by preemptions,
// as in iterative context bounding; not the kernel's context_switch(), which is a step like any
// other), (3) no step the violation does not depend on, and (4) the smallest params under which the
// property still fails within that length. Each search is bounded (maxStates); a bound that is hit
// leaves that criterion as it was and says so. The result is a real, replayable trace of the same
// property.
import { candidatesAt, compile, type Program } from '../lang/compile.ts';
import { asModelError, UsageError } from '../lang/errors.ts';
import { instantiate, type InstanceOptions } from '../lang/instantiate.ts';
import type { AnyModel } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';
import { traceTo, type RawStep } from '../engine/bfs.ts';
import { encodeVia } from '../engine/via.ts';
import { Machine } from '../engine/machine.ts';
import { NO_PARENT, StateStore } from '../engine/store.ts';
import { replayRaw } from './replay.ts';

export interface ShrinkInput {
  readonly model: AnyModel;
  readonly properties: readonly PropertyDef[];
  readonly options: InstanceOptions;
  readonly property: string;
  readonly trace: readonly RawStep[];
}

export interface ShrinkResult {
  readonly program: Program;
  readonly params: Readonly<Record<string, number>>;
  readonly trace: readonly RawStep[];
  /** Steps whose removal makes the violation disappear (all of them, for a shortest trace). */
  readonly matters: readonly boolean[];
  readonly from: { readonly length: number; readonly switches: number; readonly params: Readonly<Record<string, number>> };
  readonly to: { readonly length: number; readonly switches: number };
  /** Criteria that could not be decided within the bound. */
  readonly incomplete: readonly string[];
}

/** CPU switches of a trace: steps taken by another actor than the step before. */
export function switches(prog: Program, t: readonly RawStep[]): number {
  let n = 0;
  for (let i = 1; i < t.length; i++) if (actorCode(prog, t[i]) !== actorCode(prog, t[i - 1])) n++;
  return n;
}

function actorCode(prog: Program, r: RawStep): number {
  return prog.actorKinds.findIndex((k) => k.name === prog.steps[r.step].actorKind) * 256 + r.actor;
}

export function shrink(input: ShrinkInput, maxStates = 2_000_000): ShrinkResult {
  const incomplete: string[] = [];
  let prog = compile(instantiate(input.model, input.properties, input.options));
  const fromParams = prog.instance.params;
  let trace = removeIrrelevant(prog, input.property, input.trace);
  const from = { length: input.trace.length, switches: switches(prog, input.trace), params: fromParams };

  // (1) Shortest length at the given params.
  const shortest = boundedSearch(prog, input.property, trace.length, Infinity, maxStates);
  if (shortest.trace) trace = shortest.trace;
  else if (shortest.hitLimit) incomplete.push(`shortest length (search stopped at ${maxStates} states)`);
  // (4) Smallest params that keep that length: lower one param at a time while a search bounded by the
  // current length still finds the property violated (criteria are ordered: length before params).
  let params: Record<string, number> = { ...fromParams };
  for (const [name, spec] of Object.entries(input.model.params)) {
    for (let v = spec.min; v < params[name]; v++) {
      // A scope the model cannot be built or started in (a usage or model error) is skipped.
      let p: Program;
      let found: ReturnType<typeof boundedSearch>;
      try {
        p = compile(instantiate(input.model, input.properties, { ...input.options, params: { ...params, [name]: v } }));
        found = boundedSearch(p, input.property, trace.length, Infinity, maxStates);
      } catch (e) {
        if (e instanceof UsageError || asModelError(e) !== null) continue;
        throw e;
      }
      if (found.trace) {
        params = { ...params, [name]: v };
        prog = p;
        trace = found.trace;
        break;
      }
    }
  }
  // (2) Fewest CPU switches at that length.
  for (let k = 0; k < switches(prog, trace); k++) {
    const r = boundedSearch(prog, input.property, trace.length, k, maxStates);
    if (r.trace) {
      trace = r.trace;
      break;
    }
    if (r.hitLimit) {
      incomplete.push(`fewest CPU switches (search stopped at ${maxStates} states)`);
      break;
    }
  }
  // (3) Drop steps the violation does not need (none remain in a shortest trace; kept for the bounded case).
  trace = removeIrrelevant(prog, input.property, trace);
  const matters = trace.map((_, i) => !violates(prog, input.property, [...trace.slice(0, i), ...trace.slice(i + 1)]));
  return { program: prog, params, trace, matters, from, to: { length: trace.length, switches: switches(prog, trace) }, incomplete };
}

function violates(prog: Program, property: string, t: readonly RawStep[]): boolean {
  const o = replayRaw(prog, t);
  return o.status === 'violates' && o.property === property;
}

/** Greedy delta: remove single steps while the same property still fails (and the rest still applies). */
function removeIrrelevant(prog: Program, property: string, t: readonly RawStep[]): RawStep[] {
  let cur = [...t];
  const o = replayRaw(prog, cur);
  if (o.status === 'violates' && o.property === property) cur = cur.slice(0, o.at + 1);
  for (let i = cur.length - 1; i >= 0; i--) {
    const cand = [...cur.slice(0, i), ...cur.slice(i + 1)];
    const r = replayRaw(prog, cand);
    if (r.status === 'violates' && r.property === property) cur = cand.slice(0, r.at + 1);
  }
  return cur;
}

/**
 * Breadth-first search for a violation of `property` within `maxDepth` steps and at most `maxSwitches`
 * CPU switches; the state is extended with (last actor, switches) so that bounding is exact.
 */
export function boundedSearch(prog: Program, property: string, maxDepth: number, maxSwitches: number, maxStates: number): { trace?: RawStep[]; hitLimit: boolean } {
  const propIndex = prog.instance.properties.findIndex((p) => p.name === property);
  const W = prog.words + 1;
  const store = new StateStore(W, 1 << 12);
  const m = new Machine(prog);
  const base = new Int32Array(m.cur.length);
  const packed = new Uint32Array(W);
  const buf = new Uint32Array(W);
  const NONE = 0xffff;
  // Without a bound on CPU switches the last actor and the switch count are not kept: they would
  // only split each state into copies that differ in history.
  const track = Number.isFinite(maxSwitches);
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
  for (let id = 0; id < store.count; id++) {
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
      const k = prog.actorKinds[ki];
      for (let a = 0; a < k.count; a++) {
        const code = ki * 256 + a;
        const nsw = last === NONE || last === code ? sw : sw + 1;
        if (nsw > maxSwitches) continue;
        for (const sid of candidatesAt(k, base, a)) {
          const st = prog.steps[sid];
          for (let ch = 0; ch < st.choices; ch++) {
            m.restart(base);
            try {
              if (!m.enabled(st, a, ch)) continue;
              m.apply(st, a);
            } catch (e) {
              if (asModelError(e)) continue;
              throw e;
            }
            const v = m.violation !== null ? m.violation : m.checkInvariants();
            // The trace is the path to the state being expanded, then the transition that failed.
            if (v !== null && v.prop === propIndex) return { trace: [...traceTo(store, id), { step: sid, actor: a, choice: ch }], hitLimit: false };
            pack(code, nsw);
            store.insert(buf, id, encodeVia(sid, a, ch));
          }
        }
      }
    }
  }
  return { hitLimit: false };
}
