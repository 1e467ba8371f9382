// Shrinking: a long random walk that violates shrinks to BFS's shortest length with no more context
// switches than BFS's trace; simulation reports a reproducible, shrunk violation or 'incomplete'.
import { describe, expect, it } from 'vitest';
import shootdown from '../../models/bench/shootdown.ts';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import { walk } from '../../src/engine/simulate.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { shrink, switches } from '../../src/trace/shrink.ts';

const options = { params: { cpus: 4, gens: 3 }, flags: { flushOnUnlazy: false } };

describe('shrinking', () => {
  it('shrinks a deliberately long walk to the shortest length, with no more context switches than BFS', () => {
    const prog = compile(instantiate(shootdown, allProperties, options));
    // A long walk: a fixed pseudo-random choice sequence, retried until it violates after ≥ 20 steps.
    let seed = 1;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    let w = walk(prog, []);
    for (let i = 0; i < 500 && !(w.prop !== undefined && w.trace.length >= 20); i++) w = walk(prog, Array.from({ length: 200 }, rnd));
    expect(w.prop).toBeDefined();
    expect(w.trace.length).toBeGreaterThanOrEqual(20);

    const bfs = check(shootdown, allProperties, options);
    const sh = shrink({ model: shootdown, properties: allProperties, options, property: 'no-stale-user', trace: w.trace });
    expect(sh.from.length).toBe(w.trace.length);
    expect(sh.to.length).toBe(bfs.trace!.length);
    expect(sh.to.switches).toBeLessThanOrEqual(switches(bfs.program, bfs.rawTrace!));
    expect(sh.params).toEqual({ cpus: 2, gens: 1 }); // two CPUs and one flush suffice
    expect(sh.matters.every((m) => m)).toBe(true);
    expect(sh.incomplete).toEqual([]);
  });

  it('simulation finds the violation from a seed and shrinks it; without one it says incomplete', () => {
    const sim = { runs: 200, depth: 100, seed: 42 };
    const r = check(shootdown, allProperties, { ...options, simulate: sim, shrink: true });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('no-stale-user');
    expect(r.trace!.length).toBe(6);
    const again = check(shootdown, allProperties, { ...options, simulate: sim });
    expect(again.simulation).toEqual(check(shootdown, allProperties, { ...options, simulate: sim }).simulation);
    const ok = check(shootdown, allProperties, { params: { cpus: 3 }, simulate: { runs: 20, depth: 50, seed: 1 } });
    expect(ok.verdict).toBe('incomplete');
    expect(ok.limit).toMatch(/simulation of 20 random walks \(not exhaustive\)/);
  });
});
