// The `check` contract: verdicts, exact state counts, the --json object, exit codes, limits.
import { describe, expect, it } from 'vitest';
import { run, runJson } from './run.ts';

describe('lazytlb check shootdown', () => {
  it('reaches exactly the states the SPIN and Murphi twins reach', async () => {
    // Counts measured with SPIN (-DNOREDUCE) and rumur on the twins in bench/.
    for (const [cpus, gens, states] of [[2, 2, 129], [3, 3, 2169], [4, 3, 20385]]) {
      const { code, json } = await runJson('check', 'shootdown', '--param', `cpus=${cpus}`, '--param', `gens=${gens}`, '--no-por', '--no-symmetry');
      expect(code).toBe(0);
      expect(json.verdict).toBe('ok');
      expect(json.states).toBe(states);
    }
  });

  it('prints the --json object of the CLI contract', async () => {
    const { json } = await runJson('check', 'shootdown', '--param', 'cpus=2', '--param', 'gens=2', '--no-por', '--no-symmetry');
    expect(json).toMatchObject({ verdict: 'ok', model: 'shootdown', variant: null, params: { cpus: 2, gens: 2 }, states: 129, transitions: 422, depth: 10 });
    expect(typeof json.seconds).toBe('number');
    // The reductions that were on, each with its statistics: none here.
    expect(json.reductions).toEqual({});
    // By default both reductions are on: one state per orbit of the interchangeable CPUs.
    const reduced = await runJson('check', 'shootdown', '--param', 'cpus=2', '--param', 'gens=2');
    expect(reduced.json).toMatchObject({ verdict: 'ok', states: 72 });
    expect(reduced.json.reductions).toEqual({ symmetry: {}, por: { ampleStates: 0 } });
    // Sleep sets: every state, fewer transitions, and how many they pruned.
    const slept = await runJson('check', 'shootdown', '--param', 'cpus=2', '--param', 'gens=2', '--no-por', '--no-symmetry', '--sleep-sets');
    expect(slept.json).toMatchObject({ verdict: 'ok', states: 129, transitions: 226 });
    expect(slept.json.reductions).toEqual({ sleep: { slept: 196, reopened: 0 } });
  });

  it('names the reductions that were on, with their statistics, on the verdict line', async () => {
    const cpus2 = ['--param', 'cpus=2', '--param', 'gens=2'];
    const verdict = async (...flags: string[]) => (await run('check', 'shootdown', ...cpus2, ...flags)).out.split('\n')[1];
    expect(await verdict('--no-por', '--no-symmetry')).toMatch(/complete search: 129 states, 422 transitions, depth 10, [\d.]+ s$/);
    expect(await verdict()).toMatch(/complete search: 72 states, [\d,]+ transitions, depth 10, [\d.]+ s; reductions: symmetry, por \(ampleStates 0\)$/);
    expect(await verdict('--no-por', '--no-symmetry', '--sleep-sets')).toMatch(/complete search: 129 states, 226 transitions, depth 10, [\d.]+ s; reductions: sleep \(slept 196, reopened 0\)$/);
  });

  it('finds a shortest counterexample without the flush on unlazy', async () => {
    const { code, json } = await runJson('check', 'shootdown', '--set', 'flushOnUnlazy=false', '--no-por', '--no-symmetry');
    expect(code).toBe(1);
    expect(json.verdict).toBe('violation');
    expect(json.property).toBe('no-stale-user');
    // A CPU goes lazy, another flushes (skipping the lazy CPU), the lazy CPU returns to user.
    expect(json.trace.map((t: any) => `${t.actor} ${t.procedure}:${t.label}`)).toEqual([
      'cpu0 switch_to_user:U',
      'cpu0 switch_to_kthread:K',
      'cpu1 switch_to_user:U',
      'cpu1 flush_start:F',
      'cpu0 switch_to_user:U',
      'flusher0 flush_done:D',
    ]);
    // With the reductions (the default) the counterexample is as short.
    const reduced = await runJson('check', 'shootdown', '--set', 'flushOnUnlazy=false');
    expect(reduced.json.property).toBe('no-stale-user');
    expect(reduced.json.trace).toHaveLength(6);
  });

  it('renders a violation as one column per CPU with the property and the reason', async () => {
    const r = await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--param', 'cpus=2');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines.find((l) => l.trimStart().startsWith('#'))).toMatch(/#\s+cpu0\s+cpu1\s+flusher0/);
    expect(r.out).toMatch(/^\s+4\s+\|\s+flush_start:F/m);
    expect(r.out).toContain('mmGen: 0 -> 1');
    expect(r.out).toContain('violated: no-stale-user');
    expect(r.out).toMatch(/because: +cpu0 runs user code with TLB generation 0 while the mm is at generation 1/);
  });

  it('says incomplete, never ok, when a limit stops the search', async () => {
    const { code, json } = await runJson('check', 'shootdown', '--param', 'cpus=4', '--max-states', '2000', '--no-symmetry');
    expect(code).toBe(3);
    expect(json.verdict).toBe('incomplete');
    expect(json.limit).toBe('max-states 2000');
    expect(json.states).toBeGreaterThanOrEqual(2000);
    expect(json.states).toBeLessThan(20385);
  });

  it('says incomplete at the memory and time limits', async () => {
    const mem = await runJson('check', 'shootdown', '--param', 'cpus=5', '--param', 'gens=5', '--max-memory', '8', '--no-symmetry');
    expect(mem.code).toBe(3);
    expect(mem.json.verdict).toBe('incomplete');
    expect(mem.json.limit).toBe('max-memory 8 MiB');
    expect(mem.json.states).toBeLessThan(1156893);
    const time = await runJson('check', 'shootdown', '--param', 'cpus=6', '--param', 'gens=3', '--max-seconds', '0.05', '--no-symmetry');
    expect(time.code).toBe(3);
    expect(time.json.limit).toBe('max-seconds 0.05');
    expect(time.json.states).toBeLessThan(1789425);
  });

  it('--scope applies a named scope of the model; --param still applies on top', async () => {
    const wide = await runJson('check', 'shootdown', '--scope', 'wide', '--max-states', '1000');
    expect(wide.json.scope).toBe('wide');
    expect(wide.json.params).toEqual({ cpus: 8, gens: 8 });
    expect(wide.json.verdict).toBe('incomplete');
    // Without the stuck check: its unreduced exploration of 8 CPUs would take minutes.
    const over = await runJson('check', 'shootdown', '--scope', 'wide', '--param', 'gens=2', '--no-liveness');
    expect(over.json.params).toEqual({ cpus: 8, gens: 2 });
    expect(over.json.verdict).toBe('ok');
    expect((await runJson('check', 'shootdown', '--scope', 'default')).json.params).toEqual({ cpus: 3, gens: 3 });
  });

  it('checks only the named properties', async () => {
    const { json } = await runJson('check', 'shootdown', '--property', 'no-stale-user', '--param', 'cpus=2');
    expect(json.properties).toEqual(['no-stale-user']);
  });
});

describe('bad input: one line, exit 2, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['check', 'shootdwn'], /^lazytlb: unknown model 'shootdwn' \(did you mean shootdown\?\); accepted: shootdown/],
    [['check', 'shootdown', '--variant', 'v9'], /^lazytlb: unknown variant of shootdown 'v9'; accepted: mainline, no-flush-on-unlazy/],
    [['check', 'shootdown', '--set', 'flushOnUnlazzy=true'], /^lazytlb: unknown flag 'flushOnUnlazzy' \(did you mean flushOnUnlazy\?\); accepted: flushOnUnlazy/],
    [['check', 'shootdown', '--set', 'flushOnUnlazy=3'], /^lazytlb: flag flushOnUnlazy=3 is not a boolean; accepted: true, false/],
    [['check', 'shootdown', '--set', 'flushOnUnlazy'], /^lazytlb: --set flushOnUnlazy: expected name=value/],
    [['check', 'shootdown', '--param', 'cpus=0'], /^lazytlb: param cpus=0 is outside its range; accepted: a decimal integer from 1 to 8$/m],
    [['check', 'shootdown', '--param', 'cpus=two'], /^lazytlb: param cpus=two is not an integer; accepted: a decimal integer from 1 to 8$/m],
    [['check', 'shootdown', '--param', 'cpu=2'], /^lazytlb: unknown param 'cpu' \(did you mean cpus\?\); accepted: cpus, gens/],
    [['check', 'shootdown', '--property', 'P1'], /^lazytlb: unknown property 'P1'; accepted: no-stale-user/],
    [['check', 'shootdown', '--scope', 'wdie'], /^lazytlb: unknown scope 'wdie' \(did you mean wide\?\); accepted: default, wide/],
    [['check', 'shootdown', '--scope', 'constructor'], /^lazytlb: unknown scope 'constructor'; accepted: default, wide/],
    [['summary', '--scope', 'nope'], /^lazytlb: no shipped model declares the scope 'nope'; scopes: .*wide/],
    [['check', 'shootdown', '--memory', 'tso'], /^lazytlb: model 'shootdown' has no memory model 'tso'; accepted: sc/],
    [['check', 'shootdown', '--variant', './does-not-exist.ts'], /^lazytlb: variant file \.\/does-not-exist\.ts does not load: no such file/],
    [['check', 'shootdown', '--variant', 'test/fixtures/throwing-variant.ts'], /^lazytlb: variant file test\/fixtures\/throwing-variant\.ts does not load: the patch is malformed/],
    [['check', 'shootdown', '--variant', 'test/fixtures/not-a-variant.ts'], /^lazytlb: variant file test\/fixtures\/not-a-variant\.ts does not load: its default export is not a variant/],
    [['check', 'shootdown', '--variant', 'test/fixtures/bad-label-variant.ts'], /^lazytlb: unknown step label in flush_start 'FF' \(did you mean F\?\); accepted: F/],
    [['check', 'shootdown', '--frobnicate'], /^lazytlb: unknown option --frobnicate; see lazytlb check --help$/m],
    [['frob'], /^lazytlb: unknown command 'frob'; accepted: list, check, replay, shrink, regress, show, summary, steps, new-variant, completion$/m],
    [[], /^lazytlb: name a command/],
  ];
  for (const [argv, msg] of cases) {
    it(argv.join(' ') || '(no arguments)', async () => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }

  it('shows the stack trace with --debug', async () => {
    const r = await run('check', 'shootdown', '--param', 'cpus=0', '--debug');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\n\s+at /);
  });
});
