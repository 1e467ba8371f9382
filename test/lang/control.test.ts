// Control flow of seq procedures: the order steps run in (call and return, ret, goto, return labels,
// interrupts returning to the interrupted step, tail calls), the bounded return stack, entry and
// idle-only procedures. Each model runs on one CPU and sets `done` at its last step; the property
// 'reached' fails there, so the shortest counterexample is the program's own run.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/pipeline/check.ts';
import { fastCheck as check } from './fast.ts';
import { bool, int } from '../../src/lang/domain.ts';
import { defineModel, rules, seq, step, type ProcedureDef } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { exploreReference } from '../../src/reference/explore.ts';

const reached = property({
  name: 'reached',
  statement: 'the program never finishes (fails at the end of the run, to show the run)',
  ref: 'control-flow test',
  models: ['flow'],
  check: (s) => (s.done ? 'done' : null),
});

function flow(procedures: ProcedureDef[], opts: { stackDepth?: number; cpus?: number } = {}) {
  return defineModel({
    name: 'flow',
    title: 'control flow',
    description: 'one program',
    params: {},
    flags: {},
    actors: () => ({ cpu: opts.cpus ?? 1 }),
    state: () => ({ done: bool(), n: int(0, 7), irq: bool(), skip: bool() }),
    procedures: () => procedures,
    ...(opts.stackDepth ? { stackDepth: opts.stackDepth } : {}),
  });
}

/** The run as `proc:label` per step, from the fast explorer; the reference explorer must agree. */
function run(procedures: ProcedureDef[], opts: { stackDepth?: number } = {}): { r: CheckResult; steps: string[] } {
  const model = flow(procedures, opts);
  const r = check(model, [reached]);
  const ref = exploreReference(model, [reached]);
  expect({ verdict: ref.verdict, property: ref.property }).toEqual({ verdict: r.verdict, property: r.property });
  const steps = (r.trace ?? []).map((t) => `${t.procedure}:${t.label}`);
  if (r.verdict === 'violation') expect(ref.trace).toEqual((r.trace ?? []).map((t) => `${t.actor} ${t.procedure}:${t.label}`));
  return { r, steps };
}

const nop = (label: string) => step(label, label);
const finish = (label: string) => step(label, 'done', { do: (s: any) => void (s.done = true) });

describe('control flow', () => {
  it('a call from a seq step returns to the next step', () => {
    const { steps } = run([
      seq('main', 'cpu', [step('M1', 'call sub', { do: (_s, _c, x) => x.call('sub') }), finish('M2')], { entry: true }),
      seq('sub', 'cpu', [nop('S1'), nop('S2')]),
    ]);
    expect(steps).toEqual(['main:M1', 'sub:S1', 'sub:S2', 'main:M2']);
  });

  it('x.ret() returns from the middle of a procedure', () => {
    const { steps } = run([
      seq('main', 'cpu', [step('M1', 'call sub', { do: (_s, _c, x) => x.call('sub') }), finish('M2')], { entry: true }),
      seq('sub', 'cpu', [step('S1', 'return early', { do: (_s, _c, x) => x.ret() }), nop('S2')]),
    ]);
    expect(steps).toEqual(['main:M1', 'sub:S1', 'main:M2']);
  });

  it('goto jumps within the procedure (a loop)', () => {
    const { steps } = run([
      seq(
        'main',
        'cpu',
        [
          step('L', 'n++', { do: (s) => void (s.n = s.n + 1) }),
          step('T', 'loop while n < 3', { jumps: ['L'], do: (s, _c, x) => void (s.n < 3 && x.goto('L')) }),
          finish('E'),
        ],
        { entry: true },
      ),
    ]);
    expect(steps).toEqual(['main:L', 'main:T', 'main:L', 'main:T', 'main:L', 'main:T', 'main:E']);
  });

  it('a call with a return label returns there', () => {
    const { steps } = run([
      seq('main', 'cpu', [step('M1', 'call sub, return to M3', { jumps: ['M3'], do: (_s, _c, x) => x.call('sub', 'M3') }), nop('M2'), finish('M3')], { entry: true }),
      seq('sub', 'cpu', [nop('S1')]),
    ]);
    expect(steps).toEqual(['main:M1', 'sub:S1', 'main:M3']);
  });

  it('an interrupt (a rule calling a procedure) returns to the interrupted step', () => {
    // M1 raises the interrupt; M2 waits for the handler; the handler runs between M1 and M2 and the
    // program resumes at M2, not at M1 nor after it.
    const { steps } = run([
      seq(
        'main',
        'cpu',
        [step('M1', 'raise', { do: (s) => void (s.irq = true) }), step('M2', 'wait for the handler', { when: (s) => s.n === 1 }), finish('M3')],
        { entry: true },
      ),
      rules('irq', 'cpu', [step('I', 'take the interrupt', { when: (s) => s.irq, do: (s, _c, x) => void ((s.irq = false), x.call('handler')) })]),
      seq('handler', 'cpu', [step('H1', 'n = 1', { do: (s) => void (s.n = 1) }), nop('H2')]),
    ]);
    expect(steps).toEqual(['main:M1', 'irq:I', 'handler:H1', 'handler:H2', 'main:M2', 'main:M3']);
  });

  it('an interrupt of an idle CPU returns to idle', () => {
    // After the handler the CPU is idle again: the entry procedure can start.
    const { steps } = run([
      rules('irq', 'cpu', [step('I', 'interrupt', { when: (s) => !s.irq, do: (s, _c, x) => void ((s.irq = true), x.call('handler')) })]),
      seq('handler', 'cpu', [nop('H1')]),
      seq('main', 'cpu', [step('M1', 'after the handler', { when: (s) => s.irq }), finish('M2')], { entry: true }),
    ]);
    expect(steps).toEqual(['irq:I', 'handler:H1', 'main:M1', 'main:M2']);
  });

  it('a tail call (from the last step) pushes nothing: a loop of tail calls never overflows', () => {
    const { steps, r } = run(
      [
        seq('loop', 'cpu', [step('A', 'n++', { do: (s) => void (s.n = s.n + 1) }), step('B', 'again', { do: (s, _c, x) => void (s.n < 4 ? x.call('loop') : (s.done = true)) })], { entry: true }),
      ],
      { stackDepth: 1 },
    );
    expect(r.property).toBe('reached');
    expect(steps).toEqual(['loop:A', 'loop:B', 'loop:A', 'loop:B', 'loop:A', 'loop:B', 'loop:A', 'loop:B']);
  });

  it('a tail call returns where the caller would have returned', () => {
    const { steps } = run([
      seq('main', 'cpu', [step('M1', 'call a', { do: (_s, _c, x) => x.call('a') }), finish('M2')], { entry: true }),
      seq('a', 'cpu', [nop('A1'), step('A2', 'tail call b', { do: (_s, _c, x) => x.call('b') })]),
      seq('b', 'cpu', [nop('B1')]),
    ]);
    expect(steps).toEqual(['main:M1', 'a:A1', 'a:A2', 'b:B1', 'main:M2']);
  });

  it('a call beyond the stack depth is a model error', () => {
    const { r } = run(
      [
        seq('main', 'cpu', [step('M1', 'call a', { do: (_s, _c, x) => x.call('a') }), finish('M2')], { entry: true }),
        seq('a', 'cpu', [step('A1', 'call b', { do: (_s, _c, x) => x.call('b') }), nop('A2')]),
        seq('b', 'cpu', [nop('B1')]),
      ],
      { stackDepth: 1 },
    );
    expect(r.verdict).toBe('error');
    expect(r.reason).toMatch(/a:A1: call stack of cpu0 overflows its depth 1/);
  });

  it('goto or a return to a label the step does not declare, and a call of an unknown procedure, are model errors', () => {
    const bad = (body: (x: any) => void) => run([seq('main', 'cpu', [step('M1', 'bad', { jumps: ['M1'], do: (_s, _c, x) => body(x) }), finish('M2')], { entry: true })]).r;
    expect(bad((x) => x.goto('NOPE')).reason).toBe("main:M1: goto 'NOPE', a label the step does not declare in its jumps (M1)");
    // M2 exists, but M1 does not declare it: the jump is refused all the same (every jump is known at load).
    expect(bad((x) => x.goto('M2')).reason).toBe("main:M1: goto 'M2', a label the step does not declare in its jumps (M1)");
    expect(bad((x) => x.call('nope')).reason).toMatch(/main:M1: call of unknown procedure 'nope'/);
    expect(bad((x) => x.call('main', 'M2')).reason).toBe("main:M1: call returns to 'M2', a label the step does not declare in its jumps (M1)");
  });

  it('a declared jump to a label the procedure does not have is a model error at load', () => {
    const model = flow([seq('main', 'cpu', [step('M1', 'goto M9', { jumps: ['M9'], do: (_s, _c, x) => x.goto('M9') }), finish('M2')], { entry: true })]);
    expect(() => check(model, [reached])).toThrow("step main:M1 declares a jump to 'M9', which procedure main does not have; labels: M1, M2");
  });

  it('entry procedures start only when the CPU is idle; idle-only rules fire only then', () => {
    // main waits at M2 for n = 1, which only the entry procedure 'other' or the idle-only rule 'tick'
    // set. Neither may run while main is in progress, so main started first is stuck at M2.
    const model = flow([
      seq('main', 'cpu', [nop('M1'), step('M2', 'wait', { when: (s) => s.n === 1 }), finish('M3')], { entry: true }),
      seq('other', 'cpu', [step('O1', 'n = 1', { do: (s) => void (s.n = 1) })], { entry: true }),
      rules('tick', 'cpu', [step('T', 'n = 1', { do: (s) => void (s.n = 1) })], { idleOnly: true }),
    ]);
    const d = check(model, [reached]);
    expect(d.property).toBe('deadlock');
    expect(d.trace!.map((t) => `${t.procedure}:${t.label}`)).toEqual(['main:M1']);
    expect(exploreReference(model, [reached]).trace).toEqual(['cpu0 main:M1']);
    // From idle they can run first; then main runs to its end.
    const r = check(model, [reached], { deadlock: false });
    expect(r.property).toBe('reached');
    expect(r.trace!.map((t) => `${t.procedure}:${t.label}`)).toEqual(['other:O1', 'main:M1', 'main:M2', 'main:M3']);
    expect(exploreReference(model, [reached], { deadlock: false }).trace).toEqual(['cpu0 other:O1', 'cpu0 main:M1', 'cpu0 main:M2', 'cpu0 main:M3']);
  });
});
