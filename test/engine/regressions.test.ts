// Regressions: bugs found while writing the shipped models, pinned down.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { bool, int, ref, NONE } from '../../src/lang/domain.ts';
import { defineModel, rules, step } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { arrayOf } from '../../src/lang/schema.ts';

describe('scalar arrays and nullable references', () => {
  const m = defineModel({
    name: 'arrays',
    title: 'fixture',
    description: 'scalar array stores and a nullable reference',
    params: {},
    flags: {},
    actors: () => ({ cpu: 1 }),
    state: () => ({ a: arrayOf(3, int(0, 5)), r: ref('mm', 2, { nullable: true }), done: bool() }),
    init: (s) => {
      s.r = NONE;
    },
    procedures: () => [
      rules('w', 'cpu', [
        step<any>('W', 'a[1] = 4; r = mm1', {
          when: (s) => !s.done,
          do: (s) => {
            s.a.set(1, 4);
            s.r = 1;
            s.done = true;
          },
        }),
      ]),
    ],
    end: (s) => s.done,
  });
  const props = [
    property({
      name: 'stored-where-written',
      statement: 'a[1] = 4 writes element 1 and nothing else',
      ref: 'fixture',
      models: ['arrays'],
      check: (s) => (s.done && !(s.a.get(0) === 0 && s.a.get(1) === 4 && s.a.get(2) === 0 && s.r === 1) ? `a = ${[0, 1, 2].map((i) => s.a.get(i))}, r = ${s.r}` : null),
    }),
  ];

  it('stores an int array element at its index, and a nullable reference round-trips', () => {
    const r = check(m, props, {});
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(2);
  });
});

describe('a monitor that fails on a transition into a state reached before', () => {
  // Two ways to set x: A (silent) and B (emits Bad, which the monitor rejects). Both reach the same
  // state; BFS stores it via A first. The counterexample must end with B, the failing transition.
  const m = defineModel({
    name: 'twice',
    title: 'fixture',
    description: 'one state reached by a silent and by a failing transition',
    params: {},
    flags: {},
    actors: () => ({ cpu: 1 }),
    events: { Bad: [] },
    state: () => ({ x: bool() }),
    procedures: () => [
      rules('set', 'cpu', [
        step<any>('A', 'x = true', { when: (s) => !s.x, do: (s) => (s.x = true) }),
        step<any>('B', 'x = true, badly', {
          when: (s) => !s.x,
          do: (s, _c, x) => {
            s.x = true;
            x.emit('Bad');
          },
        }),
      ]),
    ],
    end: () => true,
  });
  const props = [property({ name: 'never-bad', statement: 'Bad never happens', ref: 'fixture', models: ['twice'], on: { Bad: (_s, _g, x) => x.fail('Bad happened') } })];

  it('ends the trace with the failing transition', () => {
    for (const symmetry of [false, true]) {
      const r = check(m, props, { symmetry });
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe('never-bad');
      expect(r.trace!.map((t) => t.label)).toEqual(['B']);
    }
  });
});
