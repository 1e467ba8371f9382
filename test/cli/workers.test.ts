// --workers on the command line: bad values are one line and exit 2; without it a small search runs in
// one thread (the probe: src/cli/workers.ts) and says nothing of workers; the parallel search's result is
// the sequential one's (--json names the workers, the verdict line names them when more than one),
// with the default reductions too (and the default store: compact, shared by the partitions); sleep
// sets, and partial-order reduction with the fingerprint store, search with one worker and a note says
// so; a variant file is loaded again in each worker; Ctrl-C with workers is incomplete at interrupt, exit 130, and leaves no temp files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runJson } from './run.ts';

describe('lazytlb check --workers', () => {
  it.each([
    ['0', '--workers 0 is out of range; accepted: a decimal integer from 1 to 256'],
    ['abc', '--workers abc is not an integer; accepted: a decimal integer from 1 to 256'],
    ['1.5', '--workers 1.5 is not an integer; accepted: a decimal integer from 1 to 256'],
  ])('--workers %s: one line, exit 2', async (value, line) => {
    const r = await run('check', 'shootdown', '--workers', value);
    expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 2, err: `lazytlb: ${line}\n`, out: '' });
  });

  it('a violation with 2 workers: the states, transitions and trace of 1 worker; json and the verdict line name the workers', async () => {
    const args = ['check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--no-por', '--no-liveness'];
    // Without --workers: found within the probe, in one thread, with no note.
    const one = await runJson(...args);
    const two = await runJson(...args, '--workers', '2');
    expect(one.json.workersNote).toBeUndefined();
    expect(two.code).toBe(1);
    expect(two.json.workers).toBe(2);
    expect(one.json.workers).toBe(1);
    const same = (j: any) => ({ verdict: j.verdict, states: j.states, transitions: j.transitions, property: j.property, trace: j.trace });
    expect(same(two.json)).toEqual(same(one.json));
    const text = await run(...args, '--workers', '2');
    expect(text.out).toMatch(/^violation of no-stale-user after \d+ steps \([\d,]+ states, [\d,]+ transitions, [\d.]+ s, 2 workers; reductions: symmetry\):$/m);
  });

  it('the default reductions and store with 2 workers: the result of 1; sleep sets, and por with the fingerprint store, search with 1 worker and a note says so', async () => {
    const one = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--no-liveness', '--param', 'switches=1');
    const two = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--no-liveness', '--param', 'switches=1', '--workers', '2');
    const same = (j: any) => ({ verdict: j.verdict, states: j.states, transitions: j.transitions, reductions: j.reductions, property: j.property, trace: j.trace });
    expect({ workers: two.json.workers, note: two.json.workersNote, store: two.json.store.kind }).toEqual({ workers: 2, note: undefined, store: 'compact' });
    expect(same(two.json)).toEqual(same(one.json));
    // The partitions keep the compact store (not exact ones under its name): fewer bytes per state than --store exact's.
    const exact = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--no-liveness', '--param', 'switches=1', '--workers', '2', '--store', 'exact');
    expect({ kind: exact.json.store.kind, states: exact.json.states }).toEqual({ kind: 'exact', states: one.json.states });
    expect(two.json.store.bytesPerState).toBeLessThan(exact.json.store.bytesPerState);
    const fp = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--no-liveness', '--param', 'switches=1', '--workers', '2', '--store', 'fingerprint');
    expect({ workers: fp.json.workers, note: fp.json.workersNote }).toEqual({ workers: 1, note: '1 worker, not 2: partial-order reduction with workers needs the compact or exact store, not fingerprint' });
    const r = await run('check', 'shootdown', '--no-liveness', '--sleep-sets', '--workers', '2');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]).toBe('note: 1 worker, not 2: sleep sets depend on the order of expansion (without --sleep-sets to search with workers)');
    const j = await runJson('check', 'shootdown', '--no-liveness', '--sleep-sets', '--workers', '2');
    expect({ workers: j.json.workers, note: j.json.workersNote }).toEqual({ workers: 1, note: '1 worker, not 2: sleep sets depend on the order of expansion (without --sleep-sets to search with workers)' });
  });

  it('a variant file with 2 workers: each worker loads it again; the same result as 1 worker', async () => {
    const args = ['check', 'x86-lazy-tlb', '--variant', 'test/fixtures/variants/x86-lost-flush-ipi.ts', '--no-por', '--no-liveness', '--param', 'switches=1'];
    const one = await runJson(...args);
    const two = await runJson(...args, '--workers', '2');
    expect(two.json.workers).toBe(2);
    expect({ verdict: two.json.verdict, states: two.json.states, transitions: two.json.transitions, trace: two.json.trace }).toEqual({ verdict: one.json.verdict, states: one.json.states, transitions: one.json.transitions, trace: one.json.trace });
  });
  it('bounded monitors (--within) with 2 workers: rebuilt in each worker; the violation and trace of 1 worker', async () => {
    const args = ['check', 'shootdown', '--variant', 'test/fixtures/variants/shootdown-retry-ipi.ts', '--within', '4', '--no-liveness'];
    const one = await runJson(...args);
    const two = await runJson(...args, '--workers', '2');
    expect({ workers: two.json.workers, note: two.json.workersNote, property: two.json.property }).toEqual({ workers: 2, note: undefined, property: 'flush-returns/within-4' });
    expect({ verdict: two.json.verdict, states: two.json.states, transitions: two.json.transitions, trace: two.json.trace }).toEqual({ verdict: one.json.verdict, states: one.json.states, transitions: one.json.transitions, trace: one.json.trace });
  });
});

describe('lazytlb check --workers 2, interrupted', () => {
  it('SIGINT: incomplete at interrupt, exit 130, no temp files left', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lazytlb-workers-sigint-'));
    try {
      // shootdown's wide scope without reductions runs for minutes; past 65,536 states a partition spills
      // its store's parent links to a file in TMPDIR (an idle machine covers some 500,000 states in 5 s).
      const child = spawn(process.execPath, ['bin/lazytlb.mjs', 'check', 'shootdown', '--scope', 'wide', '--no-symmetry', '--no-por', '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (err += b));
      const timer = setTimeout(() => child.kill('SIGINT'), 5000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(timer);
      expect({ code, err }).toEqual({ code: 130, err: '' });
      expect(out).toMatch(/^shootdown --scope wide \(cpus=8 gens=8, memory sc\)\nincomplete: stopped at interrupt; no violation in what was covered: [\d,]+ states, [\d,]+ transitions, depth \d+, [\d.]+ s, 2 workers\n$/);
      // (tsx, when the sources run, keeps its compile cache there: not the search's)
      expect(readdirSync(tmp).filter((f) => f.startsWith('lazytlb-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 30_000);
});
