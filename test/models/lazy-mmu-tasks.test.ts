// lazy-mmu declares its tasks interchangeable as well as its CPUs: every task runs the same section
// code and names a CPU only through task.on, and a CPU names a task only through curr/prev/next and the
// owners of its Xen multicall buffer and TLB batch (all references, renamed with the tasks); only the
// warm start tells them apart (task 0 on CPU0), which symmetry does not need. Checked here the strong
// way: the reduced search stores exactly the representatives of the unreduced search's states.
import { describe, expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/lazy-mmu/model.ts';
import { exploreBfs } from '../../src/engine/bfs.ts';
import { Canonicalizer } from '../../src/engine/symmetry.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';

/** The unreduced search's states, each canonicalized; and the states the symmetric search stored. */
function orbits(params: Record<string, number>, flags: Record<string, string>) {
  const prog = compile(instantiate(model as any, allProperties, { params, flags }));
  const full = exploreBfs(prog, { symmetry: false, store: 'exact' });
  const reduced = exploreBfs(prog, { symmetry: true, store: 'exact' });
  const canon = new Canonicalizer(prog, model.symmetry!(prog.instance.params as any, prog.instance.flags as any));
  const packed = new Uint32Array(prog.words);
  const s = new Int32Array(prog.layout.slots.length);
  const key = () => packed.join(',');
  const fromFull = new Set<string>();
  for (let id = 0; id < full.store.count; id++) {
    full.store.read(id, packed);
    prog.unpack(packed, 0, s);
    canon.canon(s);
    prog.pack(s, packed, 0);
    fromFull.add(key());
  }
  const stored = new Set<string>();
  for (let id = 0; id < reduced.store.count; id++) {
    reduced.store.read(id, packed);
    stored.add(key());
  }
  return { full: full.store.count, reduced: reduced.store.count, verdicts: [full.verdict, reduced.verdict], same: fromFull.size === stored.size && [...stored].every((k) => fromFull.has(k)) };
}

describe('lazy-mmu: CPUs and tasks interchangeable', () => {
  it.each([
    ['xen', { cpus: 2, tasks: 2 }, 477000, 119811],
    ['arm64', { cpus: 2, tasks: 2 }, 63260, 16341],
    ['powerpc', { cpus: 1, tasks: 3 }, 55296, 9536],
  ] as const)('%s %o: one stored state per orbit of the unreduced states', (arch, params, full, reduced) => {
    const r = orbits(params, { arch });
    expect(r).toEqual({ full, reduced, verdicts: ['ok', 'ok'], same: true });
  });
});
