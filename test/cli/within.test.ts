// `check --within K` through the command line: the bounded monitors are ordinary safety properties in
// the verdict line and in --json (named P/within-K), a saved violation replays as one, and a bad K is
// a one-line usage error with exit code 2.
import { describe, expect, it } from 'vitest';
import { inFreshDir, run, runJson } from './run.ts';

inFreshDir('lazytlb-within-');

describe('check --within K', () => {
  it('a violation of the bounded monitor: verdict line, --json, --save and replay', async () => {
    const r = await run('check', 'shootdown', '--within', '2', '--no-liveness', '--save');
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation of flush-returns/within-2 after 5 steps');
    expect(r.out).toContain('saved: counterexamples/shootdown/mainline/flush-returns_within-2.json');
    const again = await run('replay', 'counterexamples/shootdown/mainline/flush-returns_within-2.json');
    expect(again.code).toBe(1);
    expect(again.out).toContain('violated: flush-returns/within-2');
    const j = await runJson('check', 'shootdown', '--within', '2', '--no-liveness');
    expect(j.code).toBe(1);
    expect(j.json.properties).toEqual(['no-stale-user', 'flush-returns', 'flush-returns/within-2']);
    expect(j.json).toMatchObject({ verdict: 'violation', property: 'flush-returns/within-2', liveness: null });
    expect(j.json.trace).toHaveLength(5);
  });

  it('--property selects a bounded monitor by name, with or without --within', async () => {
    const j = await runJson('check', 'shootdown', '--property', 'flush-returns/within-4', '--no-liveness');
    expect(j.json.properties).toEqual(['flush-returns/within-4']);
    expect(j.json.trace).toHaveLength(7);
  });

  it('bad values: one line, exit 2', async () => {
    for (const [v, msg] of [
      ['0', '--within 0 is out of range; accepted: a decimal integer of at least 1'],
      ['two', '--within two is not an integer; accepted: a decimal integer of at least 1'],
      ['1.5', '--within 1.5 is not an integer; accepted: a decimal integer of at least 1'],
      ['-3', '--within -3 is out of range; accepted: a decimal integer of at least 1'],
    ]) {
      const r = await run('check', 'shootdown', '--within', v);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`lazytlb: ${msg}\n`);
      expect(r.out).toBe('');
    }
    const missing = await run('check', 'shootdown', '--within');
    expect([missing.code, missing.err]).toEqual([2, 'lazytlb: --within needs a value\n']);
  });
});
