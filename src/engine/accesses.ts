// The fields each step reads and writes, observed by re-executing every candidate transition of the
// first states of the unreduced search on a recording machine (`lazytlb steps --accesses`): what a
// patch author needs to see which CPU's state a step touches before editing it. The executing
// actor's own record is `cpu[self]`, any other index `[*]`; control state, store buffers and the
// properties' ghost state are left out. Observed, not declared: a branch no explored state takes
// does not show, which the report says by giving the states covered and whether that was all.
import { candidatesAt, type Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import { exploreBfs } from './bfs.ts';
import { Machine } from './machine.ts';

export interface ObservedAccesses {
  /** States whose transitions were re-executed (every reachable state when `complete`). */
  readonly states: number;
  readonly complete: boolean;
  /** By step name (`procedure:label`): the fields read and written, sorted. */
  readonly steps: ReadonlyMap<string, { readonly reads: readonly string[]; readonly writes: readonly string[] }>;
}

export function observeAccesses(prog: Program, maxStates: number): ObservedAccesses {
  const r = exploreBfs(prog, { maxStates, deadlock: false, por: false, symmetry: false });
  const rm = new Machine(prog, true);
  const rec = rm.rec!;
  const base = new Int32Array(rm.cur.length);
  const { slots } = prog.layout;
  const seen = new Map<string, { reads: Set<string>; writes: Set<string> }>();
  const name = (slot: number, kind: string, a: number): string | null => {
    const path = slots[slot].path;
    if (path.startsWith('$')) return null;
    return path.replace(new RegExp(`^${kind}\\[${a}\\]`), `${kind}[self]`).replace(/\[\d+\]/g, '[*]');
  };
  for (let id = 0; id < r.store.count; id++) {
    prog.unpack(r.store.arena, id * prog.words, base);
    for (const k of prog.actorKinds) {
      for (let a = 0; a < k.count; a++) {
        for (const sid of candidatesAt(k, base, a)) {
          const st = prog.steps[sid];
          for (let ch = 0; ch < st.choices; ch++) {
            rm.restart(base);
            let took = false;
            try {
              if (rm.enabled(st, a, ch)) {
                took = true;
                rm.apply(st, a);
              }
            } catch (e) {
              if (asModelError(e) === null) throw e;
            }
            let acc = seen.get(st.name);
            if (acc === undefined) seen.set(st.name, (acc = { reads: new Set(), writes: new Set() }));
            // a disabled step's guard still read its fields
            for (const s of rec.reads.subarray(0, rec.nr)) {
              const n = name(s, k.name, a);
              if (n !== null) acc.reads.add(n);
            }
            if (!took) continue;
            for (const s of rec.writes.subarray(0, rec.nw)) {
              const n = name(s, k.name, a);
              if (n !== null) acc.writes.add(n);
            }
          }
        }
      }
    }
  }
  const steps = new Map([...seen].map(([k, v]) => [k, { reads: [...v.reads].sort(), writes: [...v.writes].sort() }]));
  return { states: r.store.count, complete: r.verdict === 'ok', steps };
}
