// Domains: every store is range-checked, and leaving a domain is a model error (verdict 'error',
// property 'model-error') reported with the trace that got there, ending at the offending step.
import { describe, expect, it } from 'vitest';
import { fastCheck as check } from './fast.ts';
import { bool, enumOf, int, ref, setOf, NONE } from '../../src/lang/domain.ts';
import { defineModel, rules, step, type StepDef } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { arrayOf, plain, type RecordDecl } from '../../src/lang/schema.ts';
import { exploreReference } from '../../src/reference/explore.ts';

function oneCpu(state: RecordDecl, steps: StepDef[], extra: { init?: (s: any) => void; events?: Record<string, string[]> } = {}) {
  return defineModel({
    name: 'dom',
    title: 'domains',
    description: 'one CPU, a few rules',
    params: {},
    flags: {},
    actors: () => ({ cpu: 1 }),
    state: () => state,
    procedures: (_p) => [rules('r', 'cpu', steps)],
    end: () => true,
    ...extra,
  });
}

const counter = () =>
  oneCpu({ n: int(0, 2) }, [
    step('INC', 'n++', { do: (s) => void (s.n = s.n + 1) }),
  ]);

describe('out-of-domain stores', () => {
  it('the reference explorer reports the store with the trace ending at the offending step', () => {
    const r = exploreReference(counter(), []);
    expect(r.verdict).toBe('error');
    expect(r.property).toBe('model-error');
    expect(r.reason).toBe('r:INC: n = 3 is outside its domain 0..2');
    expect(r.trace).toEqual(['cpu0 r:INC', 'cpu0 r:INC', 'cpu0 r:INC']);
  });

  it('the fast explorer reports the verdict, the property and the step', () => {
    const r = check(counter(), []);
    expect(r.verdict).toBe('error');
    expect(r.property).toBe('model-error');
    expect(r.reason).toBe('r:INC: n = 3 is outside its domain 0..2');
  });

  // Regression: the fast explorer used to record the transition being executed only once it completed (in the
  // successor callback), so a model error raised by a step's effect is reported with the trace of the
  // previous successor: here [INC, INC] instead of [INC, INC, INC] (n = 0 → 1 → 2 → 3).
  it('the fast explorer’s trace ends at the offending step (0 → 1 → 2 → 3)', () => {
    const r = check(counter(), []);
    expect(r.trace!.map((t) => t.label)).toEqual(['INC', 'INC', 'INC']);
  });

  it('every kind of domain is checked', () => {
    const Mode = enumOf(['a', 'b']);
    const cases: [string, RecordDecl, (s: any) => void, RegExp][] = [
      ['bool', { f: bool() }, (s) => (s.f = 1), /f = 1 is outside its domain true\/false/],
      ['int above', { f: int(1, 3) }, (s) => (s.f = 4), /f = 4 is outside its domain 1\.\.3/],
      ['int below', { f: int(1, 3) }, (s) => (s.f = 0), /f = 0 is outside its domain 1\.\.3/],
      ['int not integer', { f: int(0, 3) }, (s) => (s.f = 1.5), /f = 1\.5 is outside its domain/],
      ['enum', { f: Mode }, (s) => (s.f = 2), /f = 2 is outside its domain 0\.\.1/],
      ['set', { f: setOf('cpu', 2) }, (s) => (s.f = 4), /f = 4 is outside its domain 0\.\.3/],
      ['ref', { f: ref('mm', 2) }, (s) => (s.f = NONE), /f = -1 is outside its domain 0\.\.1/],
      ['plain', { f: plain(int(0, 1)) }, (s) => (s.f = 2), /f = 2 is outside its domain 0\.\.1/],
      ['array element', { f: arrayOf(2, { g: bool() }) }, (s) => (s.f[1].g = 'yes'), /f\[1\]\.g = yes is outside/],
      ['scalar array index', { f: arrayOf(2, bool()) }, (s) => s.f.set(2, true), /index 2 outside f/],
    ];
    for (const [what, decl, store, message] of cases) {
      const m = oneCpu(decl, [step('BAD', what, { do: (s) => store(s) })]);
      const fast = check(m, []);
      const slow = exploreReference(m, []);
      expect([what, fast.verdict, fast.reason]).toEqual([what, 'error', expect.stringMatching(message)]);
      expect([what, slow.verdict, slow.reason, slow.trace]).toEqual([what, 'error', expect.stringMatching(message), ['cpu0 r:BAD']]);
    }
  });

  it('a monitor storing outside its ghost domain is a model error', () => {
    const m = oneCpu({ n: int(0, 3) }, [step('E', 'emit', { when: (s) => s.n < 3, do: (s, _c, x) => void ((s.n = s.n + 1), x.emit('Tick', s.n)) })], {
      events: { Tick: ['n'] },
    });
    const p = property({
      name: 'ghost',
      statement: 'copies n into a ghost field of domain 0..1',
      ref: 'test',
      models: ['dom'],
      ghost: () => ({ last: int(0, 1) }),
      on: { Tick: (_s, g, _x, n) => void (g.last = n) },
    });
    expect(check(m, [p]).reason).toMatch(/last = 2 is outside its domain 0\.\.1/);
    const r = exploreReference(m, [p]);
    expect(r.reason).toMatch(/last = 2 is outside its domain 0\.\.1/);
    expect(r.traceLength).toBe(2);
  });

  // Regression: check() used to replay the trace of a model error on a fresh machine (buildTrace), which runs the
  // model's init outside any handler, so an error in init escapes check() as an exception instead of
  // verdict 'error' with an empty trace.
  it('an out-of-domain store in init gives verdict error with an empty trace', () => {
    const m = oneCpu({ n: int(0, 2) }, [step('NOP', 'nothing')], { init: (s) => void (s.n = 5) });
    expect(exploreReference(m, []).traceLength).toBe(0);
    const r = check(m, []);
    expect(r.verdict).toBe('error');
    expect(r.trace).toEqual([]);
  });

  // Regression: a model error raised while evaluating a guard used to be (here an array index out of range) is reported
  // with the trace of whatever transition ran before, not with the step whose guard failed. From the
  // initial state that is an empty trace.
  it('a model error in a guard is reported at the guarded step', () => {
    const m = oneCpu({ f: arrayOf(2, bool()), n: int(0, 3) }, [
      step('INC', 'n++', { when: (s) => s.n < 1, do: (s) => void (s.n = s.n + 1) }),
      step('PEEK', 'read f[n + 1]', { when: (s) => s.n === 1 && s.f.get(s.n + 1) }),
    ]);
    expect(exploreReference(m, []).trace).toEqual(['cpu0 r:INC', 'cpu0 r:PEEK']);
    const r = check(m, []);
    expect(r.verdict).toBe('error');
    expect(r.trace!.map((t) => t.label)).toEqual(['INC', 'PEEK']);
  });
});

describe('field values', () => {
  // Regression: the generated setter of a field whose domain starts below 0 read `v--1`, a syntax
  // error, so no model with a nullable ref or a negative int range could be explored.
  it('a nullable ref (domain starting at NONE = -1) can be stored', () => {
    const m = oneCpu({ owner: ref('cpu', 2, { nullable: true }) }, [
      step('TAKE', 'owner = 0', { when: (s) => s.owner === NONE, do: (s) => void (s.owner = 0) }),
      step('DROP', 'owner = NULL', { when: (s) => s.owner === 0, do: (s) => void (s.owner = NONE) }),
    ]);
    expect(exploreReference(m, []).states).toBe(2);
    const r = check(m, []);
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(2);
  });

  it('an int range below 0 starts at its low bound and can be stored', () => {
    const m = oneCpu({ t: int(-2, 0) }, [step('UP', 't++', { when: (s) => s.t < 0, do: (s) => void (s.t = s.t + 1) })]);
    for (const r of [check(m, []), exploreReference(m, [])]) {
      expect(r.verdict).toBe('ok');
      expect(r.states).toBe(3);
    }
  });

  // Regression: the generated `set(i, v)` of an array of int, enum, ref or set scalars held the
  // encoded value in a local that shadowed the index, so set(0, 2) wrote element 2.
  it('set(i, v) on an array of ints writes element i', () => {
    const m = oneCpu({ a: arrayOf(3, int(0, 3)) }, [step('NOP', 'nothing')], {
      init: (s) => {
        s.a.set(0, 2);
      },
    });
    const p = property({
      name: 'a0',
      statement: 'a[0] = 2 and the other elements are 0',
      ref: 'test',
      models: ['dom'],
      check: (s) => (s.a.get(0) === 2 && s.a.get(1) === 0 && s.a.get(2) === 0 ? null : `a = [${s.a.get(0)}, ${s.a.get(1)}, ${s.a.get(2)}]`),
    });
    expect(exploreReference(m, [p]).verdict).toBe('ok');
    expect(check(m, [p]).verdict).toBe('ok');
  });

  // The generated view classes keep their backing array and base offset in `$$s` and `$$b`; a field
  // named `b` is an ordinary field, and names the classes cannot carry are rejected up front.
  it(`a field named 'b' can be read and written`, () => {
    const m = oneCpu({ b: bool() }, [step('SET', 'set it', { when: (s) => !s.b, do: (s) => void (s.b = true) })]);
    expect(exploreReference(m, []).states).toBe(2);
    expect(check(m, []).states).toBe(2);
  });
  for (const name of ['$', '$x', 'constructor', '__proto__']) {
    it(`a field named '${name}' is rejected as reserved`, () => {
      const m = oneCpu({ [name]: bool() }, [step('SET', 'set it', {})]);
      expect(() => check(m, [])).toThrow(`field name '${name}' at state is reserved; rename the field`);
    });
  }
});
