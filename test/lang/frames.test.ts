// Per-frame locals: a procedure's locals live in its frame on the actor's control stack, so an
// interrupt that calls the procedure while the actor is inside it (an IPI in an IRQs-on region of the
// same procedure) gets its own copy and the interrupted frame's locals survive. Checked on the
// nested-flush fixture with both explorers, step by step on the machine, and against the flat
// per-CPU field that models used before (which the nested call overwrites).
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { defineModel, rules, seq, step } from '../../src/lang/model.ts';
import { int } from '../../src/lang/domain.ts';
import { Machine } from '../../src/engine/machine.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import { differences, runBoth } from '../reference/compare.ts';
import { fastCheck } from './fast.ts';
import { nestedFlush, nestedFlushProperties } from '../fixtures/models/nested-flush.ts';

describe('per-frame locals', () => {
  it('an IPI nesting in the IRQs-on window of flush keeps both frames’ locals: ok, both explorers, exact counts', () => {
    const pair = runBoth(nestedFlush, nestedFlushProperties, { liveness: false } as never);
    expect(differences(pair)).toEqual([]);
    expect(pair.fast.verdict).toBe('ok');
    expect({ states: pair.ref.states, transitions: pair.ref.transitions, depth: pair.ref.depth }).toEqual({ states: 48, transitions: 57, depth: 12 });
  });

  it('with the local as one per-CPU field, the nested call overwrites it: the task sees the IPI’s argument', () => {
    const pair = runBoth(nestedFlush, nestedFlushProperties, { flags: { flat: true } });
    expect(differences(pair)).toEqual([]);
    expect(pair.fast.verdict).toBe('violation');
    expect(pair.fast.reason).toBe('cpu0: flush returned 2 to a caller that passed 1');
    expect(pair.ref.trace).toEqual([
      'cpu0 task:T0',
      'cpu0 flush:F0',
      'cpu0 flush:F1',
      'cpu0 ipi:SEND',
      'cpu0 ipi:DELIVER',
      'cpu0 ipi_handler:H0',
      'cpu0 flush:F0',
      'cpu0 flush:F1',
      'cpu0 flush:F2',
      'cpu0 ipi_handler:H1',
      'cpu0 flush:F2',
      'cpu0 task:T1',
    ]);
  });

  it('2 CPUs, 1 IPI: the explorers agree on every count, with and without reductions', () => {
    const opts = { params: { cpus: 2, ipis: 1 } };
    const pair = runBoth(nestedFlush, nestedFlushProperties, opts);
    expect(differences(pair)).toEqual([]);
    expect(pair.ref.verdict).toBe('ok');
    expect(pair.ref.states).toBe(504);
    const reduced = fastCheck(nestedFlush, nestedFlushProperties, { ...opts, por: true, symmetry: true } as never);
    expect(reduced.verdict).toBe('ok');
  });

  it('the frames hold each call’s values, step by step; a frame that returns is reset', () => {
    const prog = compile(instantiate(nestedFlush, nestedFlushProperties));
    const m = new Machine(prog);
    m.init();
    const run = (name: string) => {
      const st = prog.steps.find((s) => s.name === name)!;
      expect(m.enabled(st, 0, 0), name).toBe(true);
      m.apply(st, 0);
      expect(m.violation).toBe(null);
    };
    const frame = (d: number) => m.view.$ctl.cpu[0].frame[d].flush.mine;
    const sp = () => m.view.$ctl.cpu[0].sp;
    run('task:T0');
    run('flush:F0');
    expect([sp(), frame(0), frame(1), frame(2)]).toEqual([1, 0, 1, 0]);
    run('ipi:SEND');
    run('ipi:DELIVER');
    run('ipi_handler:H0');
    run('flush:F0');
    // The interrupted call (level 1) still holds 1; the nested one (level 3) holds 2.
    expect([sp(), frame(1), frame(2), frame(3)]).toEqual([3, 1, 0, 2]);
    run('flush:F1');
    run('flush:F2');
    expect(m.view.cpu[0].result).toBe(2);
    expect([sp(), frame(1), frame(3)]).toEqual([2, 1, 0]);
    run('ipi_handler:H1');
    run('flush:F1');
    run('flush:F2');
    expect(m.view.cpu[0].result).toBe(1);
    run('task:T1');
    expect([sp(), frame(0), frame(1), frame(2), frame(3)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a tail call starts the callee in a fresh frame at the caller’s level; x.locals in a rule is a model error', () => {
    const model = (ruleReads: boolean) =>
      defineModel({
        name: 'tail',
        title: 'tail call',
        description: 'a tail call between procedures with locals',
        params: {},
        flags: {},
        actors: () => ({ cpu: 1 }),
        state: () => ({ seen: int(0, 3) }),
        end: () => true,
        procedures: () => [
          seq('a', 'cpu', [
            step('A0', 'v = 3', { do: (_s, _c, x) => void (x.locals.v = 3) }),
            step('A1', 'tail-call b', { do: (_s, _c, x) => x.call('b') }),
          ], { entry: true, locals: { v: int(0, 3) } }),
          seq('b', 'cpu', [step('B0', 'seen = v (fresh: 0)', { do: (s: any, _c: number, x) => void (s.seen = x.locals.v + (x.locals.w === 0 ? 1 : 0)) })], { locals: { v: int(0, 3), w: int(0, 1) } }),
          rules('r', 'cpu', ruleReads ? [step('R', 'a rule reads locals', { when: (s: any) => s.seen > 0, do: (s: any, _c: number, x) => void (s.seen = x.locals.v) })] : []),
        ],
      });
    // seen = 1 in every state that has run B0: b's v and w start fresh (0), not at a's v = 3 (which
    // would store 4, outside seen's domain: a model error).
    const ok = runBoth(model(false), []);
    expect(differences(ok)).toEqual([]);
    expect({ verdict: ok.ref.verdict, states: ok.ref.states }).toEqual({ verdict: 'ok', states: 6 });
    const bad = runBoth(model(true), []);
    expect(differences(bad)).toEqual([]);
    expect(bad.ref.verdict).toBe('error');
    expect(bad.ref.reason).toBe('r:R: x.locals in a rule (a rule runs in no frame; call a procedure that declares locals)');
    expect(exploreReference(model(true), []).trace).toEqual(['cpu0 a:A0', 'cpu0 a:A1', 'cpu0 b:B0', 'cpu0 r:R']);
  });
});
