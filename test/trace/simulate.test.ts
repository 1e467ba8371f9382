// Simulation: every walk runs to the requested depth (or until no step is enabled), so a random walk
// reaches a race as deep as v6.14's missed flush; bad walk counts and depths are usage errors.
import { describe, expect, it } from 'vitest';
import shootdown from '../../models/bench/shootdown.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import { x86LazyTlbVariants as x86Variants } from '../../models/x86-lazy-tlb/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import { INTERRUPT } from '../../src/engine/bfs.ts';
import { check } from '../../src/pipeline/check.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { compile } from '../../src/lang/compile.ts';
import { UsageError } from '../../src/lang/errors.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { run, runJson } from '../cli/run.ts';

describe('check --simulate', () => {
  it('walks to the requested depth: shootdown never stops, so the steps are runs × depth', () => {
    for (const depth of [1, 37, 300]) {
      const r = check(shootdown, allProperties, { simulate: { runs: 20, depth, seed: 1 } });
      expect(r.verdict).toBe('incomplete');
      expect(r.simulation?.runs).toBe(20);
      expect(r.states).toBe(20 * depth);
    }
  });

  it('finds v6.14 P1 (18 steps for BFS) within 1,000 walks of seed 3; mainline is incomplete with the same seed', async () => {
    const v614 = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--property', 'P1', '--simulate', '1000', '--seed', '3');
    expect(v614.code).toBe(1);
    expect(v614.json).toMatchObject({ verdict: 'violation', property: 'P1', simulation: { runs: 421, seed: 3 } });
    expect(v614.json.trace.length).toBe(41);
    expect(v614.json.trace.at(-1)).toMatchObject({ actor: 'cpu1', procedure: 'user', label: 'ACCESS' });
    const main = await runJson('check', 'x86-lazy-tlb', '--property', 'P1', '--simulate', '1000', '--seed', '3');
    expect(main.code).toBe(3);
    expect(main.json).toMatchObject({ verdict: 'incomplete', simulation: { runs: 1000, seed: 3 }, limit: 'simulation of 1000 random walks (not exhaustive)' });
    // Walks end where the model has no step left (the scope's switches and exits are used up), deep
    // past the 18 steps of the race.
    expect(main.json.states / 1000).toBeGreaterThan(60);
  });

  it('shrinking never lengthens the violating walk: seed 12 ends in 45 steps, not 196', () => {
    // Shrinking the choices towards 0 alone found a 196-step variant of seed 12's violating walk.
    const r = check(x86, allProperties, { variant: x86Variants.find((v) => v.name === 'v6.14'), properties: ['P1'], simulate: { runs: 1000, depth: 200, seed: 12 } });
    expect(r.verdict).toBe('violation');
    expect(r.simulation?.runs).toBe(800);
    expect(r.trace!.length).toBe(45);
  });

  it('rejects a walk count or depth below 1, or not an integer, as a usage error', async () => {
    const prog = compile(instantiate(shootdown, allProperties, {}));
    expect(() => simulate(prog, { runs: 0, depth: 10, seed: 1 })).toThrow(UsageError);
    expect(() => simulate(prog, { runs: 10, depth: 0, seed: 1 })).toThrow(new UsageError('simulation: the walk depth must be an integer of at least 1, not 0'));
    expect(() => simulate(prog, { runs: 1.5, depth: 10, seed: 1 })).toThrow(UsageError);
    expect(() => simulate(prog, { runs: 10, depth: 10, seed: Number.NaN })).toThrow(UsageError);
    const cli = await run('check', 'shootdown', '--simulate', '0');
    expect(cli.code).toBe(2);
    expect(cli.err).toBe('lazytlb: --simulate 0 is out of range; accepted: a decimal integer of at least 1\n');
    const depth = await run('check', 'shootdown', '--simulate', '5', '--walk-depth', '-3');
    expect(depth.code).toBe(2);
    expect(depth.err).toBe('lazytlb: --walk-depth -3 is out of range; accepted: a decimal integer of at least 1\n');
  });

  it('honours --max-seconds and a stop request: incomplete with that limit, fewer walks than asked', () => {
    const r = check(shootdown, allProperties, { simulate: { runs: 100_000_000, depth: 50, seed: 1 }, maxSeconds: 0.3 });
    expect([r.verdict, r.limit]).toEqual(['incomplete', 'max-seconds 0.3']);
    expect(r.simulation!.runs).toBeLessThan(100_000_000);
    let polls = 0;
    const s = check(shootdown, allProperties, { simulate: { runs: 1000, depth: 50, seed: 1 }, shouldStop: () => ++polls > 5 });
    expect([s.verdict, s.limit]).toEqual(['incomplete', INTERRUPT]);
    expect(s.states).toBe(5 * 50);
  });
});
