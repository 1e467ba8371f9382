// Counterexample files: --save writes a file that replays as a violation on its own variant and as
// "no longer reproduces" on mainline; existing files are never overwritten without --force; malformed
// or foreign files are rejected with the file, the position and the reason.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCounterexample } from '../../src/trace/cexfile.ts';
import { inFreshDir, run } from './run.ts';

inFreshDir('lazytlb-cex-');

const FILE = 'counterexamples/shootdown/no-flush-on-unlazy/no-stale-user.json';
const oneLine = (err: string) => expect(err.trim().split('\n')).toHaveLength(1);

describe('check --save and replay', () => {
  it('saves a counterexample by label and replays it', async () => {
    const c = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    expect(c.code).toBe(1);
    expect(c.out).toContain(`saved: ${FILE}`);
    const cex = loadCounterexample(FILE);
    expect(cex).toMatchObject({ model: 'shootdown', variant: { name: 'no-flush-on-unlazy', file: null, set: {} }, property: 'no-stale-user', params: { cpus: 3, gens: 3 } });
    expect(cex.steps[3]).toEqual({ actor: 'cpu1', procedure: 'flush_start', label: 'F', choice: 0 });

    const same = await run('replay', FILE);
    expect(same.code).toBe(1);
    expect(same.out).toContain('still violates no-stale-user after step 6');

    const fixed = await run('replay', FILE, '--variant', 'mainline');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('no longer reproduces: all 6 steps apply and no property is violated');
  });

  it('records --set flags and replays with them', async () => {
    const c = await run('check', 'shootdown', '--set', 'flushOnUnlazy=false', '--save', '--json');
    const saved = JSON.parse(c.out).saved;
    expect(saved).toBe('counterexamples/shootdown/mainline+flushOnUnlazy=false/no-stale-user.json');
    expect(loadCounterexample(saved).variant.set).toEqual({ flushOnUnlazy: false });
    expect((await run('replay', saved)).code).toBe(1);
  });

  it('never overwrites a different stored counterexample without --force', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const edited = readFileSync(FILE, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(FILE, edited);
    const again = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists and differs; not overwritten \(use --force\)/);
    expect(readFileSync(FILE, 'utf8')).toBe(edited);
    const forced = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save', '--force');
    expect(forced.code).toBe(1);
    expect(readFileSync(FILE, 'utf8')).not.toContain('edited: ');
  });

  it('a step the target variant removed: not applicable, with the state there', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    writeFileSync('no-kthread.ts', `import { defineVariant, remove } from 'lazytlb/src/lang/variant.ts';\nexport default defineVariant({ model: 'shootdown', name: 'no-kthread', description: 'x', edits: [remove('switch_to_kthread:K')] });\n`);
    const r = await run('replay', FILE, '--variant', './no-kthread.ts');
    expect(r.code).toBe(0);
    expect(r.out).toContain('not applicable at step 3 (cpu0 switch_to_kthread:K): procedure switch_to_kthread no longer exists');
    expect(r.out).toContain('cpu[1].mode = user');
  });

  // A hand-edited step the model never had (not in mainline, not in the trace's variant): exit 2 naming the step.
  const edits: [string, (s: Record<string, unknown>) => void, string][] = [
    ['label', (s) => (s.label = 'F2'), 'renamed.json: malformed trace: step 4 (cpu1 flush_start:F2, choice 0): no step flush_start:F2 in the model (did you mean F?); flush_start has F'],
    ['procedure', (s) => (s.procedure = 'flush_strat'), 'renamed.json: malformed trace: step 4 (cpu1 flush_strat:F, choice 0): no procedure flush_strat in the model (did you mean flush_start?)'],
    ['actor', (s) => (s.actor = 'cpu7'), 'renamed.json: malformed trace: step 4 (cpu7 flush_start:F, choice 0): no actor cpu7 runs flush_start:F (cpu actors do); the actors are cpu0..cpu2, flusher0'],
    ['actor kind', (s) => (s.actor = 'flusher0'), 'renamed.json: malformed trace: step 4 (flusher0 flush_start:F, choice 0): no actor flusher0 runs flush_start:F (cpu actors do); the actors are cpu0..cpu2, flusher0'],
    ['choice', (s) => (s.choice = 3), 'renamed.json: malformed trace: step 4 (cpu1 flush_start:F, choice 3): flush_start:F has no choice 3; its choices are 0..0'],
  ];
  for (const [what, edit, msg] of edits) {
    it(`a hand-edited ${what} that exists nowhere is a malformed trace: exit 2`, async () => {
      await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
      const cex = JSON.parse(readFileSync(FILE, 'utf8'));
      edit(cex.steps[3]);
      writeFileSync('renamed.json', JSON.stringify(cex));
      for (const variant of [[], ['--variant', 'mainline']]) {
        const r = await run('replay', 'renamed.json', ...variant);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`lazytlb: ${msg}\n`);
        expect(r.out).toBe('');
      }
    });
  }

  it('reports a step whose guard is false', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save', '--no-symmetry');
    const cex = JSON.parse(readFileSync(FILE, 'utf8'));
    cex.steps.splice(0, 1); // cpu0 never switched to user, so it cannot switch to a kthread
    writeFileSync('cut.json', JSON.stringify(cex));
    const r = await run('replay', 'cut.json');
    expect(r.out).toContain('not applicable at step 1 (cpu0 switch_to_kthread:K): switch_to_kthread:K is not enabled on cpu0 here: its guard is false');
  });
});

describe('malformed counterexample files', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated.json', '{"format": "lazytlb-counterexample", "version": 1, "mod', /truncated\.json: not valid JSON at line 1, column \d+/],
    ['foreign.json', '{"format": "itf", "version": 1}', /foreign\.json: format: expected "lazytlb-counterexample" \(not a lazytlb counterexample\)/],
    ['array.json', '[1, 2]', /array\.json: \(top level\): expected an object/],
    [
      'badstep.json',
      JSON.stringify({ format: 'lazytlb-counterexample', version: 1, model: 'shootdown', memory: 'sc', property: 'p', reason: 'r', variant: { name: null, file: null, set: {} }, flags: {}, params: {}, steps: [{ actor: 'cpu0', procedure: 'x', label: 'L', choice: -1 }] }),
      /badstep\.json: steps\[0\]\.choice: expected a non-negative integer/,
    ],
    [
      'othermodel.json',
      JSON.stringify({ format: 'lazytlb-counterexample', version: 1, model: 'nosuch', memory: 'sc', property: 'p', reason: 'r', variant: { name: null, file: null, set: {} }, flags: {}, params: {}, steps: [] }),
      /unknown model 'nosuch'/,
    ],
  ];
  for (const [name, text, msg] of cases) {
    it(name, async () => {
      writeFileSync(name, text);
      const r = await run('replay', name);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('regress', () => {
  it('mainline: stored counterexamples no longer reproduce; the variant: they still violate', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const main = await run('regress', '--model', 'shootdown');
    expect(main.code).toBe(0);
    expect(main.out).toMatch(/counterexamples\/shootdown\/no-flush-on-unlazy\/no-stale-user\.json\s+no longer reproduces\s+no-stale-user holds in its scenario \(2169 states\); all 6 steps apply/);
    expect(main.out).toContain('full check of mainline: no violation in 1 model(s)');
    const bug = await run('regress', '--model', 'shootdown', '--variant', 'no-flush-on-unlazy');
    expect(bug.code).toBe(1);
    expect(bug.out).toMatch(/no-stale-user\.json\s+still violates\s+the same trace: no-stale-user after step 6/);
    expect(bug.out).toContain('full check of no-flush-on-unlazy: shootdown violates no-stale-user (6 steps) — new compared to mainline');
  });

  it('skips the ITF export next to a counterexample', async () => {
    const c = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save', '--format', 'itf');
    expect(c.out).toContain('no-stale-user.itf.json');
    const r = await run('regress', '--model', 'shootdown');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('regression corpus against --variant mainline: 1 stored counterexamples');
    expect(r.out).not.toContain('itf.json');
  });

  it('lists a foreign file and a hand-edited trace as malformed, checks the rest, exit 2', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const cex = JSON.parse(readFileSync(FILE, 'utf8'));
    cex.steps[3].label = 'F2';
    mkdirSync('counterexamples/shootdown/mine', { recursive: true });
    writeFileSync('counterexamples/shootdown/mine/edited.json', JSON.stringify(cex));
    writeFileSync('counterexamples/shootdown/mine/notes.json', '{"todo": 1}');
    writeFileSync('counterexamples/shootdown/mine/params.json', JSON.stringify({ ...cex, steps: [], params: { cpus: 99, gens: 3 } }));
    writeFileSync('counterexamples/model.json', JSON.stringify({ ...cex, model: 'shootdwn' }));
    const r = await run('regress', '--model', 'shootdown');
    expect(r.code).toBe(2);
    expect(r.err).toBe('lazytlb: 4 malformed file(s) under counterexamples/ (listed above as malformed)\n');
    expect(r.out).toMatch(/counterexamples\/shootdown\/mine\/params\.json\s+malformed\s+param cpus=99 is outside its range; accepted: a decimal integer from 1 to 8\n/);
    expect(r.out).toMatch(/counterexamples\/model\.json\s+malformed\s+unknown model 'shootdwn' \(did you mean shootdown\?\); accepted: /);
    expect(r.out).toMatch(/counterexamples\/shootdown\/mine\/edited\.json\s+malformed\s+malformed trace: step 4 \(cpu1 flush_start:F2, choice 0\): no step flush_start:F2 in the model \(did you mean F\?\); flush_start has F\n/);
    expect(r.out).toMatch(/counterexamples\/shootdown\/mine\/notes\.json\s+malformed\s+format: expected "lazytlb-counterexample" \(not a lazytlb counterexample\)\n/);
    expect(r.out).toMatch(/no-flush-on-unlazy\/no-stale-user\.json\s+no longer reproduces/);
  });

  it('a step the target removed is skipped, not malformed; a deadlock of the target is a violation', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    writeFileSync('no-kthread.ts', `import { defineVariant, remove } from 'lazytlb/src/lang/variant.ts';\nexport default defineVariant({ model: 'shootdown', name: 'no-kthread', description: 'x', edits: [remove('switch_to_kthread:K')] });\n`);
    const r = await run('regress', '--variant', './no-kthread.ts');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no-stale-user\.json\s+no longer reproduces\s+no-stale-user holds in its scenario \(86 states\); trace stops applying at step 5/);
    expect(r.out).toContain('full check of ./no-kthread.ts: shootdown violates deadlock (9 steps) — new compared to mainline');
    expect(r.out).not.toContain('no violation');
  });

  it('an unknown variant name is exit 2 with the close matches; a name some models have is per model', async () => {
    const typo = await run('regress', '--variant', 'v6.41');
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/^lazytlb: unknown variant 'v6\.41' \(did you mean v6\.13 or v6\.14\?\); accepted: mainline, no-flush-on-unlazy, /);
    oneLine(typo.err);
    const one = await run('regress', '--variant', 'nosuch', '--model', 'shootdown');
    expect(one.code).toBe(2);
    expect(one.err).toBe("lazytlb: unknown variant of shootdown 'nosuch'; accepted: mainline, no-flush-on-unlazy\n");
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    writeFileSync('counterexamples/other.json', readFileSync(FILE, 'utf8').replace('"model": "shootdown"', '"model": "lazy-mmu"'));
    const some = await run('regress', '--variant', 'no-flush-on-unlazy');
    expect(some.code).toBe(1);
    expect(some.out).toMatch(/counterexamples\/other\.json\s+not applicable\s+model lazy-mmu has no variant no-flush-on-unlazy/);
  });
});

describe('shrink --save onto a different stored file', () => {
  it('prints the shrunk trace, then refuses: exit 2, the file untouched', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const edited = readFileSync(FILE, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(FILE, edited);
    const r = await run('shrink', FILE, '--save');
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${FILE}: no-stale-user\nshrunk from 6 steps`);
    expect(r.out).toContain('violated: no-stale-user');
    expect(r.out).not.toContain('saved:');
    expect(r.err).toBe(`lazytlb: ${FILE} exists and differs; not overwritten (use --force)\n`);
    expect(readFileSync(FILE, 'utf8')).toBe(edited);
    const j = await run('shrink', FILE, '--save', '--json');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ property: 'no-stale-user', to: { length: 6 } });
    expect(JSON.parse(j.out).saved).toBeUndefined();
    expect(JSON.parse(j.out).saveError).toBe(`${FILE} exists and differs; not overwritten (use --force)`);
    const forced = await run('shrink', FILE, '--save', '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain(`saved: ${FILE}`);
    expect(readFileSync(FILE, 'utf8')).not.toContain('edited: ');
  });

  it('check --shrink --save prints the counterexample, then refuses: exit 2, the file untouched', async () => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const edited = readFileSync(FILE, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(FILE, edited);
    const r = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--shrink', '--save');
    expect(r.code).toBe(2);
    expect(r.out).toContain('violation of no-stale-user after 6 steps');
    expect(r.out).toContain('violated: no-stale-user');
    expect(r.out).not.toContain('saved:');
    expect(r.err).toContain(`lazytlb: ${FILE} exists and differs; not overwritten (use --force)\n`);
    expect(readFileSync(FILE, 'utf8')).toBe(edited);
    const j = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save', '--json');
    expect(j.code).toBe(2);
    const o = JSON.parse(j.out);
    expect(o).toMatchObject({ verdict: 'violation', property: 'no-stale-user', saveError: `${FILE} exists and differs; not overwritten (use --force)` });
    expect(readFileSync(FILE, 'utf8')).toBe(edited);
  });
});
