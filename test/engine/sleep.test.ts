// Sleep sets: the same states, fewer transitions, the same verdicts and real traces.
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import { bool, int } from '../../src/lang/domain.ts';
import { defineModel, seq, step } from '../../src/lang/model.ts';
import { own, perCpu } from '../../src/lang/schema.ts';
import { replay } from '../../src/trace/replay.ts';
import { localWork, localWorkProperties } from '../fixtures/models/local-work.ts';

const run = (opts: Parameters<typeof check>[2]) => check(localWork, localWorkProperties, opts);

// CPU0 reads x into its own r, then y into its own q; CPU1 writes x, then y. Whether a read sees the
// write depends on the order, so no read may sleep after the write it reads is taken (CPU0's
// transitions are tried first: a read taken before a write is on the list the write's successor
// inherits its sleep set from).
const readsBeforeWrites = defineModel({
  name: 'reads-before-writes',
  title: 'fixture: two reads, two writes',
  description: 'a reader and a writer of two shared fields',
  params: {},
  flags: {},
  actors: () => ({ cpu: 2 }),
  state: () => ({ x: bool(), y: bool(), cpu: perCpu(2, { r: own(int(0, 2)), q: own(int(0, 2)) }) }),
  procedures: () => [
    seq(
      'run',
      'cpu',
      [
        step('A', 'CPU0: r = x + 1; CPU1: x = 1', {
          do: (s: any, c: number) => {
            if (c === 0) s.cpu[c].r = s.x ? 2 : 1;
            else s.x = true;
          },
        }),
        step('B', 'CPU0: q = y + 1; CPU1: y = 1', {
          do: (s: any, c: number) => {
            if (c === 0) s.cpu[c].q = s.y ? 2 : 1;
            else s.y = true;
          },
        }),
      ],
      { entry: true },
    ),
  ],
});

describe('sleep sets', () => {
  it('store every state of the full search and take fewer transitions', () => {
    const full = run({});
    const sleep = run({ sleep: true });
    expect([full.verdict, full.states, full.transitions]).toEqual(['ok', 112, 312]);
    expect([sleep.verdict, sleep.states, sleep.transitions]).toEqual(['ok', 112, 147]);
    expect(sleep.reductions).toEqual({ sleep: { slept: 180, reopened: 15 } });
  });

  it('never put to sleep a read of what was written since', () => {
    const full = check(readsBeforeWrites, [], { deadlock: false });
    const sleep = check(readsBeforeWrites, [], { deadlock: false, sleep: true });
    expect([full.states, full.transitions]).toEqual([31, 62]);
    expect([sleep.states, sleep.transitions]).toEqual([31, 55]);
  });

  it('combine with ample sets and symmetry', () => {
    expect(run({ por: true }).states).toBe(51);
    // Sleep sets prune transitions of fully expanded states, so fewer states are reached with ample sets
    // (35 before an ample set whose transitions were all asleep was expanded in full: that took nothing).
    expect(run({ por: true, sleep: true }).states).toBe(38);
    expect(run({ por: true, symmetry: true, sleep: true }).states).toBe(20); // 18 before
  });

  it('still find the violation, with a real trace', () => {
    for (const opts of [{ sleep: true }, { por: true, sleep: true }, { por: true, symmetry: true, sleep: true }]) {
      const r = run({ ...opts, flags: { broken: true } });
      expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'mutex', 8]);
      const steps = r.trace!.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice }));
      expect(replay(r.program, steps).status).toBe('violates');
    }
  });

  it('on the shootdown calibration model: 54% fewer transitions, the same states and finding', () => {
    const { model, variants } = shipped.find((m) => m.model.name === 'shootdown')!;
    const full = check(model, allProperties, {});
    const sleep = check(model, allProperties, { sleep: true });
    expect([full.states, full.transitions]).toEqual([2169, 10197]);
    expect([sleep.states, sleep.transitions]).toEqual([2169, 4726]);
    const variant = variants.find((v) => v.name === 'no-flush-on-unlazy')!;
    const bug = check(model, allProperties, { variant, sleep: true });
    expect([bug.verdict, bug.property, bug.trace!.length]).toEqual(['violation', 'no-stale-user', 6]);
  });

  it('on x86-lazy-tlb (mainline, no other reduction): every state, 36% fewer transitions', () => {
    const { model } = shipped.find((m) => m.model.name === 'x86-lazy-tlb')!;
    const r = check(model, allProperties, { sleep: true });
    expect([r.verdict, r.states, r.transitions]).toEqual(['ok', 219680, 453077]);
  });
});
