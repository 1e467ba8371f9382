// Bounded monitors (`--within K`): each liveness property P checked as the safety monitor P/within-K,
// "X's waiter is not kept waiting through K + 1 steps of its peers" (src/engine/within.ts). A
// violation is a shortest trace ending at the counted step that exceeds K, so its length grows with
// K; where the peers' steps during a wait are bounded by the scope, a K above that bound is ok. The
// monitors see every step, so partial-order reduction, symmetry (the counters are per actor and move
// with it) and sleep sets give the same verdicts and trace lengths as the unreduced search.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { exploreBfs } from '../../src/engine/bfs.ts';
import { Expander } from '../../src/engine/expander.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { property, withBounded } from '../../src/lang/property.ts';
import { replayRaw } from '../../src/trace/replay.ts';
import { allProperties } from '../../properties/index.ts';
import shootdown from '../../models/bench/shootdown.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import retryIpi from '../fixtures/variants/shootdown-retry-ipi.ts';
import { waiter } from '../fixtures/models/waiter.ts';

const REDUCTIONS = [{}, { por: true, symmetry: true }, { sleep: true }] as const;

describe('bounded monitors on the shootdown flush (a busy entry: every step that changes the state counts)', () => {
  it('the retry fixture: a shortest trace of K + 3 steps (load the mm, start the flush, K + 1 steps), for K = 2 and 4', () => {
    for (const [k, steps] of [[2, 5], [4, 7]] as const) {
      const r = check(shootdown, allProperties, { variant: retryIpi, within: k, liveness: false, por: true, symmetry: true });
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe(`flush-returns/within-${k}`);
      expect(r.trace).toHaveLength(steps);
      expect(r.trace!.slice(0, 2).map((t) => `${t.procedure}:${t.label}`)).toEqual(['switch_to_user:U', 'flush_start:F']);
      expect(r.reason).toMatch(new RegExp(`^the flush is still in progress after ${k + 1} steps since it started \\(the last: .+\\), more than the ${k} steps flush-returns/within-${k} allows: flush_tlb_mm_range of generation 1 waits for`));
      // The trace replays (the interpreted machine) to the same violation.
      const end = replayRaw(r.program, r.rawTrace!);
      expect(end.status === 'violates' && [end.property, end.reason]).toEqual([r.property, r.reason]);
    }
  });

  it('mainline: the same, with and without reductions (CPUs may switch between user and kernel threads forever while a flush waits)', () => {
    for (const red of REDUCTIONS) {
      const r = check(shootdown, allProperties, { within: 3, liveness: false, ...red });
      expect([r.verdict, r.property, r.trace?.length]).toEqual(['violation', 'flush-returns/within-3', 6]);
    }
  });

  it('named with --property, without --within: only that monitor is checked', () => {
    const r = check(shootdown, allProperties, { properties: ['flush-returns/within-2'], liveness: false });
    expect(r.properties).toEqual(['flush-returns/within-2']);
    expect([r.verdict, r.property, r.trace?.length]).toEqual(['violation', 'flush-returns/within-2', 5]);
  });
});

describe('bounded monitors on x86-lazy-tlb at the default scope (FLUSH-RETURNS, EXIT-MMAP-RETURNS)', () => {
  it('K = 33: ok, exact state counts with and without partial-order reduction and symmetry', () => {
    const reduced = check(x86, allProperties, { within: 33, liveness: false, por: true, symmetry: true });
    expect([reduced.verdict, reduced.states]).toEqual(['ok', 168_772]);
    expect(reduced.properties).toContain('FLUSH-RETURNS/within-33');
    expect(reduced.properties).toContain('EXIT-MMAP-RETURNS/within-33');
    // Every step is visible to the monitors: no ample set.
    expect(reduced.reductions.por).toEqual({ ampleStates: 0 });
    const plain = check(x86, allProperties, { within: 33, liveness: false });
    expect([plain.verdict, plain.states]).toEqual(['ok', 337_468]);
  });

  it('K = 32: cpu0 waits at F7 through 33 steps of cpu1, a shortest trace of 62 steps, with and without reductions', () => {
    for (const red of [{ por: true, symmetry: true }, {}]) {
      const r = check(x86, allProperties, { within: 32, liveness: false, ...red });
      expect([r.verdict, r.property, r.trace?.length]).toEqual(['violation', 'FLUSH-RETURNS/within-32', 62]);
      expect(r.reason).toMatch(/^cpu0 is still waiting in flush_tlb_mm_range at F7 \(csd_lock_wait: .*\), through 33 steps of the other actors since it entered it \(the last: .+ on cpu1\), more than the 32 steps FLUSH-RETURNS\/within-32 allows$/);
    }
  });
});

describe('bounded monitors per actor (the waiter fixture: 3 CPUs, 3 tokens, symmetric CPUs)', () => {
  const waits = property({ name: 'waits', statement: 'every wait for a token ends', ref: 'test fixture', models: ['waiter'], kind: 'liveness', completes: { procedure: 'waiter' } });
  const opts = (spin: boolean, k: number) => ({ within: k, deadlock: false, params: { cpus: 3, posts: 3, ticks: 1 }, flags: { nmi: false, spin } });
  const outcome = (r: ReturnType<typeof check>) => [r.verdict, r.property ?? null, r.trace?.length ?? 0];

  it('a blocking wait: the peers take at most 4 steps while a CPU is blocked; symmetry, POR and sleep sets agree', () => {
    const states: number[] = [];
    for (const red of [{}, { symmetry: true }, ...REDUCTIONS]) {
      expect(outcome(check(waiter, [waits], { ...opts(false, 3), ...red }))).toEqual(['violation', 'waits/within-3', 7]);
      const ok = check(waiter, [waits], { ...opts(false, 4), ...red });
      expect(ok.verdict).toBe('ok');
      states.push(ok.states);
    }
    // Symmetry stores one state per orbit (the counters permuted with their CPUs).
    expect(states).toEqual([308, 73, 308, 73, 308]);
  });

  it('symmetry stores one state per orbit, the counters moving with their CPU', () => {
    const reduced = check(waiter, [waits], { ...opts(false, 4), symmetry: true });
    // Orbits counted independently: every state of the unreduced search, each CPU's slots (its
    // record, control state and counters) as one string, sorted; the shared slots as they are.
    const prog = compile(instantiate(waiter, withBounded([waits], 4), opts(false, 4)));
    expect(prog.layout.slots.filter((x) => x.kind === 'ghost').map((x) => x.path)).toEqual(['$ghost.p1.peerSteps[0]', '$ghost.p1.peerSteps[1]', '$ghost.p1.peerSteps[2]', '$ghost.p1.spinning[0]', '$ghost.p1.spinning[1]', '$ghost.p1.spinning[2]']);
    const full = exploreBfs(prog, { deadlock: false });
    const cur = new Int32Array(prog.layout.slots.length);
    const packed = new Uint32Array(prog.words);
    const orbits = new Set<string>();
    for (let id = 0; id < full.store.count; id++) {
      full.store.read(id, packed);
      prog.unpack(packed, 0, cur);
      const of = (c: number) => prog.layout.slots.filter((x) => x.owners.some((o) => o.of === 'cpu' && o.index === c)).map((x) => cur[x.index]).join(',');
      const shared = prog.layout.slots.filter((x) => x.owners.length === 0).map((x) => cur[x.index]).join(',');
      orbits.add(`${[0, 1, 2].map(of).sort().join('|')}#${shared}`);
    }
    expect(full.store.count).toBe(308);
    expect(reduced.states).toBe(orbits.size);
  });

  it('the generated expansion and the interpreted one count alike (every state, every successor, spinning and blocking)', () => {
    for (const spin of [false, true]) {
      const prog = compile(instantiate(waiter, withBounded([waits], 3), opts(spin, 3)));
      const full = exploreBfs(prog, { deadlock: false, maxStates: 100_000 });
      const packed = new Uint32Array(prog.words);
      let seen: string[] = [];
      const visit = (step: number, actor: number, choice: number, outcome: string) => void seen.push(`${step}/${actor}/${choice} ${outcome} ${packed.join(',')}`);
      const fast = new Expander(prog, (...a) => visit(...a) ?? false, { generated: true, packed });
      const slow = new Expander(prog, (...a) => visit(...a) ?? false, { packed });
      const base = new Int32Array(prog.layout.slots.length);
      let violations = 0;
      for (let id = 0; id < full.store.count; id++) {
        full.store.read(id, packed);
        prog.unpack(packed, 0, base);
        seen = [];
        fast.expand(base);
        const a = seen;
        seen = [];
        slow.expand(base);
        expect(seen).toEqual(a);
        violations += a.filter((x) => x.includes(' violation ')).length;
      }
      // The search stopped at the first violation; its frontier has some.
      expect(violations).toBeGreaterThan(0);
    }
  });

  it('a spinning wait (a step that goes back to itself, changing nothing) counts as waiting: bound 7, reached only by the spinning CPU', () => {
    for (const red of [{}, { symmetry: true }]) {
      expect(outcome(check(waiter, [waits], { ...opts(true, 6), ...red }))).toEqual(['violation', 'waits/within-6', 9]);
      expect(check(waiter, [waits], { ...opts(true, 7), ...red }).verdict).toBe('ok');
    }
  });

  it("the waiter's own steps do not count: with NMIs only on the waiting CPU (one CPU) the bound holds for K = 1", () => {
    const r = check(waiter, [waits], { within: 1, deadlock: false, liveness: false, params: { cpus: 1, posts: 1, ticks: 2 } });
    expect(r.verdict).toBe('ok');
    // Its peers' NMIs and ticks do: with two CPUs, the other's private ticks keep it waiting for any K.
    const two = check(waiter, [waits], { within: 5, deadlock: false, liveness: false, params: { cpus: 2, posts: 1, ticks: 2 } });
    expect([two.verdict, two.property]).toEqual(['violation', 'waits/within-5']);
  });
});
