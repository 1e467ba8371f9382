// The agreement checks between the full search, the reduced searches and the reference explorer,
// for one model: shared by the reduction tests (test/reference/reductions.test.ts) and the fuzzer
// (test/fuzz/fuzz.fuzz.ts, `npm run fuzz`).
import { expect } from 'vitest';
import { exploreBfs, type ExploreOptions, type ExploreResult, type RawStep } from '../../src/engine/bfs.ts';
import { check, type CheckOptions, type CheckResult } from '../../src/pipeline/check.ts';
import { Machine } from '../../src/engine/machine.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile, type Program } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import type { LayoutNode } from '../../src/lang/layout.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import type { PropertyDef } from '../../src/lang/property.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import type { CexStep } from '../../src/trace/cexfile.ts';
import { replay } from '../../src/trace/replay.ts';
import type { RandomModel } from './arbitrary-model.ts';
import { differences } from './compare.ts';
import { count, type Tally } from './tally.ts';

/** Random models above this many states are skipped (fast-check draws another). */
const MAX_STATES = 2000;


export interface Reduction {
  readonly por?: boolean;
  readonly symmetry?: boolean;
  readonly sleep?: boolean;
}
export const reductions = (symmetric: boolean): Reduction[] => [
  { por: true },
  { sleep: true },
  { por: true, sleep: true },
  ...(symmetric ? [{ symmetry: true }, { por: true, symmetry: true }, { por: true, symmetry: true, sleep: true }] : []),
];
export const nameOf = (r: Reduction) => [r.por ? 'por' : '', r.symmetry ? 'symmetry' : '', r.sleep ? 'sleep' : ''].filter(Boolean).join('+');

// ---------------------------------------------------------------------------------------------
// Orbits by brute force

/** A slot's address: record fields and array positions, positions in arrays indexed by an object kind kept apart. */
type Part = string | { readonly of: string; readonly i: number };

function addresses(root: LayoutNode): Part[][] {
  const out: Part[][] = [];
  const walk = (n: LayoutNode, at: Part[]): void => {
    if (n.kind === 'scalar') out[n.slot.index] = at;
    else if (n.kind === 'record') for (const [name, sub] of n.fields) walk(sub, [...at, `.${name}`]);
    else n.elems.forEach((e, i) => walk(e, [...at, n.index ? { of: n.index, i } : `[${i}]`]));
  };
  walk(root, []);
  return out;
}

/** The address with every member index renamed by `perm` (kind → new index of each member). */
const keyOf = (at: readonly Part[], perm: ReadonlyMap<string, readonly number[]>) =>
  at.map((p) => (typeof p === 'string' ? p : `[${p.of}:${perm.get(p.of)?.[p.i] ?? p.i}]`)).join('');

function orderings(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orderings([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** Every state a search stores, as its unpacked slots joined (a complete search: fails on anything but ok). */
export function storedStates(prog: Program, opts: ExploreOptions): string[] {
  const r = exploreBfs(prog, opts);
  expect(r.verdict).toBe('ok');
  const s = new Int32Array(prog.layout.slots.length);
  const packed = new Uint32Array(prog.words);
  return Array.from({ length: r.store.count }, (_, id) => {
    r.store.read(id, packed);
    prog.unpack(packed, 0, s);
    return s.join(',');
  });
}

/**
 * Orbits by brute force under the model's declared symmetries: a state is mapped by every combination
 * of permutations of each kind's movable members (array elements indexed by the kind move, references
 * to it and sets of it are renamed, store-buffer entries are renamed with the field they name), and
 * the smallest image (as joined slots) names its orbit.
 */
export function orbitsOf(prog: Program): { images: (state: string) => string[]; canon: (state: string) => string } {
  const { slots, root } = prog.layout;
  const specs = prog.instance.model.symmetry?.(prog.instance.params, prog.instance.flags) ?? [];
  const at = addresses(root);
  const members = new Map<string, number>(specs.map((s) => [s.of, 0]));
  const grow = (of: string, n: number) => members.has(of) && members.set(of, Math.max(members.get(of)!, n));
  for (const a of at) for (const p of a) if (typeof p !== 'string') grow(p.of, p.i + 1);
  for (const s of slots) if (s.domain.kind === 'ref' || s.domain.kind === 'set') grow(s.domain.of, s.domain.count);
  let perms: Map<string, number[]>[] = [new Map()];
  for (const spec of specs) {
    const n = members.get(spec.of)!;
    const movable = [...Array(n).keys()].filter((i) => !(spec.fixed ?? []).includes(i));
    perms = perms.flatMap((p) =>
      orderings(movable).map((order) => {
        const perm = [...Array(n).keys()];
        movable.forEach((m, j) => (perm[m] = order[j]));
        return new Map(p).set(spec.of, perm);
      }),
    );
  }
  const slotAt = new Map(at.map((a, slot) => [keyOf(a, new Map()), slot]));
  const plans = perms.map((perm) => ({
    to: Int32Array.from(at, (a) => slotAt.get(keyOf(a, perm))!),
    rename: slots.map((s) => {
      const d = s.domain;
      if ((d.kind !== 'ref' && d.kind !== 'set') || !perm.has(d.of)) return null;
      const p = perm.get(d.of)!;
      return Int32Array.from({ length: d.size }, (_, enc) => {
        if (d.kind === 'ref') {
          const v = enc + d.lo;
          return v >= 0 && v < d.count ? p[v] - d.lo : enc;
        }
        let w = 0;
        for (let b = 0; b < d.count; b++) if ((enc >> b) & 1) w |= 1 << p[b];
        return w;
      });
    }),
  }));
  const sb = prog.storeBuffers;
  const cpus = prog.instance.actors.cpu ?? 0;
  const img = new Int32Array(slots.length);
  const images = (state: string): string[] => {
    const s = Int32Array.from(state.split(','), Number);
    return plans.map(({ to, rename }) => {
      for (let k = 0; k < s.length; k++) img[to[k]] = rename[k] ? rename[k]![s[k]] : s[k];
      if (sb) {
        // A buffered store names its field (and holds its value): rename both.
        for (let c = 0; c < cpus; c++) {
          const b = sb.base + c * sb.stride;
          for (let j = 0; j < img[b]; j++) {
            const e = img[b + 1 + j];
            const pi = Math.floor(e / sb.valueRange);
            const field = sb.plainSlots[pi];
            const v = e - pi * sb.valueRange;
            img[b + 1 + j] = sb.plainIndex[to[field]] * sb.valueRange + (rename[field] ? rename[field]![v] : v);
          }
        }
      }
      return img.join(',');
    });
  };
  const canon = (state: string) => images(state).reduce((a, b) => (b < a ? b : a));
  return { images, canon };
}

// ---------------------------------------------------------------------------------------------
// Counterexamples replayed on the unreduced model

/** After `raw`, no transition is enabled and the state is not an allowed end. */
export function deadlocksAfter(prog: Program, raw: CheckResult['rawTrace']): boolean {
  const m = new Machine(prog);
  m.init();
  for (const r of raw ?? []) {
    const st = prog.steps[r.step];
    if (!m.enabled(st, r.actor, r.choice)) return false;
    m.apply(st, r.actor);
  }
  const base = Int32Array.from(m.cur);
  for (let ki = 0; ki < prog.actorKinds.length; ki++) {
    const k = prog.actorKinds[ki];
    for (let a = 0; a < k.count; a++) {
      for (const id of k.candidates[m.pcOf(ki, a)]) {
        for (let ch = 0; ch < prog.steps[id].choices; ch++) {
          m.cur.set(base);
          if (m.enabled(prog.steps[id], a, ch)) return false;
        }
      }
    }
  }
  m.cur.set(base);
  return !m.isEnd();
}

/** A counterexample given as steps, replayed on the unreduced model: the same finding, at its last step. */
export function expectReplays(prog: Program, steps: readonly CexStep[], raw: readonly RawStep[], property: string | undefined, at: string): void {
  const out = replay(prog, steps);
  const last = Math.max(0, steps.length - 1);
  if (property === 'model-error') {
    expect(out.status === 'not-applicable' && out.why.startsWith('model error') && out.at === last, `${at}: model error replays (${JSON.stringify(out)})`).toBe(true);
  } else if (property === 'deadlock') {
    expect(out.status, `${at}: deadlock trace replays`).toBe('no-violation');
    expect(deadlocksAfter(prog, raw), `${at}: the trace ends in a deadlock`).toBe(true);
  } else {
    expect(out.status === 'violates' ? { property: out.property, at: out.at } : out, `${at}: counterexample replays`).toEqual({ property, at: steps.length - 1 });
  }
}

/** Both counterexamples of a reduced search replay: the one check reports, and the search's own. */
export function expectTracesReplay(r: CheckResult, own: ExploreResult, at: string): void {
  const prog = r.program;
  const rows = r.trace ?? [];
  expect(rows.length, `${at}: trace rows`).toBe(r.rawTrace?.length ?? 0);
  const reported = rows.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
  expectReplays(prog, reported, r.rawTrace ?? [], r.property, `${at} (reported trace)`);
  // check() may replace a trace found under partial-order reduction by a shortest one from the
  // unreduced graph: the reduced search's own trace must replay too.
  const f = own.found!;
  const property = f.kind === 'deadlock' ? 'deadlock' : f.kind === 'error' ? 'model-error' : prog.instance.properties[f.prop].name;
  expect(property, `${at}: the reduced search's own finding`).toBe(r.property);
  const raw = own.trace ?? [];
  const steps = raw.map((x) => ({ actor: `${prog.steps[x.step].actorKind}${x.actor}`, procedure: prog.steps[x.step].proc, label: prog.steps[x.step].label, choice: x.choice }));
  expectReplays(prog, steps, raw, property, `${at} (the search's own trace)`);
}

// ---------------------------------------------------------------------------------------------
// One search, full and reduced

export interface Search {
  readonly model: ModelDef;
  readonly properties: readonly PropertyDef[];
  readonly opts: CheckOptions;
  readonly symmetric: boolean;
  /**
   * The reachable states are closed under the symmetries (a symmetric initial state too): then every
   * state a symmetric search stores is itself reachable. Otherwise it is in the orbit of one.
   */
  readonly symmetricInit: boolean;
  /** Compare the full search with the reference explorer too. */
  readonly reference: boolean;
  /**
   * Require the same verdict and property, not only that both find something. A search stops at its
   * first finding; when several are reachable (two properties, or a property and a model error), a
   * reduced search may meet another one first, so the exact comparison is made on one kind of finding
   * at a time.
   */
  readonly exact: boolean;
  /** A bound on every search (a larger full search is not compared). */
  readonly maxStates: number;
  /** Above this many states, stored states are not compared one by one, nor orbits counted (counts only). */
  readonly maxCompared: number;
  readonly what: string;
}

export const outcome = (r: { verdict: string; property?: string }) => `${r.verdict}${r.property ? ` ${r.property}` : ''}`;

/**
 * One of the two searches met a model error and the other a violation of the one property checked.
 * Exactness (`Search.exact`) rests on a search for model errors alone having found none; a property's
 * monitor can raise model errors of its own (an event's value stored outside its ghost field's
 * domain), which that search does not see. Then both findings are reachable and either may come first
 * (pinned in reductions.test.ts); each trace is still replayed on the unreduced model.
 */
const monitorError = (r: CheckResult, full: CheckResult) =>
  (r.property === 'model-error') !== (full.property === 'model-error') && r.verdict !== 'ok' && full.verdict !== 'ok';

/** Compares the reduced searches with the full one (given, or run here); false when the full search is too big. */
export function searchAgrees(x: Search, tally: Tally, given?: CheckResult): boolean {
  const full = given ?? check(x.model, x.properties, { ...x.opts, maxStates: x.maxStates, liveness: false });
  if (full.verdict === 'incomplete') {
    count(tally, 'searches too big');
    return false;
  }
  const prog = full.program;
  if (x.reference) {
    const ref = exploreReference(x.model, x.properties, { ...x.opts, liveness: false });
    expect(differences({ fast: full, ref }), `${x.what}: full search vs reference`).toEqual([]);
  }
  // A complete full search: its states, and their orbits.
  const deadlock = x.opts.deadlock ?? true;
  const reachable = full.verdict === 'ok' && full.states <= x.maxCompared ? storedStates(prog, { deadlock }) : null;
  if (reachable) expect(reachable.length, `${x.what}: the full search again`).toBe(full.states);
  const reachableSet = new Set(reachable);
  const orbit = x.symmetric && reachable ? orbitsOf(prog) : null;
  const orbits = orbit ? new Set(reachable!.map(orbit.canon)) : null;
  if (orbit && x.symmetricInit) {
    const outside = reachable!.find((k) => orbit.images(k).some((i) => !reachableSet.has(i)));
    expect(outside, `${x.what}: the reachable states are closed under the symmetries (the model is symmetric)`).toBeUndefined();
  }
  count(tally, `full ${full.verdict === 'violation' ? `violation ${full.property === 'deadlock' ? 'deadlock' : 'property'}` : full.verdict}`);
  // An invariant checked per CPU (PropertyDef.each): its writes stay invisible to partial-order reduction.
  const perCpu = x.properties.some((p) => p.each !== undefined);
  if (full.verdict === 'violation' && x.properties.some((p) => p.each !== undefined && p.name === full.property)) count(tally, 'per-CPU invariant violated');
  for (const red of reductions(x.symmetric)) {
    const r = check(x.model, x.properties, { ...x.opts, ...red, maxStates: x.maxStates, liveness: false });
    const at = `${x.what} ${nameOf(red)}`;
    expect(r.verdict, `${at}: complete`).not.toBe('incomplete');
    expect(r.verdict === 'ok', `${at}: ${outcome(r)}, full search ${outcome(full)}`).toBe(full.verdict === 'ok');
    if (x.exact && !monitorError(r, full)) expect(outcome(r), `${at}: outcome`).toBe(outcome(full));
    else if (outcome(r) !== outcome(full)) count(tally, 'first finding differs');
    if ((r.reductions.por?.ampleStates ?? 0) > 0) count(tally, `${nameOf(red)}: ample sets used`);
    if (perCpu && (r.reductions.por?.ampleStates ?? 0) > 0) count(tally, 'ample sets with a per-CPU invariant');
    if ((r.reductions.sleep?.slept ?? 0) > 0) count(tally, `${nameOf(red)}: transitions slept`);
    if ((r.reductions.sleep?.reopened ?? 0) > 0) count(tally, `${nameOf(red)}: states reopened`);
    if (full.verdict !== 'ok') {
      expectTracesReplay(r, exploreBfs(prog, { deadlock, ...red, maxStates: x.maxStates }), at);
      count(tally, 'reduced traces replayed');
      continue;
    }
    // One state per orbit of a reachable state: never more than the full search.
    expect(r.states, `${at}: states`).toBeLessThanOrEqual(full.states);
    if (r.states < full.states) count(tally, `${nameOf(red)}: fewer states`);
    // Sleep sets prune transitions, never states.
    if (red.sleep && !red.por && !red.symmetry) expect(r.states, `${at}: every state`).toBe(full.states);
    if (red.sleep && r.transitions < full.transitions) count(tally, `${nameOf(red)}: fewer transitions`);
    if (!reachable) continue;
    const stored = storedStates(prog, { deadlock, ...red });
    expect(stored.length, `${at}: the reduced search again`).toBe(r.states);
    if (!red.symmetry || x.symmetricInit) {
      // Every state the reduced search stores is a reachable state of the unreduced model.
      expect(stored.find((k) => !reachableSet.has(k)), `${at}: a stored state that is not reachable`).toBeUndefined();
    }
    if (red.symmetry) {
      // Every stored state is in the orbit of a reachable state; exactly one per orbit (with
      // partial-order reduction too: at most one).
      expect(stored.find((k) => !orbits!.has(orbit!.canon(k))), `${at}: a stored state outside every reachable orbit`).toBeUndefined();
      const n = orbits!.size;
      if (red.por) expect(r.states, `${at}: at most one state per orbit`).toBeLessThanOrEqual(n);
      else expect(r.states, `${at}: one state per orbit`).toBe(n);
    }
  }
  return true;
}

/**
 * Every check on one random model under one memory model; false when it is too big. As given (every
 * property, deadlocks on), against the reference too. Then, unless that found nothing (and so nothing
 * else is there to find), one kind of finding at a time, exactly: model errors alone (no property, no
 * deadlock check), deadlocks alone, each property alone. When a model error is reachable it may
 * pre-empt the other findings, so those are compared for "found something" only.
 */
export function agreeOnRandom(rm: RandomModel, memory: string, tally: Tally): boolean {
  // The safety search only: the stuck check under reductions is compared in stuck-differential.test.ts.
  const probe = check(rm.model, rm.properties, { memory, maxStates: MAX_STATES, liveness: false });
  if (probe.verdict === 'incomplete') return false;
  count(tally, `${memory} models`);
  const fp = verifyFootprints(compile(instantiate(rm.model, rm.properties, { memory })), { maxStates: MAX_STATES });
  expect(fp.problems, `${memory}: the generated model keeps its footprint declarations`).toEqual([]);
  const base = { model: rm.model, symmetric: rm.spec.symmetric === true, symmetricInit: true, maxStates: MAX_STATES, maxCompared: MAX_STATES };
  searchAgrees({ ...base, properties: rm.properties, opts: { memory }, reference: true, exact: false, what: `${memory} as given` }, tally, probe);
  if (probe.verdict === 'ok') return true;
  const errors = check(rm.model, [], { memory, deadlock: false, maxStates: MAX_STATES, liveness: false });
  if (!searchAgrees({ ...base, properties: [], opts: { memory, deadlock: false }, reference: false, exact: true, what: `${memory} model errors` }, tally, errors)) return true;
  const exact = errors.verdict === 'ok';
  searchAgrees({ ...base, properties: [], opts: { memory }, reference: false, exact, what: `${memory} deadlocks` }, tally);
  for (const p of rm.properties) searchAgrees({ ...base, properties: [p], opts: { memory, deadlock: false }, reference: false, exact, what: `${memory} ${p.name} alone` }, tally);
  return true;
}

