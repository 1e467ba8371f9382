// Partial-order reduction: fewer states, the same verdicts, footprints verified.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { replay } from '../../src/trace/replay.ts';
import { ghostOwnProperty, localWork, localWorkProperties, perCpuProperties, workedProperties } from '../fixtures/models/local-work.ts';
import { publishedRace, publishedRaceProperties, publishedWork, publishedWorkProperties } from '../fixtures/models/published-work.ts';

const run = (opts: Parameters<typeof check>[2]) => check(localWork, localWorkProperties, opts);

describe('partial-order reduction on private work', () => {
  it('stores fewer states and keeps the verdict', () => {
    const full = run({});
    const por = run({ por: true });
    expect(full.verdict).toBe('ok');
    expect(por.verdict).toBe('ok');
    expect(full.states).toBe(112);
    // The breadth-first proviso takes an ample set whose successors are already in the next layer
    // (79 when it required new states only).
    expect(por.states).toBe(51);
    expect(por.reductions.por?.ampleStates).toBeGreaterThan(0);
    const both = run({ por: true, symmetry: true });
    expect(both.verdict).toBe('ok');
    expect(both.states).toBe(20);
    // Wider: 4 CPUs, 6 private steps each.
    const wide = { params: { cpus: 4, work: 6 } };
    expect(run(wide).states).toBe(3773);
    expect(run({ ...wide, por: true }).states).toBe(1052);
    expect(run({ ...wide, por: true, symmetry: true }).states).toBe(51);
  });

  it('still finds the violation, with a real trace', () => {
    for (const opts of [{}, { por: true }, { por: true, symmetry: true }, { symmetry: true }]) {
      const r = run({ ...opts, flags: { broken: true } });
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe('mutex');
      const steps = r.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
      expect(replay(r.program, steps).status).toBe('violates');
    }
  });

  it('verifies the declared footprints, and catches a step that strays', () => {
    const ok = verifyFootprints(compile(instantiate(localWork, localWorkProperties, {})));
    expect(ok.problems).toEqual([]);
    expect(ok.states).toBe(112);
    const bad = verifyFootprints(compile(instantiate(localWork, localWorkProperties, { flags: { leakOwn: true } })));
    expect(bad.problems[0]).toMatch(/^worker:WORK on cpu0 touches cpu\[1\]\.done, which cpu1 owns$/);
  });

  it('catches an invariant that reads undeclared fields', () => {
    const props = [{ ...localWorkProperties[0], reads: ['lock'] }];
    const r = verifyFootprints(compile(instantiate(localWork, props, {})));
    expect(r.problems[0]).toMatch(/^invariant mutex reads cpu\[0\]\.inCs, which its reads \(lock\) do not declare$/);
  });
});

describe('partial-order reduction with published fields', () => {
  const runP = (opts: Parameters<typeof check>[2]) => check(publishedWork, publishedWorkProperties, opts);

  it('takes private steps that read the published field of their own CPU alone; the same field undeclared gives no ample set', () => {
    expect([runP({}).verdict, runP({}).states]).toEqual(['ok', 200]);
    const por = runP({ por: true });
    expect([por.verdict, por.states, por.reductions]).toEqual(['ok', 92, { por: { ampleStates: 72 } }]);
    const shared = runP({ params: { published: 0 }, por: true });
    expect([shared.verdict, shared.states, shared.reductions]).toEqual(['ok', 200, { por: { ampleStates: 0 } }]);
  });

  it('still finds the violation, with an equally short real trace', () => {
    const full = runP({ flags: { broken: true } });
    expect([full.verdict, full.property]).toEqual(['violation', 'mutex']);
    const r = runP({ flags: { broken: true }, por: true });
    expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'mutex', full.trace!.length]);
    const steps = r.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
    expect(replay(r.program, steps).status).toBe('violates');
  });

  it('never takes alone a read of the published field of another CPU, nor a write of its own', () => {
    // seenBad 1 needs cpu0's write before cpu1's read; 0 needs the read first. A reduction that took
    // cpu1's read alone (as if cpu0's field were cpu1's) misses the first; one that took cpu0's write
    // alone (as if a published field were own) misses the second.
    for (const seenBad of [1, 0]) {
      const full = check(publishedRace, publishedRaceProperties, { params: { seenBad } });
      const por = check(publishedRace, publishedRaceProperties, { params: { seenBad }, por: true });
      expect([full.verdict, full.property, full.trace!.length]).toEqual(['violation', 'not-bad', seenBad === 1 ? 3 : 2]);
      expect([por.verdict, por.property, por.states, por.reductions.por?.ampleStates]).toEqual(['violation', 'not-bad', full.states, 0]);
    }
  });

  it('verifies that only the owner writes a published field, and catches another CPU that does', () => {
    expect(verifyFootprints(compile(instantiate(publishedWork, publishedWorkProperties, {}))).problems).toEqual([]);
    const bad = verifyFootprints(compile(instantiate(publishedWork, publishedWorkProperties, { params: { leak: 1 } })));
    expect(bad.problems[0]).toBe('worker:WANT on cpu0 writes cpu[1].want, which only cpu1 writes (published)');
  });
});

describe('partial-order reduction with monitored events', () => {
  const events = { flags: { events: true } };
  const run = (limit: number, names: string[], opts: Parameters<typeof check>[2] = {}) =>
    check(localWork, [...localWorkProperties, ...workedProperties(limit)], { ...events, properties: ['mutex', ...names], ...opts });

  it('takes a private step alone when its event’s monitor reads only the event', () => {
    // work = 3 steps a round, so a limit of 4 never fails: the same states as without the event
    const full = run(4, ['too-far']);
    const por = run(4, ['too-far'], { por: true });
    expect([full.verdict, full.states]).toEqual(['ok', 112]);
    expect([por.verdict, por.states, por.reductions]).toEqual(['ok', 51, { por: { ampleStates: 31 } }]);
  });

  it('not when the monitor reads a shared field', () => {
    const por = run(4, ['quiet-lock'], { por: true });
    expect([por.verdict, por.states, por.reductions]).toEqual(['ok', 112, { por: { ampleStates: 0 } }]);
  });

  it('still finds what the monitor finds, with an equally short real trace', () => {
    for (const name of ['too-far', 'quiet-lock']) {
      const full = run(3, [name]);
      const por = run(3, [name], { por: true });
      expect([full.verdict, full.property]).toEqual(['violation', name]);
      expect([por.verdict, por.property, por.trace!.length]).toEqual(['violation', name, full.trace!.length]);
      const steps = por.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
      expect(replay(por.program, steps).status).toBe('violates');
    }
  });
});

describe('partial-order reduction with an invariant checked per CPU', () => {
  const run = (limit: number, names: string[], opts: Parameters<typeof check>[2] = {}) =>
    check(localWork, [...localWorkProperties, ...perCpuProperties(limit)], { properties: ['mutex', ...names], ...opts });

  it('takes alone a private step that writes what its own CPU’s part reads; not when the invariant is checked on the whole state', () => {
    // work = 3 steps a round, so a limit of 4 never fails.
    const full = run(4, ['work-bound']);
    const each = run(4, ['work-bound'], { por: true });
    const whole = run(4, ['work-bound-whole'], { por: true });
    expect([full.verdict, full.states]).toEqual(['ok', 112]);
    expect([each.verdict, each.states, each.reductions]).toEqual(['ok', 51, { por: { ampleStates: 31 } }]);
    expect([whole.verdict, whole.states, whole.reductions]).toEqual(['ok', 112, { por: { ampleStates: 0 } }]);
  });

  it('still finds the violation of a CPU’s part, with a real trace, as the whole-state check does', () => {
    for (const limit of [1, 2, 3]) {
      const full = run(limit, ['work-bound']);
      const each = run(limit, ['work-bound'], { por: true });
      const both = run(limit, ['work-bound'], { por: true, symmetry: true });
      expect([full.verdict, full.property, full.reason]).toEqual(['violation', 'work-bound', `cpu0 did ${limit} steps`]);
      for (const r of [each, both]) {
        expect([r.verdict, r.property]).toEqual(['violation', 'work-bound']);
        const steps = r.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
        expect(replay(r.program, steps).status).toBe('violates');
      }
    }
  });

  it('verifies that each CPU’s part reads only what that CPU writes, and catches one that reads another CPU’s field', () => {
    const props = [...localWorkProperties, ...perCpuProperties(4)];
    const ok = verifyFootprints(compile(instantiate(localWork, props, { properties: ['mutex', 'work-bound'] })));
    expect(ok.problems).toEqual([]);
    const bad = verifyFootprints(compile(instantiate(localWork, props, { properties: ['mutex', 'peeks'] })));
    expect(bad.problems[0]).toBe('invariant peeks, checked per cpu, reads cpu[1].done in the part of cpu0, which cpu0 does not alone write (declare it own or published by cpu0, or check the invariant on the whole state)');
  });

  it('a part may read its CPU’s own ghost record: verified when only that CPU’s monitors write it, reported when another CPU’s do', () => {
    const events = { flags: { events: true }, properties: ['mutex', 'seen-bound'] };
    const own = [...localWorkProperties, ghostOwnProperty(4, 0)];
    expect(verifyFootprints(compile(instantiate(localWork, own, events))).problems).toEqual([]);
    const full = check(localWork, own, events);
    const por = check(localWork, own, { ...events, por: true });
    // The ghost record keeps each CPU's last progress: more states than the model's 112.
    expect([full.verdict, full.states]).toEqual(['ok', 200]);
    expect([por.verdict, por.states, por.reductions]).toEqual(['ok', 55, { por: { ampleStates: 35 } }]);
    const low = [...localWorkProperties, ghostOwnProperty(2, 0)];
    const found = check(localWork, low, { ...events, por: true });
    expect([found.verdict, found.property]).toEqual(['violation', 'seen-bound']);
    expect(replay(found.program, found.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }))).status).toBe('violates');
    const skewed = [...localWorkProperties, ghostOwnProperty(4, 1)];
    const bad = verifyFootprints(compile(instantiate(localWork, skewed, events)));
    expect(bad.problems[0]).toMatch(/^worker:WORK on cpu0 touches .*cpu\[1\]\.seen, which cpu1 owns$/);
  });

    it('an invariant checked per an actor kind the model does not have is a model error', () => {
    const props = [{ ...perCpuProperties(4)[0], each: 'vcpu' }];
    expect(() => check(localWork, props, {})).toThrow("property work-bound: each 'vcpu' is not an actor kind of the model (cpu)");
  });
});
