// The reference's stuck-actor check, computed the slow, obvious way: for every state and every
// obligation (an actor with control state, or a model's busy entry), an explicit forward search from
// that state over the whole reachable graph asks whether the obligation can still get back to rest,
// and whether it can still move. The fast check (src/engine/stuck.ts) answers the same with one
// backward search per obligation; the differential tests compare the two.

export interface StuckGraph {
  /** Successors of each state, by index (BFS order). */
  readonly succ: readonly (readonly number[])[];
  readonly obligations: number;
  /** Obligation j is at rest in state v. */
  rest(j: number, v: number): boolean;
  /** Obligation j can move in state v (a step of its procedures is enabled; a busy entry changes where it is). */
  moves(j: number, v: number): boolean;
}

export type StuckHow = 'forever' | 'blocked' | 'looping';

/**
 * The first obligation and state of the most definite kind: a busy state from which the obligation
 * can neither get back to rest nor move ('forever'), else one where it cannot get back to rest and is
 * blocked, else one where it cannot get back to rest; the earliest state, then the first obligation.
 */
export function naiveStuck(g: StuckGraph): { obligation: number; state: number; how: StuckHow } | null {
  const V = g.succ.length;
  const rank = { forever: 3, blocked: 2, looping: 1 };
  let best: { obligation: number; state: number; how: StuckHow } | null = null;
  const seen = new Int32Array(V).fill(-1); // seen[u] === v: u was reached in the search from v
  for (let j = 0; j < g.obligations; j++) {
    seen.fill(-1);
    let mine: { obligation: number; state: number; how: StuckHow } | null = null;
    for (let v = 0; v < V; v++) {
      if (g.rest(j, v)) continue;
      seen[v] = v;
      const todo = [v];
      let rests = false;
      let moves = false;
      while (todo.length > 0) {
        const u = todo.pop()!;
        if (g.rest(j, u)) rests = true;
        if (g.moves(j, u)) moves = true;
        for (const w of g.succ[u]) {
          if (seen[w] !== v) {
            seen[w] = v;
            todo.push(w);
          }
        }
      }
      if (rests) continue;
      const how: StuckHow = !moves ? 'forever' : !g.moves(j, v) ? 'blocked' : 'looping';
      if (mine === null || rank[how] > rank[mine.how]) mine = { obligation: j, state: v, how };
    }
    if (mine !== null && (best === null || rank[mine.how] > rank[best.how])) best = mine;
  }
  return best;
}
