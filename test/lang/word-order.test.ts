// The compact store's leaf order (layout.ts wordOrder): each object's words together, by kind and
// member, the words of no object last. On x86-lazy-tlb this is what takes its wide scope from 19.45
// to 14.22 bytes a state (README, "State stores").
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';

const x86 = shipped.find((s) => s.model.name === 'x86-lazy-tlb')!.model;

describe('wordOrder', () => {
  const prog = compile(instantiate(x86, allProperties, {}));
  const order = prog.wordOrder;
  /** The object owning most bits of word w, as the order groups it. */
  const ownerOf = (w: number) => {
    const bits = new Map<string, number>();
    for (const s of prog.layout.slots) {
      if (s.word !== w) continue;
      const key = s.owners[0] ? `${s.owners[0].of}${s.owners[0].index}` : '-';
      bits.set(key, (bits.get(key) ?? 0) + s.bits);
    }
    return [...bits].sort((a, b) => b[1] - a[1])[0][0];
  };

  it('is a permutation of the packed words', () => {
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(prog.words).keys()]);
  });

  it("puts each CPU's record and its control stack together, CPUs first, then the mms", () => {
    const owners = order.map(ownerOf);
    // Runs of one owner, in order (x86 has no word owned mostly by no object).
    const runs = owners.filter((o, i) => i === 0 || owners[i - 1] !== o);
    expect(runs).toEqual(['cpu0', 'cpu1', 'mm0', 'mm1']);
    // cpu0's words include both its record (cpu[0].*) and its control ($ctl.cpu[0].*), which the
    // declaration order keeps apart.
    const cpu0 = order.filter((w) => ownerOf(w) === 'cpu0');
    const paths = prog.layout.slots.filter((s) => cpu0.includes(s.word)).map((s) => s.path);
    expect(paths.some((p) => p.startsWith('cpu[0].'))).toBe(true);
    expect(paths.some((p) => p.startsWith('$ctl.cpu[0].'))).toBe(true);
    expect(Math.max(...cpu0.filter((w) => prog.layout.slots.some((s) => s.word === w && s.path.startsWith('cpu[0].'))))).toBeLessThan(Math.min(...cpu0.filter((w) => prog.layout.slots.some((s) => s.word === w && s.path.startsWith('$ctl.cpu[0].')))));
  });

  it('leaves the compact store exact: the same states and verdict as the exact store', async () => {
    const { check } = await import('../../src/pipeline/check.ts');
    const a = check(x86, allProperties, { store: 'compact', liveness: false, por: false, symmetry: false });
    const b = check(x86, allProperties, { store: 'exact', liveness: false, por: false, symmetry: false });
    expect([a.verdict, a.states, a.transitions]).toEqual(['ok', 219_680, 683_746]);
    expect([b.verdict, b.states, b.transitions]).toEqual([a.verdict, a.states, a.transitions]);
  });
});
