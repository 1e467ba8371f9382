// The helpers a kernel developer puts in their own suite, and the ITF export.
import { describe, expect, it } from 'vitest';
import { expectNoViolation, expectViolation } from '../../src/testing.ts';
import { toItf } from '../../src/trace/itf.ts';

describe('expectNoViolation / expectViolation', () => {
  it('pass on the expected outcome and fail with the trace otherwise', async () => {
    await expectNoViolation('shootdown');
    await expectViolation('shootdown', 'no-flush-on-unlazy', 'no-stale-user');
    await expect(expectNoViolation('shootdown', 'no-flush-on-unlazy')).rejects.toThrow(/expected no violation, got shootdown --variant no-flush-on-unlazy: violation[\s\S]*violated: no-stale-user/);
    await expect(expectViolation('shootdown', null, 'no-stale-user')).rejects.toThrow(/expected a violation of no-stale-user, got shootdown: ok \(2169 states\)/);
  });
});

describe('ITF export', () => {
  it('writes one state per step with the model variables', async () => {
    const r = await expectViolation('shootdown', 'no-flush-on-unlazy', 'no-stale-user', { params: { cpus: 2 } });
    const itf = toItf(r.program, r.rawTrace!, { property: r.property }) as any;
    expect(itf.vars).toEqual(['cpu', 'mmGen', 'flushing']);
    expect(itf.states).toHaveLength(r.trace!.length + 1);
    expect(itf.states[0]).toMatchObject({ '#meta': { action: 'init' }, mmGen: 0, flushing: false });
    expect(itf.states[0].cpu[0]).toEqual({ mode: 'kthread', lazy: false, inMask: false, loaded: false, ipiPending: false, localGen: 0 });
    expect(itf.states[4]['#meta'].action).toBe('cpu1 flush_start:F');
    expect(itf.states.at(-1).cpu[0].mode).toBe('user');
  });
});
