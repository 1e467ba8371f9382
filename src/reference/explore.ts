// The reference explorer: a deliberately simple breadth-first search over Immutable.js states, used
// only to cross-check the fast explorer (src/engine) in differential tests. It interprets the same
// instances (model + variant + properties) with its own state representation, views and control-flow
// semantics, and nothing of the packed layout or the compiled step table.
//
// A state is one Immutable.Map from a key to a value:
//   `cpu[1].localGen`, `mmGen`        model fields (the value as the model sees it)
//   `#ghost0.doneVer[1]`              ghost field of property 0
//   `#pc.cpu[0]`, `#stack.cpu[0]`     pc (`proc:label` or 'idle') and return stack (a List of pcs) of an
//                                     actor whose kind has seq or idle-only procedures
//   `#frames.cpu[0]`                  the actor's frames, a List with one Map (local name → value) per
//                                     running call, innermost last: pushed fresh at a call or when an
//                                     entry procedure starts, popped at its return, replaced at a tail
//                                     call (a step's `x.locals` is the innermost frame)
//   `#sb.cpu[0]`                      under tso/weak: the CPU's store buffer, a List of [path, value]
//                                     Lists, oldest first (only `plain` model fields are buffered;
//                                     ghost state is never memory, so never buffered)
// Every model field starts at the first value of its domain, then model.init runs, then each
// property's init. Two states are the same when their Maps are equal (Immutable value equality).
//
// Transitions are tried in the language's order: actor kinds as declared, instances by index, at
// each actor's pc the seq step there (or, when idle, the first step of each entry procedure and the
// idle-only rules), then every other rule, the store-buffer drain last; choices in order. A monitor
// failure is reported with the failing transition (also when it leads to a stored state), an
// invariant is checked on each new state, a state without enabled transitions is a deadlock unless
// the model's `end` holds, and a ModelError is reported with the transition that raised it. After a
// complete search without a violation, the stuck-actor check (./stuck.ts) runs on the explored graph.
import { memoryModel } from '../lang/memory/index.ts';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { ModelError } from '../lang/errors.ts';
import { instantiate, type Instance, type InstanceOptions } from '../lang/instantiate.ts';
import type { ModelDef, StepCtx } from '../lang/model.ts';
import { wholeCheck, type EventHandler, type MonitorCtx, type PropertyDef } from '../lang/property.ts';
import type { RecordDecl } from '../lang/schema.ts';
import { collectFields, describeDomain, firstValue, inDomain, type Field, type Scalar } from './fields.ts';
import { buildSteps, IDLE_PC, type RefStep } from './steps.ts';
import { naiveStuck } from './stuck.ts';
import { naiveFairCycle } from './fair.ts';
import { livenessReason } from '../engine/liveness.ts';
// Only the wording of a stuck verdict is shared with the fast explorer, so that reasons compare as strings.
import { busyReason, stuckReason } from '../engine/stuck.ts';
import { noLocals } from '../engine/machine.ts';
import { recordView, type Access } from './view.ts';

export interface ReferenceOptions extends InstanceOptions {
  /** Report states with no enabled step that the model does not mark as an end (default true). */
  readonly deadlock?: boolean;
  /** Give up (verdict 'incomplete') once this many states are stored. */
  readonly maxStates?: number;
  /** After a complete search, report stuck actors and busy entries that can never end (default true). */
  readonly liveness?: boolean;
}

export interface ReferenceResult {
  readonly verdict: 'ok' | 'violation' | 'error' | 'incomplete';
  /** Distinct states stored (all reachable states for 'ok'). */
  readonly states: number;
  /** Transitions executed (enabled step, actor, choice triples applied). */
  readonly transitions: number;
  /** BFS level of the last state expanded (for 'ok': the largest level of any reachable state). */
  readonly depth: number;
  /** Violated property, 'deadlock', or 'model-error' for an error. */
  readonly property?: string;
  readonly kind?: 'invariant' | 'monitor' | 'deadlock' | 'stuck' | 'liveness' | 'error';
  readonly reason?: string;
  /** Transitions from the initial state to the violation (including the failing one). */
  readonly traceLength?: number;
  /** The trace, one `actor proc:label` (with ` [choice]` for a choosing step) per transition. */
  readonly trace?: readonly string[];
  /** Monitor violations: the failing transition led to a state that was already stored. */
  readonly intoVisited?: boolean;
}

type State = IMap<string, unknown>;
type Entry = List<string | Scalar>;

/** A linked list of the transitions that reached a state (shared between states, newest first). */
interface Path {
  readonly prev: Path | null;
  readonly step: string;
}

export function exploreReference<P extends string, F extends string, D extends RecordDecl>(
  model: ModelDef<P, F, D>,
  properties: readonly PropertyDef[],
  opts: ReferenceOptions = {},
): ReferenceResult {
  return exploreInstance(instantiate(model as unknown as ModelDef, properties, opts), opts);
}

export function exploreInstance(inst: Instance, opts: ReferenceOptions = {}): ReferenceResult {
  const deadlockCheck = opts.deadlock ?? true;
  const maxStates = opts.maxStates ?? Infinity;
  const table = buildSteps(inst);
  const buffered = memoryModel(inst.memory).drain !== null;
  const sbDepth = inst.model.storeBufferDepth ?? 2;
  const stackDepth = inst.model.stackDepth ?? 4;
  const kinds = Object.entries(inst.actors);

  // Fields: the model's, then each property's ghost fields under its own prefix.
  const fields = new Map<string, Field>();
  for (const f of collectFields(inst.decl, '', true)) fields.set(f.path, f);
  if (buffered) {
    if (inst.cpuKind === null) throw new ModelError(`memory ${inst.memory} needs a CPU actor`);
    if (![...fields.values()].some((f) => f.plain)) throw new ModelError(`memory ${inst.memory}: the model declares no plain fields`);
  }
  const ghostDecls = inst.properties.map((p) => (p.ghost ? p.ghost(inst.params) : null));
  ghostDecls.forEach((d, i) => {
    if (d) for (const f of collectFields(d, `#ghost${i}`, false)) fields.set(f.path, f);
  });

  // Monitors: event → handlers in property order.
  const declared = inst.model.events ?? {};
  const handlers = new Map<string, { prop: number; fn: EventHandler }[]>();
  for (const e of Object.keys(declared)) handlers.set(e, []);
  inst.properties.forEach((p, i) => {
    for (const [e, fn] of Object.entries(p.on ?? {})) {
      const hs = handlers.get(e);
      if (!hs) throw new ModelError(`property ${p.name} observes event '${e}', which the model does not emit`);
      hs.push({ prop: i, fn });
    }
  });

  // The machine's registers: the state being read and written, the executing CPU (-1: none; its
  // store buffer is bypassed), the step for messages, and the first monitor failure of a transition.
  let cur: State = IMap();
  let cpu = -1;
  let where = 'init';
  let failed: { prop: number; reason: string } | null = null;

  const sbKey = (c: number) => `#sb.cpu[${c}]`;
  const pcKey = (kind: string, a: number) => `#pc.${kind}[${a}]`;
  const stackKey = (kind: string, a: number) => `#stack.${kind}[${a}]`;
  const framesKey = (kind: string, a: number) => `#frames.${kind}[${a}]`;
  // Locals: each seq procedure's declaration and a fresh frame (every local at its first value).
  const localDecls = new Map(inst.procedures.filter((p) => p.kind === 'seq' && p.locals && Object.keys(p.locals).length > 0).map((p) => [p.name, p.locals!]));
  const freshFrame = (proc: string): IMap<string, Scalar> => IMap(Object.entries(localDecls.get(proc) ?? {}).map(([n, d]) => [n, firstValue(d)]));
  // The running step's actor (whose innermost frame `x.locals` reads).
  let runKind = '';
  let runActor = 0;
  const frameOf = (): List<IMap<string, Scalar>> => cur.get(framesKey(runKind, runActor)) as List<IMap<string, Scalar>>;
  const bufferOf = (c: number) => cur.get(sbKey(c)) as List<Entry>;

  /** Entry j (0 = oldest) of CPU c's buffer reaches memory; the younger entries move up. */
  const drainEntry = (c: number, j: number): void => {
    const buf = bufferOf(c);
    const e = buf.get(j)!;
    cur = cur.set(e.get(0) as string, e.get(1)).set(sbKey(c), buf.delete(j));
  };
  const drainAll = (c: number): void => {
    while (bufferOf(c).size > 0) drainEntry(c, 0);
  };
  /** Weak drain: entry j exists and no older entry of the buffer writes the same field. */
  const mayDrain = (c: number, j: number): boolean => {
    const buf = bufferOf(c);
    if (j >= buf.size) return false;
    const path = buf.get(j)!.get(0);
    for (let i = 0; i < j; i++) if (buf.get(i)!.get(0) === path) return false;
    return true;
  };

  const access: Access = {
    load(path) {
      const f = fields.get(path)!;
      if (buffered && f.plain && cpu >= 0) {
        const buf = bufferOf(cpu);
        for (let j = buf.size - 1; j >= 0; j--) if (buf.get(j)!.get(0) === path) return buf.get(j)!.get(1) as Scalar;
      }
      return cur.get(path) as Scalar;
    },
    store(path, v) {
      const f = fields.get(path)!;
      if (!inDomain(f.domain, v)) throw new ModelError(`${where}: ${path} = ${String(v)} is outside its domain ${describeDomain(f.domain)}`);
      if (buffered && f.plain && cpu >= 0) {
        // A full buffer first lets its oldest store reach memory (an execution TSO allows).
        if (bufferOf(cpu).size >= sbDepth) drainEntry(cpu, 0);
        cur = cur.set(sbKey(cpu), bufferOf(cpu).push(List<string | Scalar>([path, v])));
      } else {
        cur = cur.set(path, v);
      }
    },
    badIndex(path, i) {
      throw new ModelError(`${where}: index ${String(i)} outside ${path}`);
    },
  };
  const view = recordView(inst.decl, '', access);
  if (buffered) {
    // Properties ask whether a CPU's store buffer is empty through `s.$sb[c].n`, the number of
    // buffered stores (the fast explorer's view shows its buffer fields under that name).
    const sb = Array.from({ length: inst.actors[inst.cpuKind!] }, (_, c) =>
      Object.freeze({
        get n() {
          return bufferOf(c).size;
        },
      }),
    );
    Object.defineProperty(view, '$sb', { value: Object.freeze(sb), enumerable: false });
  }
  const ghosts = ghostDecls.map((d, i) => (d ? recordView(d, `#ghost${i}`, access) : null));
  const localViews = new Map(
    [...localDecls].map(([proc, decl]) => [
      proc,
      recordView(decl as RecordDecl, '', {
        load: (name) => frameOf().last()!.get(name)!,
        store(name, v) {
          const d = decl[name];
          if (!inDomain(d, v)) throw new ModelError(`${where}: local ${name} of ${proc} = ${String(v)} is outside its domain ${describeDomain(d)}`);
          const fr = frameOf();
          cur = cur.set(framesKey(runKind, runActor), fr.set(fr.size - 1, fr.last()!.set(name, v)));
        },
        badIndex: (path) => {
          throw new ModelError(`${where}: ${path} is not an array`);
        },
      }),
    ]),
  );

  /** Handlers see the state as the emitting CPU does (its own buffered stores included). */
  const emit = (event: string, a = 0, b = 0, c = 0): void => {
    const hs = handlers.get(event);
    if (!hs) throw new ModelError(`${where}: emits undeclared event '${event}'`);
    for (const h of hs) {
      const mon: MonitorCtx = {
        flags: inst.flags,
        params: inst.params,
        memory: inst.memory,
        fail(reason) {
          if (failed === null) failed = { prop: h.prop, reason };
        },
      };
      h.fn(view, ghosts[h.prop], mon, a, b, c);
    }
  };

  // Control flow requested by an effect; the last request wins.
  type Jump = { to: 'goto'; pc: string } | { to: 'call'; entry: string; ret: string | null } | { to: 'ret' } | null;

  const makeCtx = (st: RefStep, actor: number, choice: number, onJump: (j: Jump) => void): StepCtx => ({
    actor,
    choice,
    flags: inst.flags,
    params: inst.params,
    goto(label) {
      const pc = st.labels.get(label);
      if (pc === undefined) throw new ModelError(`${st.name}: goto unknown label '${label}'`);
      onJump({ to: 'goto', pc });
    },
    call(proc, returnTo) {
      const entry = table.entryOf(st.actorKind, proc);
      if (entry === undefined) throw new ModelError(`${st.name}: call of unknown procedure '${proc}'`);
      let ret: string | null;
      if (returnTo !== undefined) {
        const r = st.labels.get(returnTo);
        if (r === undefined) throw new ModelError(`${st.name}: call returns to unknown label '${returnTo}'`);
        ret = r;
      } else if (st.kind === 'seq') {
        ret = st.next; // the next step, or null from the last step: a tail call
      } else {
        ret = cur.get(pcKey(st.actorKind, actor)) as string; // an interrupt returns where it hit
      }
      onJump({ to: 'call', entry, ret });
    },
    ret() {
      onJump({ to: 'ret' });
    },
    emit,
    fence() {
      if (buffered && cpu >= 0) drainAll(cpu);
    },
    get locals() {
      const v = st.kind === 'seq' ? localViews.get(st.proc) : undefined;
      if (v === undefined) throw new ModelError(noLocals(st));
      return v;
    },
  });

  const pop = (kind: string, a: number): void => {
    const stack = cur.get(stackKey(kind, a)) as List<string>;
    const frames = cur.get(framesKey(kind, a)) as List<IMap<string, Scalar>>;
    cur = cur.set(framesKey(kind, a), frames.pop());
    if (stack.size === 0) cur = cur.set(pcKey(kind, a), IDLE_PC);
    else cur = cur.set(pcKey(kind, a), stack.last()!).set(stackKey(kind, a), stack.pop());
  };

  const setUp = (st: RefStep, actor: number): void => {
    cpu = st.actorKind === inst.cpuKind ? actor : -1;
    where = st.name;
    failed = null;
    runKind = st.actorKind;
    runActor = actor;
    // An entry procedure starting at an idle actor: its first step already runs in its own frame.
    if (st.kind === 'seq' && cur.get(pcKey(st.actorKind, actor)) === IDLE_PC) {
      cur = cur.set(framesKey(st.actorKind, actor), List([freshFrame(st.proc)]));
    }
  };

  const isEnabled = (state: State, st: RefStep, actor: number, choice: number): boolean => {
    cur = state;
    setUp(st, actor);
    if (st.drain === 'oldest') return bufferOf(cpu).size > 0;
    if (st.drain === 'any') return mayDrain(cpu, choice);
    if (st.when === null) return true;
    return !!st.when(view, actor, makeCtx(st, actor, choice, () => {}));
  };

  /** Applies an enabled step to `state`: the step's fence, its effect, then the control flow. */
  const apply = (state: State, st: RefStep, actor: number, choice: number): State => {
    cur = state;
    setUp(st, actor);
    if (st.drain !== null) {
      drainEntry(cpu, choice);
      return cur;
    }
    let jump: Jump = null;
    const x = makeCtx(st, actor, choice, (j) => (jump = j));
    if (st.fence && buffered && cpu >= 0) drainAll(cpu);
    if (st.do) st.do(view, actor, x);
    const j = jump as Jump;
    if (!table.withControl.has(st.actorKind)) {
      if (j !== null) throw new ModelError(`${st.name}: control flow in an actor without procedures`);
      return cur;
    }
    const k = st.actorKind;
    if (j === null) {
      if (st.kind === 'seq') {
        if (st.next !== null) cur = cur.set(pcKey(k, actor), st.next);
        else pop(k, actor);
      }
    } else if (j.to === 'goto') {
      cur = cur.set(pcKey(k, actor), j.pc);
    } else if (j.to === 'ret') {
      pop(k, actor);
    } else {
      const stack = cur.get(stackKey(k, actor)) as List<string>;
      if (stack.size >= stackDepth) throw new ModelError(`${st.name}: call stack of ${k}${actor} overflows its depth ${stackDepth}`);
      // A tail call (ret null) pushes nothing; neither does an interrupt of an idle actor.
      const frames = cur.get(framesKey(k, actor)) as List<IMap<string, Scalar>>;
      const callee = freshFrame(j.entry.slice(0, j.entry.lastIndexOf(':')));
      if (j.ret !== null && (j.ret !== IDLE_PC || stack.size > 0)) {
        cur = cur.set(stackKey(k, actor), stack.push(j.ret)).set(framesKey(k, actor), frames.push(callee));
      } else {
        // A tail call replaces the caller's frame; an interrupt of an idle actor starts the first one.
        cur = cur.set(framesKey(k, actor), frames.pop().push(callee));
      }
      cur = cur.set(pcKey(k, actor), j.entry);
    }
    return cur;
  };

  const checks = inst.properties.map((p) => wholeCheck(p, inst.actors));
  const invariantFailure = (state: State): { prop: number; reason: string } | null => {
    cur = state;
    cpu = -1;
    where = 'invariant';
    for (let i = 0; i < inst.properties.length; i++) {
      const check = checks[i];
      if (!check) continue;
      const r = check(view, ghosts[i], inst.params, inst.flags);
      if (r !== null) return { prop: i, reason: r };
    }
    return null;
  };

  const isEnd = (state: State): boolean => {
    cur = state;
    cpu = -1;
    where = 'end';
    return inst.model.end !== undefined && !!inst.model.end(view);
  };

  const pathToArray = (p: Path | null): string[] => {
    const out: string[] = [];
    for (let q = p; q !== null; q = q.prev) out.push(q.step);
    return out.reverse();
  };
  const propName = (i: number) => inst.properties[i].name;

  // The initial state.
  let transitions = 0;
  let depth = 0;
  const visited = ISet<State>().asMutable();
  const result = (verdict: ReferenceResult['verdict'], extra: Partial<ReferenceResult> = {}): ReferenceResult => ({
    verdict,
    states: visited.size,
    transitions,
    depth,
    ...extra,
  });
  const errorAt = (e: unknown, path: Path | null): ReferenceResult => {
    if (!(e instanceof ModelError)) throw e;
    const trace = pathToArray(path);
    return result('error', { property: 'model-error', kind: 'error', reason: e.message, traceLength: trace.length, trace });
  };

  let init: State;
  try {
    cur = IMap<string, unknown>().asMutable();
    for (const f of fields.values()) cur.set(f.path, firstValue(f.domain));
    for (const [kind, count] of kinds) {
      if (!table.withControl.has(kind)) continue;
      for (let a = 0; a < count; a++) cur.set(pcKey(kind, a), IDLE_PC).set(stackKey(kind, a), List<string>()).set(framesKey(kind, a), List<IMap<string, Scalar>>());
    }
    if (buffered) for (let c = 0; c < inst.actors[inst.cpuKind!]; c++) cur.set(sbKey(c), List<Entry>());
    cur = cur.asImmutable();
    cpu = -1;
    where = 'init';
    inst.model.init?.(view, inst.params, inst.flags);
    inst.properties.forEach((p, i) => p.init?.(ghosts[i], view, inst.params, inst.flags));
    init = cur;
  } catch (e) {
    return errorAt(e, null);
  }
  visited.add(init);
  // For the stuck check: each state's index (BFS order), successors, and the actors that took a step
  // of their procedures from it.
  const index = IMap<State, number>().asMutable();
  index.set(init, 0);
  const succ: number[][] = [];
  const succUnit: string[][] = []; // the fairness unit of each transition (the fair-cycle check)
  const seqMoved: Set<string>[] = [];
  try {
    const v = invariantFailure(init);
    if (v) return result('violation', { property: propName(v.prop), kind: 'invariant', reason: v.reason, traceLength: 0, trace: [] });
  } catch (e) {
    return errorAt(e, null);
  }

  const queue: { state: State; level: number; path: Path | null }[] = [{ state: init, level: 0, path: null }];
  for (let i = 0; i < queue.length; i++) {
    const { state, level, path } = queue[i];
    depth = level;
    if (visited.size >= maxStates) return result('incomplete');
    const mySucc: number[] = (succ[i] = []);
    const myUnits: string[] = (succUnit[i] = []);
    const myMoves = (seqMoved[i] = new Set<string>());
    let enabled = 0;
    for (const [kind, count] of kinds) {
      for (let a = 0; a < count; a++) {
        const pc = table.withControl.has(kind) ? (state.get(pcKey(kind, a)) as string) : IDLE_PC;
        for (const st of table.candidates(kind, pc)) {
          for (let ch = 0; ch < st.choices; ch++) {
            const here: Path = { prev: path, step: `${kind}${a} ${st.name}${st.choices > 1 ? ` [${ch}]` : ''}` };
            let next: State;
            try {
              if (!isEnabled(state, st, a, ch)) continue;
              enabled++;
              next = apply(state, st, a, ch);
            } catch (e) {
              return errorAt(e, here);
            }
            transitions++;
            const monitorFailure = failed as { prop: number; reason: string } | null;
            const isNew = !visited.has(next);
            if (isNew) {
              visited.add(next);
              index.set(next, queue.length);
              queue.push({ state: next, level: level + 1, path: here });
            }
            mySucc.push(index.get(next)!);
            myUnits.push(`${kind}${a} ${st.kind === 'seq' ? 'program' : st.proc}`);
            if (st.kind === 'seq') myMoves.add(`${kind}${a}`);
            if (monitorFailure !== null) {
              const trace = pathToArray(here);
              return result('violation', {
                property: propName(monitorFailure.prop),
                kind: 'monitor',
                reason: monitorFailure.reason,
                traceLength: trace.length,
                trace,
                intoVisited: !isNew,
              });
            }
            if (isNew) {
              let v: { prop: number; reason: string } | null;
              try {
                v = invariantFailure(next);
              } catch (e) {
                return errorAt(e, here);
              }
              if (v) {
                const trace = pathToArray(here);
                return result('violation', { property: propName(v.prop), kind: 'invariant', reason: v.reason, traceLength: trace.length, trace });
              }
            }
          }
        }
      }
    }
    if (enabled === 0 && deadlockCheck) {
      let end: boolean;
      try {
        end = isEnd(state);
      } catch (e) {
        return errorAt(e, path);
      }
      if (!end) {
        const trace = pathToArray(path);
        return result('violation', {
          property: 'deadlock',
          kind: 'deadlock',
          reason: 'no step is enabled in a state the model does not mark as an allowed end',
          traceLength: trace.length,
          trace,
        });
      }
    }
  }
  if (opts.liveness === false) return result('ok');

  // The obligations: each actor with control state, then the model's busy entries.
  const actors = kinds.filter(([kind]) => table.withControl.has(kind)).flatMap(([kind, count]) => Array.from({ length: count }, (_, a) => ({ kind, a })));
  const busy = Object.entries(inst.model.busy?.(inst.params, inst.flags) ?? {});
  const busyAt = (b: number, v: number): number => {
    cur = queue[v].state;
    cpu = -1;
    where = 'busy';
    return busy[b][1].at(view);
  };
  const atMemo = busy.map(() => new Map<number, number>());
  const at = (b: number, v: number): number => {
    if (!atMemo[b].has(v)) atMemo[b].set(v, busyAt(b, v));
    return atMemo[b].get(v)!;
  };
  const A = actors.length;
  // A state where an actor waits at a step whose scope bound is used up (`bounded`) ends the explored
  // behaviour: every obligation is at rest there.
  const boundedAt = new Map<string, (s: unknown, a: number) => boolean>();
  for (const p of inst.procedures) if (p.kind === 'seq') for (const d of p.steps) if (d.bounded) boundedAt.set(`${p.name}:${d.label}`, d.bounded);
  const cutMemo = new Map<number, boolean>();
  const cut = (v: number): boolean => {
    if (!cutMemo.has(v)) {
      cur = queue[v].state;
      cpu = -1;
      where = 'bounded';
      cutMemo.set(v, actors.some(({ kind, a }) => boundedAt.get(cur.get(pcKey(kind, a)) as string)?.(view, a) === true));
    }
    return cutMemo.get(v)!;
  };
  const found = naiveStuck({
    succ,
    obligations: A + busy.length,
    rest: (j, v) => cut(v) || (j < A ? queue[v].state.get(pcKey(actors[j].kind, actors[j].a)) === IDLE_PC : at(j - A, v) === 0),
    moves: (j, v) => (j < A ? seqMoved[v].has(`${actors[j].kind}${actors[j].a}`) : succ[v].some((w) => at(j - A, w) !== at(j - A, v))),
  });
  if (found === null) {
    // No stuck actor: the liveness properties, as weakly fair cycles (./fair.ts).
    for (const [pi, prop] of inst.properties.entries()) {
      const c = prop.kind === 'liveness' ? prop.completes : undefined;
      if (c === undefined) continue;
      const found = (open: (v: number) => boolean, who: (v: number) => [string, string, string | null]) => {
        const v = naiveFairCycle({ succ, units: succUnit }, (u) => !cut(u) && open(u));
        if (v < 0) return null;
        const trace = pathToArray(queue[v].path);
        return result('violation', { property: inst.properties[pi].name, kind: 'liveness', reason: livenessReason(...who(v)), traceLength: trace.length, trace });
      };
      if ('busy' in c) {
        const b = busy.findIndex(([name]) => name === c.busy);
        const r = found((v) => at(b, v) !== 0, (v) => {
          cur = queue[v].state;
          cpu = -1;
          return [c.busy, busy[b][1].what(view), null];
        });
        if (r) return r;
        continue;
      }
      const kind = table.steps.find((x) => x.proc === c.procedure && x.kind === 'seq')?.actorKind;
      if (kind === undefined) continue;
      const inProc = (pc: string) => pc.startsWith(`${c.procedure}:`);
      for (let a = 0; a < inst.actors[kind]; a++) {
        const r = found(
          (v) => inProc(queue[v].state.get(pcKey(kind, a)) as string) || (queue[v].state.get(stackKey(kind, a)) as List<string>).some(inProc),
          (v) => {
            const pc = queue[v].state.get(pcKey(kind, a)) as string;
            const st = table.steps.find((x) => x.actorKind === kind && x.kind === 'seq' && x.name === pc);
            return [`${kind}${a}`, c.procedure, st ? `${st.name} (${st.text})` : pc];
          },
        );
        if (r) return r;
      }
    }
    return result('ok');
  }
  const { state, path } = queue[found.state];
  let reason: string;
  if (found.obligation >= A) {
    const [name, def] = busy[found.obligation - A];
    cur = state;
    cpu = -1;
    reason = busyReason(name, def.what(view), found.how === 'forever');
  } else {
    const { kind, a } = actors[found.obligation];
    const pc = state.get(pcKey(kind, a)) as string;
    const callers = (state.get(stackKey(kind, a)) as List<string>).reverse().toArray();
    const st = table.steps.find((x) => x.actorKind === kind && x.kind === 'seq' && x.name === pc)!;
    reason = stuckReason(`${kind}${a}`, pc, st.text, callers, found.how);
  }
  const trace = pathToArray(path);
  return result('violation', { property: 'stuck', kind: 'stuck', reason, traceLength: trace.length, trace });
}
