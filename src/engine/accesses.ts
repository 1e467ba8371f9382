// The fields each step reads and writes, observed by re-executing every candidate transition of the
// first states of the unreduced search on a recording machine (`lazytlb steps --accesses`): what a
// patch author needs to see which CPU's state a step touches before editing it. The executing
// actor's own record is `cpu[self]`, any other index `[*]`; control state, store buffers and the
// properties' ghost state are left out. Observed, not declared: a branch no explored state takes
// does not show, which the report says by giving the states covered and whether that was all.
import type { Program } from '../lang/compile.ts';
import { exploreBfs } from './bfs.ts';
import { recordingExpander } from './verify.ts';

export interface ObservedAccesses {
  /** States whose transitions were re-executed (every reachable state when `complete`). */
  readonly states: number;
  readonly complete: boolean;
  /** By step name (`procedure:label`): the fields read and written, sorted. */
  readonly steps: ReadonlyMap<string, { readonly reads: readonly string[]; readonly writes: readonly string[] }>;
}

export function observeAccesses(prog: Program, maxStates: number): ObservedAccesses {
  const r = exploreBfs(prog, { maxStates, deadlock: false, por: false, symmetry: false });
  const { slots } = prog.layout;
  const seen = new Map<string, { reads: Set<string>; writes: Set<string> }>();
  // per actor kind, actor and slot: the field's name as that actor sees it (computed once)
  const names = prog.actorKinds.map((k) => Array.from({ length: k.count }, () => new Array<string | null | undefined>(slots.length)));
  const name = (slot: number, ki: number, a: number): string | null => {
    const known = names[ki][a][slot];
    if (known !== undefined) return known;
    const path = slots[slot].path;
    const kind = prog.actorKinds[ki].name;
    const n = path.startsWith('$') ? null : path.replace(new RegExp(`^${kind}\\[${a}\\]`), `${kind}[self]`).replace(/\[\d+\]/g, '[*]');
    names[ki][a][slot] = n;
    return n;
  };
  const ex = recordingExpander(prog, (st, ki, a, took) => {
    let acc = seen.get(st.name);
    if (acc === undefined) seen.set(st.name, (acc = { reads: new Set(), writes: new Set() }));
    // a disabled step's guard still read its fields
    for (const s of rec.reads.subarray(0, rec.nr)) {
      const n = name(s, ki, a);
      if (n !== null) acc.reads.add(n);
    }
    if (!took) return;
    for (const s of rec.writes.subarray(0, rec.nw)) {
      const n = name(s, ki, a);
      if (n !== null) acc.writes.add(n);
    }
  });
  const rec = ex.machine.rec!;
  const base = new Int32Array(ex.machine.cur.length);
  const packed = new Uint32Array(prog.words);
  for (let id = 0; id < r.store.count; id++) {
    r.store.read(id, packed);
    prog.unpack(packed, 0, base);
    ex.expand(base);
  }
  const steps = new Map([...seen].map(([k, v]) => [k, { reads: [...v.reads].sort(), writes: [...v.writes].sort() }]));
  return { states: r.store.count, complete: r.verdict === 'ok', steps };
}
