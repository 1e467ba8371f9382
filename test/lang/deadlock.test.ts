// Deadlock detection: a reachable state where no step is enabled is a violation ('deadlock') unless
// the model's `end` marks it as an allowed end, or the search was asked not to look for deadlocks.
import { describe, expect, it } from 'vitest';
import { fastCheck as check } from './fast.ts';
import { bool } from '../../src/lang/domain.ts';
import { defineModel, rules, seq, step } from '../../src/lang/model.ts';
import { perCpu } from '../../src/lang/schema.ts';
import { exploreReference } from '../../src/reference/explore.ts';

// Two CPUs each take a lock bit and then wait for the other's: the classic ABBA shape. After both
// took their own bit, nobody can move.
function abba() {
  return defineModel({
    name: 'abba',
    title: 'ABBA',
    description: 'cpu c: take lock c; wait for lock 1-c to be free; release',
    params: {},
    flags: {},
    actors: () => ({ cpu: 2 }),
    state: () => ({ cpu: perCpu(2, { held: bool(), finished: bool() }) }),
    procedures: (_p) => [
      seq(
        'worker',
        'cpu',
        [
          step('TAKE', 'take my lock', { when: (s, c) => !s.cpu[c].held && !s.cpu[c].finished, do: (s, c) => void (s.cpu[c].held = true) }),
          step('WAIT', 'wait for the other lock', { when: (s, c) => !s.cpu[1 - c].held }),
          step('DROP', 'release my lock', { do: (s, c) => void ((s.cpu[c].held = false), (s.cpu[c].finished = true)) }),
        ],
        { entry: true },
      ),
    ],
    end: (s) => s.cpu[0].finished && s.cpu[1].finished,
  });
}

describe('deadlock detection', () => {
  it('a stuck state is reported with the shortest trace to it, although `end` allows the finished state', () => {
    const r = check(abba(), []);
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('deadlock');
    expect(r.trace!.map((t) => `${t.actor} ${t.label}`)).toEqual(['cpu0 TAKE', 'cpu1 TAKE']);
    const ref = exploreReference(abba(), []);
    expect(ref.property).toBe('deadlock');
    expect(ref.trace).toEqual(['cpu0 worker:TAKE', 'cpu1 worker:TAKE']);
  });

  it('the final state is a deadlock too unless `end` allows it', () => {
    // A model whose only stuck state is the finished one: allowed by `end`, reported without it.
    const once = (withEnd: boolean) =>
      defineModel({
        name: 'once',
        title: 'run once',
        description: 'one step, then idle forever',
        params: {},
        flags: {},
        actors: () => ({ cpu: 1 }),
        state: () => ({ ran: bool() }),
        procedures: (_p) => [rules('r', 'cpu', [step('RUN', 'run once', { when: (s) => !s.ran, do: (s) => void (s.ran = true) })])],
        ...(withEnd ? { end: (s: any) => s.ran } : {}),
      });
    const ok = check(once(true), []);
    expect(ok.verdict).toBe('ok');
    expect(ok.states).toBe(2);
    const stuck = check(once(false), []);
    expect(stuck.property).toBe('deadlock');
    expect(stuck.trace!.map((t) => t.label)).toEqual(['RUN']);
    expect(exploreReference(once(true), []).verdict).toBe('ok');
    expect(exploreReference(once(false), []).traceLength).toBe(1);
  });

  it('deadlock detection can be switched off', () => {
    const r = check(abba(), [], { deadlock: false, liveness: false });
    expect(r.verdict).toBe('ok');
    const ref = exploreReference(abba(), [], { deadlock: false, liveness: false });
    expect(ref.verdict).toBe('ok');
    expect(ref.states).toBe(r.states);
  });

  it('without deadlock detection the stuck-actor check still reports the CPU that waits forever', () => {
    const r = check(abba(), [], { deadlock: false });
    expect(r.property).toBe('stuck');
    expect(r.reason).toMatch(/^cpu0 is stuck in worker at WAIT \(wait for the other lock\)/);
  });
});
