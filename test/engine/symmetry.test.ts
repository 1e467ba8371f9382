// Symmetry reduction is exact on the calibration model (one stored state per orbit), never changes a
// verdict, and its traces are real executions of the unreduced model.
import { describe, expect, it } from 'vitest';
import shootdown from '../../models/bench/shootdown.ts';
import { allProperties } from '../../properties/index.ts';
import { exploreBfs } from '../../src/engine/bfs.ts';
import { check } from '../../src/pipeline/check.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { replay } from '../../src/trace/replay.ts';
import { Machine } from '../../src/engine/machine.ts';

/** Orbits counted independently: every reachable state of the full search, CPU records sorted. */
function orbitCount(cpus: number, gens: number): number {
  const prog = compile(instantiate(shootdown, allProperties, { params: { cpus, gens } }));
  const r = exploreBfs(prog);
  const m = new Machine(prog);
  const seen = new Set<string>();
  const packed = new Uint32Array(prog.words);
  for (let id = 0; id < r.store.count; id++) {
    r.store.read(id, packed);
    prog.unpack(packed, 0, m.cur);
    const cpusRec = Array.from({ length: cpus }, (_, c) => {
      const x = m.view.cpu[c];
      return [x.mode, x.lazy, x.inMask, x.loaded, x.ipiPending, x.localGen].join(',');
    }).sort();
    seen.add(`${cpusRec.join('|')}#${m.view.mmGen},${m.view.flushing}`);
  }
  return seen.size;
}

describe('symmetry reduction on shootdown', () => {
  for (const [cpus, gens] of [[2, 2], [3, 3], [4, 3]]) {
    it(`stores exactly one state per orbit for shootdown(${cpus},${gens})`, () => {
      const reduced = check(shootdown, allProperties, { params: { cpus, gens }, symmetry: true });
      expect(reduced.verdict).toBe('ok');
      expect(reduced.reductions).toEqual({ symmetry: {} });
      expect(reduced.states).toBe(orbitCount(cpus, gens));
    });
  }

  it('pins the orbit counts', () => {
    expect(check(shootdown, allProperties, { params: { cpus: 2, gens: 2 }, symmetry: true }).states).toBe(72);
    expect(check(shootdown, allProperties, { params: { cpus: 3, gens: 3 }, symmetry: true }).states).toBe(481);
  });

  it('finds the same violation with a shortest real trace', () => {
    for (const cpus of [2, 3, 4]) {
      const full = check(shootdown, allProperties, { params: { cpus }, flags: { flushOnUnlazy: false } });
      const reduced = check(shootdown, allProperties, { params: { cpus }, flags: { flushOnUnlazy: false }, symmetry: true });
      expect(reduced.verdict).toBe('violation');
      expect(reduced.property).toBe(full.property);
      expect(reduced.trace!.length).toBe(full.trace!.length);
      // The trace replays step by step on the unreduced model and violates there.
      const steps = reduced.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
      const out = replay(reduced.program, steps);
      expect(out.status).toBe('violates');
      expect(out.status === 'violates' && out.reason).toBe(reduced.reason);
    }
  });
});
