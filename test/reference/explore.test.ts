// The reference explorer on its own: what its state holds, how it starts, what it refuses up front.
import { describe, expect, it } from 'vitest';
import { bool, enumOf, int, ref, setOf, NONE } from '../../src/lang/domain.ts';
import { ModelError } from '../../src/lang/errors.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import { defineModel, rules, seq, step } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { plain } from '../../src/lang/schema.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import { runBoth } from './compare.ts';

describe('the reference explorer', () => {
  it('starts with every field at the first value of its domain, then model init, then property init', () => {
    const m = defineModel({
      name: 'first',
      title: 'first values',
      description: 'one of each domain',
      params: {},
      flags: {},
      actors: () => ({ cpu: 1 }),
      state: () => ({ flag: bool(), i: int(2, 4), e: enumOf(['x', 'y']), r: ref('mm', 2, { nullable: true }), m: setOf('cpu', 2), set: int(0, 9) }),
      init: (s) => {
        s.set = 7;
      },
      procedures: (_p) => [rules('r', 'cpu', [step('NOP', 'nothing')])],
    });
    const p = property({
      name: 'start',
      statement: 'the initial values',
      ref: 'test',
      models: ['first'],
      ghost: () => ({ seen: int(0, 9) }),
      // Runs after the model's init: it sees set = 7.
      init: (g, s) => {
        g.seen = s.set;
      },
      check: (s, g) => (s.flag === false && s.i === 2 && s.e === 0 && s.r === NONE && s.m === 0 && g.seen === 7 ? null : 'unexpected initial value'),
    });
    const { fast, ref: r } = runBoth(m, [p]);
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(1);
    expect(fast.verdict).toBe('ok');
  });

  it('distinguishes states by pc, return stack and ghost state', () => {
    // A seq procedure of two steps: idle and "at B" are two states, although no field changes.
    const m = defineModel({
      name: 'ctl',
      title: 'control state',
      description: 'A, B on one CPU; a call from A adds a stack entry',
      params: {},
      flags: { call: { default: false, doc: 'A calls sub' } },
      actors: () => ({ cpu: 1 }),
      events: { Tick: [] },
      state: () => ({ x: bool() }),
      procedures: (_p, f) => [
        seq('main', 'cpu', [step('A', 'a', { do: (_s, _c, x) => void (f.call && x.call('sub')) }), step('B', 'b', { do: (_s, _c, x) => x.emit('Tick') })], { entry: true }),
        seq('sub', 'cpu', [step('S', 's')]),
      ],
    });
    const count = property({ name: 'count', statement: 'counts ticks to 2', ref: 'test', models: ['ctl'], ghost: () => ({ n: int(0, 2) }), on: { Tick: (_s, g) => void (g.n < 2 && (g.n = g.n + 1)) } });
    const states = (flags: Record<string, boolean>, props = [] as (typeof count)[]) => {
      const { fast, ref: r } = runBoth(m, props, { flags });
      expect(r.states).toBe(fast.states);
      return r.states;
    };
    expect(states({})).toBe(2); // idle, at B
    expect(states({ call: true })).toBe(3); // idle, at S with B on the stack, at B
    expect(states({}, [count])).toBe(6); // (idle | at B) × n ∈ {0, 1, 2}
  });

  it('shows properties the number of buffered stores of each CPU as s.$sb[c].n', () => {
    const m = defineModel({
      name: 'sbn',
      title: 'buffered stores',
      description: 'two plain stores',
      params: {},
      flags: {},
      actors: () => ({ cpu: 1 }),
      state: () => ({ x: plain(int(0, 2)) }),
      procedures: (_p) => [rules('r', 'cpu', [step('W', 'x++', { when: (s) => s.x < 2, do: (s) => void (s.x = s.x + 1) })])],
      memory: ['sc', 'tso'],
      end: () => true,
    });
    const p = property({ name: 'pending', statement: 'never two buffered stores', ref: 'test', models: ['sbn'], check: (s) => (s.$sb && s.$sb[0].n >= 2 ? 'two stores buffered' : null) });
    const { fast, ref: r } = runBoth(m, [p], { memory: 'tso' });
    expect(r.property).toBe('pending');
    expect(r.trace).toEqual(['cpu0 r:W', 'cpu0 r:W']);
    expect(fast.property).toBe('pending');
    expect(runBoth(m, [p], { memory: 'sc' }).ref.verdict).toBe('ok');
  });

  it('refuses what the language cannot run, before exploring', () => {
    const base = {
      name: 'bad',
      title: 'bad',
      description: 'ill-formed',
      params: {},
      flags: {},
      state: () => ({ x: bool(), y: plain(bool()) }),
    };
    const unknownActor = defineModel({ ...base, actors: () => ({ cpu: 1 }), procedures: (_p) => [rules('r', 'gpu', [step('S', 's')])] });
    expect(() => exploreReference(unknownActor, [])).toThrow(/runs on unknown actor 'gpu'/);
    const manyChoices = defineModel({ ...base, actors: () => ({ cpu: 1 }), procedures: (_p) => [rules('r', 'cpu', [step('S', 's', { choose: { name: 'k', count: 256 } })])] });
    expect(() => exploreReference(manyChoices, [])).toThrow(/choice count 256 is not 1\.\.255/);
    const noCpu = defineModel({ ...base, actors: () => ({ core: 1 }), memory: ['sc', 'tso'], procedures: (_p) => [rules('r', 'core', [step('S', 's')])] });
    expect(() => exploreReference(noCpu, [], { memory: 'tso' })).toThrow(ModelError);
    const noPlain = defineModel({ ...base, state: () => ({ x: bool() }), actors: () => ({ cpu: 1 }), memory: ['sc', 'tso'], procedures: (_p) => [rules('r', 'cpu', [step('S', 's')])] });
    expect(() => exploreReference(noPlain as unknown as ModelDef, [], { memory: 'tso' })).toThrow(/no plain fields/);
  });

  it('stops at max states', () => {
    const m = defineModel({
      name: 'big',
      title: 'a counter',
      description: 'counts to 9',
      params: {},
      flags: {},
      actors: () => ({ cpu: 1 }),
      state: () => ({ n: int(0, 9) }),
      procedures: (_p) => [rules('r', 'cpu', [step('I', 'n++', { when: (s) => s.n < 9, do: (s) => void (s.n = s.n + 1) })])],
      end: () => true,
    });
    expect(exploreReference(m, []).states).toBe(10);
    expect(exploreReference(m, [], { maxStates: 4 }).verdict).toBe('incomplete');
  });
});
