// Independent reference for the calibration model shootdown(cpus=N, gens=G): a deliberately
// naive breadth-first search over the model's semantics, with states kept as strings in a Set.
// It shares no code with lazytlb, SPIN or rumur; it exists only to cross-check their state
// counts (and the no-stale-user verdict) on small configurations.
//
//   npx tsx bench/shootdown-count.ts 4 3            # counts for shootdown(4,3)
//   npx tsx bench/shootdown-count.ts 4 3 --buggy    # flushOnUnlazy=false: expect a violation

import { pathToFileURL } from 'node:url';

/** Per-CPU state. mode: 0 = kthread, 1 = user. */
interface Cpu {
  mode: 0 | 1;
  lazy: boolean;
  inMask: boolean;
  loaded: boolean;
  ipiPending: boolean;
  localGen: number;
}
interface State {
  cpus: Cpu[];
  mmGen: number;
  flushing: boolean;
}

export interface ShootdownParams {
  cpus: number;
  gens: number;
  flushOnUnlazy: boolean;
}

export interface CountResult {
  states: number;
  transitions: number; // fired (enabled) steps, counted over all reachable states
  depth: number; // BFS depth: longest shortest path from the initial state
  violation: boolean; // some reachable state breaks no-stale-user
}

const b = (x: boolean): string => (x ? '1' : '0');
const encode = (s: State): string =>
  s.cpus.map((c) => `${c.mode}${b(c.lazy)}${b(c.inMask)}${b(c.loaded)}${b(c.ipiPending)}${c.localGen}`).join('.') +
  `|${s.mmGen}${b(s.flushing)}`;
const clone = (s: State): State => ({ cpus: s.cpus.map((c) => ({ ...c })), mmGen: s.mmGen, flushing: s.flushing });

/** Invariant no-stale-user: a CPU running user code outside a flush has an up-to-date TLB. */
export const noStaleUser = (s: State): boolean =>
  s.cpus.every((c) => !(c.mode === 1 && !s.flushing) || c.localGen === s.mmGen);

/** All successors of s, one per enabled atomic step (the six step kinds of the model). */
export function successors(s: State, p: ShootdownParams): State[] {
  const out: State[] = [];
  for (let c = 0; c < p.cpus; c++) {
    const me = s.cpus[c];
    // switch_to_user(c)
    if (me.mode === 0 && !me.ipiPending) {
      const t = clone(s), x = t.cpus[c];
      if (x.lazy) {
        x.lazy = false;
        if (p.flushOnUnlazy && x.localGen !== t.mmGen) x.localGen = t.mmGen;
      } else {
        x.inMask = true;
        x.loaded = true;
        x.localGen = t.mmGen;
      }
      x.mode = 1;
      out.push(t);
    }
    // switch_to_kthread(c)
    if (me.mode === 1 && !me.ipiPending) {
      const t = clone(s), x = t.cpus[c];
      x.lazy = true;
      x.mode = 0;
      out.push(t);
    }
    // leave_mm(c)
    if (me.mode === 0 && me.lazy && !me.ipiPending) {
      const t = clone(s), x = t.cpus[c];
      x.lazy = x.loaded = x.inMask = false;
      out.push(t);
    }
    // flush_ipi(c)
    if (me.ipiPending) {
      const t = clone(s), x = t.cpus[c];
      if (x.loaded) {
        if (x.lazy) x.lazy = x.loaded = x.inMask = false;
        else x.localGen = t.mmGen;
      }
      x.ipiPending = false;
      out.push(t);
    }
    // flush_start(c)
    if (!s.flushing && me.mode === 1 && s.mmGen < p.gens) {
      const t = clone(s);
      t.mmGen += 1;
      t.cpus[c].localGen = t.mmGen;
      t.flushing = true;
      t.cpus.forEach((d, i) => {
        if (i !== c && d.inMask && !d.lazy) d.ipiPending = true;
      });
      out.push(t);
    }
  }
  // flush_done
  if (s.flushing && s.cpus.every((c) => !c.ipiPending)) {
    const t = clone(s);
    t.flushing = false;
    out.push(t);
  }
  return out;
}

export function initialState(p: ShootdownParams): State {
  const cpus: Cpu[] = [];
  for (let c = 0; c < p.cpus; c++)
    cpus.push({ mode: 0, lazy: false, inMask: false, loaded: false, ipiPending: false, localGen: 0 });
  return { cpus, mmGen: 0, flushing: false };
}

/** Reachable states of shootdown(N,G) with flushOnUnlazy=true, as measured by this BFS and
 *  matched exactly by SPIN (-DNOREDUCE) and rumur (no symmetry); lazytlb must reproduce them. */
export const EXPECTED_STATES: Record<string, number> = {
  'shootdown(2,2)': 129,
  'shootdown(3,3)': 2169,
  'shootdown(4,3)': 20385,
  'shootdown(5,5)': 1156893,
  'shootdown(6,3)': 1789425,
};

/** Exhaustive BFS; with stopAtViolation it returns as soon as a violating state is found. */
export function countShootdown(p: ShootdownParams, stopAtViolation = false): CountResult {
  const init = initialState(p);
  const seen = new Set<string>([encode(init)]);
  let frontier = [init];
  let transitions = 0, depth = 0, violation = !noStaleUser(init);
  while (frontier.length > 0) {
    const next: State[] = [];
    for (const s of frontier)
      for (const t of successors(s, p)) {
        transitions++;
        const k = encode(t);
        if (seen.has(k)) continue;
        seen.add(k);
        if (!noStaleUser(t)) {
          violation = true;
          if (stopAtViolation) return { states: seen.size, transitions, depth: depth + 1, violation };
        }
        next.push(t);
      }
    if (next.length > 0) depth++;
    frontier = next;
  }
  return { states: seen.size, transitions, depth, violation };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [n, g] = process.argv.slice(2, 4).map(Number);
  const flushOnUnlazy = !process.argv.includes('--buggy');
  const configs = Number.isInteger(n) && Number.isInteger(g)
    ? [[n, g]]
    : [[2, 2], [3, 3], [4, 3], [5, 5], [6, 3]];
  for (const [cpus, gens] of configs) {
    const t0 = performance.now();
    const r = countShootdown({ cpus, gens, flushOnUnlazy });
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    console.log(`shootdown(${cpus},${gens}) flushOnUnlazy=${flushOnUnlazy}: states=${r.states} ` +
      `transitions=${r.transitions} depth=${r.depth} violation=${r.violation} (${secs}s)`);
  }
}
