// The reference's fair-cycle check, computed the slow, obvious way: for every state v where the
// obligation is open, the states on a cycle through v inside the open states are those reachable from
// v and reaching v (a forward and a backward search restricted to open states); that set has a weakly
// fair cycle when it has an inner edge and every fairness unit enabled in all its states takes a step
// on an inner edge. The first such v in BFS order is the answer. The fast check (src/engine/liveness.ts,
// Tarjan's components) answers the same; the differential tests compare the two.

export interface FairCycleGraph {
  /** Successors of each state, by index (BFS order). */
  readonly succ: readonly (readonly number[])[];
  /** The fairness unit of each transition, parallel to succ (`cpu0 program`, `cpu1 ipi`). */
  readonly units: readonly (readonly string[])[];
}

/** The smallest state on a weakly fair cycle of states where `open` holds, or -1. */
export function naiveFairCycle(g: FairCycleGraph, open: (v: number) => boolean): number {
  const V = g.succ.length;
  const pred: number[][] = Array.from({ length: V }, () => []);
  g.succ.forEach((ws, v) => ws.forEach((w) => pred[w].push(v)));
  const reach = (from: number, next: readonly (readonly number[])[]): Set<number> => {
    const seen = new Set([from]);
    const todo = [from];
    while (todo.length > 0) for (const w of next[todo.pop()!]) if (open(w) && !seen.has(w)) (seen.add(w), todo.push(w));
    return seen;
  };
  for (let v = 0; v < V; v++) {
    if (!open(v)) continue;
    const fwd = reach(v, g.succ);
    const bwd = reach(v, pred);
    const cycle = [...fwd].filter((u) => bwd.has(u));
    const inC = new Set(cycle);
    let inner = false;
    const taken = new Set<string>();
    const enabledIn = new Map<string, number>();
    for (const u of cycle) {
      new Set(g.units[u]).forEach((x) => enabledIn.set(x, (enabledIn.get(x) ?? 0) + 1));
      g.succ[u].forEach((w, i) => {
        if (!inC.has(w)) return;
        inner = true;
        taken.add(g.units[u][i]);
      });
    }
    if (inner && [...enabledIn].every(([x, n]) => taken.has(x) || n < cycle.length)) return v;
  }
  return -1;
}
