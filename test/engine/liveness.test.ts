// The fair-cycle check: a wait that can always still complete but, under weak fairness, need not
// (the step that ends it is enabled only now and then) is a violation of its liveness property,
// reported as a lasso (a stem, then a cycle back to the stem's last state) that re-checks as a fair
// cycle; the same wait with the window held open passes. The fast check and the reference agree.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { verifyLasso } from '../../src/engine/liveness.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import { window, waits } from '../fixtures/models/window.ts';
import { fastTrace } from '../reference/compare.ts';

const steps = (r: ReturnType<typeof check>) => (r.trace ?? []).map((t) => `${t.actor} ${t.procedure}:${t.label}`);
const REASON = 'cpu0 never returns from wait_for_flag: a fair cycle keeps it inside, at wait_for_flag:WAIT (wait until the flag is set, then take it); every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)';

describe('fair cycles', () => {
  it('a flag set and cleared before the waiter looks: a lasso, not a stuck actor', () => {
    const r = check(window, [waits], { flags: { nmi: false } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('waits');
    expect(r.reason).toBe(REASON);
    expect(steps(r).slice(0, r.cycleAt)).toEqual(['cpu0 wait_for_flag:START']);
    expect(steps(r).slice(r.cycleAt)).toEqual(['cpu1 toggle:SET', 'cpu1 toggle:CLEAR']);
    const prop = r.program.instance.properties.findIndex((p) => p.name === 'waits');
    expect(verifyLasso(r.program, r.rawTrace!, r.cycleAt!, prop)).toBeNull();
  });

  it('a lasso whose cycle leaves out the toggler is not fair, and one cut short does not close', () => {
    const r = check(window, [waits], { flags: { nmi: false } });
    const prop = r.program.instance.properties.findIndex((p) => p.name === 'waits');
    expect(verifyLasso(r.program, r.rawTrace!.slice(0, 2), 1, prop)).toBe('the cycle does not return to the state it starts in (step 2)');
  });

  it('with NMIs: the cycle also passes the NMI, and the verdict is the same', () => {
    const r = check(window, [waits]);
    expect(r.property).toBe('waits');
    const prop = r.program.instance.properties.findIndex((p) => p.name === 'waits');
    expect(verifyLasso(r.program, r.rawTrace!, r.cycleAt!, prop)).toBeNull();
    expect(steps(r).slice(r.cycleAt)).toContain('cpu1 toggle:SET');
  });

  it('the flag held until the waiter took it: ok', () => {
    const r = check(window, [waits], { flags: { hold: true, nmi: false } });
    expect(r.verdict).toBe('ok');
    expect(r.liveness).toMatchObject({ verdict: 'ok', graph: 'search' });
  });

  it('held, but NMIs whose handler is a step of the CPU: an NMI storm starves the wait (weak fairness per unit)', () => {
    // The CPU's program moves (the handler's step), so its unit is fair although WAIT is never taken.
    const r = check(window, [waits], { flags: { hold: true } });
    expect(r.property).toBe('waits');
    expect(steps(r).slice(r.cycleAt).every((x) => /nmi/.test(x))).toBe(true);
  });

  it('without the check (liveness: false): ok, the safety verdict', () => {
    expect(check(window, [waits], { liveness: false }).verdict).toBe('ok');
  });

  it('under partial-order reduction: the same lasso, from the unreduced graph', () => {
    const plain = check(window, [waits], { params: { cpus: 3 } });
    const reduced = check(window, [waits], { params: { cpus: 3 }, por: true });
    expect(reduced.property).toBe('waits');
    expect(reduced.reason).toBe(plain.reason);
    expect(steps(reduced)).toEqual(steps(plain));
  });

  for (const c of [{ nmi: false, hold: false }, { nmi: true, hold: false }, { nmi: true, hold: true }, { nmi: false, hold: true }]) {
    for (const cpus of [2, 3]) {
      it(`agrees with the reference (cpus=${cpus}, nmi=${c.nmi}, hold=${c.hold})`, () => {
        const fast = check(window, [waits], { params: { cpus }, flags: c });
        const ref = exploreReference(window, [waits], { params: { cpus }, flags: c });
        expect(fast.verdict).toBe(ref.verdict);
        expect(fast.property).toBe(ref.property);
        expect(fast.reason).toBe(ref.reason);
        if (ref.property === 'waits') expect(fastTrace(fast).slice(0, fast.cycleAt)).toEqual(ref.trace);
        expect(ref.verdict).toBe(c.hold && !c.nmi ? 'ok' : 'violation');
      });
    }
  }
});
