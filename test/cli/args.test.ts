// The command line gives no false greens: every numeric option and param is a decimal integer in its
// range (or a positive number of seconds), an option that takes a value has one, a boolean is true or
// false, a typo exits 2 naming the close matches, and with --json every error is one JSON object.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsUsageError } from '../../src/cli/exit.ts';
import { parseFlagValue } from '../../src/lang/instantiate.ts';
import { run, runJson } from './run.ts';

const CEX = 'counterexamples/shootdown/no-flush-on-unlazy/no-stale-user.json';

/** Exit 2 and exactly this one line on stderr. */
async function rejects(argv: string[], line: string): Promise<void> {
  const r = await run(...argv);
  expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 2, err: `lazytlb: ${line}\n`, out: '' });
}

describe('numbers: decimal integers in range, one home for every option and param', () => {
  const cases: [string[], string][] = [
    [['check', 'shootdown', '--max-states', 'abc'], '--max-states abc is not an integer; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--max-states', '-5'], '--max-states -5 is out of range; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--max-states', '0x10'], '--max-states 0x10 is not an integer; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--max-states', '1e3'], '--max-states 1e3 is not an integer; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--max-states', '1', '--max-states', '2'], '--max-states is given 2 times (1, 2); give it once'],
    [['check', 'shootdown', '--max-memory', '0'], '--max-memory 0 is out of range; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--max-seconds', 'abc'], '--max-seconds abc is not a positive number of seconds; accepted: a positive decimal number such as 30 or 0.5'],
    [['check', 'shootdown', '--max-seconds', '0'], '--max-seconds 0 is not a positive number of seconds; accepted: a positive decimal number such as 30 or 0.5'],
    [['check', 'shootdown', '--max-seconds', '1e1'], '--max-seconds 1e1 is not a positive number of seconds; accepted: a positive decimal number such as 30 or 0.5'],
    [['check', 'shootdown', '--simulate', 'abc'], '--simulate abc is not an integer; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--simulate', '3', '--walk-depth', '0'], '--walk-depth 0 is out of range; accepted: a decimal integer of at least 1'],
    [['check', 'shootdown', '--simulate', '3', '--seed', 'abc'], '--seed abc is not an integer; accepted: a decimal integer from 0 to 2147483647'],
    [['check', 'shootdown', '--param', 'cpus=two'], 'param cpus=two is not an integer; accepted: a decimal integer from 1 to 8'],
    [['check', 'shootdown', '--param', 'cpus=0x2'], 'param cpus=0x2 is not an integer; accepted: a decimal integer from 1 to 8'],
    [['check', 'shootdown', '--param', 'cpus=1e0'], 'param cpus=1e0 is not an integer; accepted: a decimal integer from 1 to 8'],
    [['check', 'shootdown', '--param', 'cpus= 2'], 'param cpus= 2 is not an integer; accepted: a decimal integer from 1 to 8'],
    [['check', 'shootdown', '--param', 'cpus=2.0'], 'param cpus=2.0 is not an integer; accepted: a decimal integer from 1 to 8'],
    [['check', 'shootdown', '--param', 'cpus=9'], 'param cpus=9 is outside its range; accepted: a decimal integer from 1 to 8'],
    [['check', 'membarrier', '--set', 'arch=x87'], "flag arch=x87 is not accepted; accepted: x86, x86-pti, arm64, powerpc, riscv"],
    [['shrink', CEX, '--max-states', '2.5'], '--max-states 2.5 is not an integer; accepted: a decimal integer of at least 1'],
    [['summary', '--max-seconds', '-1'], '--max-seconds -1 is not a positive number of seconds; accepted: a positive decimal number such as 30 or 0.5'],
  ];
  for (const [argv, line] of cases) it(argv.join(' '), () => rejects(argv, line));

  it('an integer flag takes a decimal integer in its range', () => {
    const spec = { default: 1, min: 0, max: 3, doc: 'n' };
    expect(parseFlagValue('n', spec, '2')).toBe(2);
    for (const raw of ['0x2', '1e0', ' 2', '2.0', 'two', '']) expect(() => parseFlagValue('n', spec, raw)).toThrow(`flag n=${raw} is not an integer in range; accepted: a decimal integer from 0 to 3`);
    expect(() => parseFlagValue('n', spec, '4')).toThrow('flag n=4 is not an integer in range; accepted: a decimal integer from 0 to 3');
  });

  it('accepts decimal values, with or without =', async () => {
    const r = await runJson('check', 'shootdown', '--param', 'cpus=4', '--max-states=2000', '--max-seconds', '30.5', '--no-symmetry');
    expect(r.code).toBe(3);
    expect(r.json).toMatchObject({ verdict: 'incomplete', limit: 'max-states 2000', params: { cpus: 4, gens: 3 } });
    const sim = await runJson('check', 'shootdown', '--simulate', '3', '--walk-depth', '5', '--seed', '7');
    expect(sim.json).toMatchObject({ verdict: 'incomplete', simulation: { runs: 3, seed: 7 } });
  });
});

describe('options that take a value, booleans, typos', () => {
  const cases: [string[], string][] = [
    [['check', 'shootdown', '--variant'], '--variant needs a value'],
    [['check', 'shootdown', '--variant='], '--variant needs a value'],
    [['check', 'shootdown', '--property'], '--property needs a value'],
    [['check', 'shootdown', '--param'], '--param needs a value'],
    [['check', 'shootdown', '--memory'], '--memory needs a value'],
    [['check', 'shootdown', '--format', 'xml'], '--format xml is not accepted; accepted: lazytlb, itf'],
    [['check', 'shootdown', '--por=maybe'], '--por=maybe is not a boolean; accepted: --por, --no-por, --por=true, --por=false'],
    [['check', 'shootdown', '--json=1'], '--json=1 is not a boolean; accepted: --json, --no-json, --json=true, --json=false'],
    [['check', 'shootdown', '--no-symmetry=true'], '--no-symmetry takes no value; accepted: --symmetry, --no-symmetry, --symmetry=true, --symmetry=false'],
    [['check', 'shootdown', '--por', 'maybe'], "unexpected argument 'maybe' to check; see lazytlb check --help"],
    [['list', '--jsn'], 'unknown option --jsn (did you mean --json?); see lazytlb list --help'],
    [['check', 'shootdown', '--max-state', '5'], 'unknown option --max-state (did you mean --max-states?); see lazytlb check --help'],
    [['replay', CEX, '--variantt', 'mainline'], 'unknown option --variantt (did you mean --variant?); see lazytlb replay --help'],
    [['shrink', CEX, '--sav'], 'unknown option --sav (did you mean --save?); see lazytlb shrink --help'],
    [['regress', '--modle', 'shootdown'], 'unknown option --modle (did you mean --model?); see lazytlb regress --help'],
    [['show', CEX, '--htm', 'x.html'], 'unknown option --htm (did you mean --html?); see lazytlb show --help'],
    [['summary', '--scpoe', 'wide'], 'unknown option --scpoe (did you mean --scope?); see lazytlb summary --help'],
    [['replay'], 'replay needs its argument (replay <file>); see lazytlb replay --help'],
    [['chek', 'shootdown'], "unknown command 'chek' (did you mean check?); accepted: list, check, replay, shrink, regress, show, summary, steps, new-variant, completion"],
  ];
  for (const [argv, line] of cases) it(argv.join(' '), () => rejects(argv, line));

  it('--por=false and --por=true are the booleans', async () => {
    expect((await runJson('check', 'shootdown', '--por=false')).json.reductions.por).toBeUndefined();
    expect((await runJson('check', 'shootdown', '--por=true')).json.reductions.por).toEqual({ ampleStates: 0 });
  });
});

describe('the command line itself', () => {
  it('takes options before the model', async () => {
    const r = await runJson('check', '--param', 'cpus=1', '--param', 'gens=1', 'shootdown', '--no-symmetry');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ verdict: 'ok', model: 'shootdown', params: { cpus: 1, gens: 1 }, states: 9 });
  });

  it('--version prints the package version; -h and completion print to stdout', async () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(await run('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    const help = await run('-h');
    expect(help.code).toBe(0);
    expect(help.out).toContain('lazytlb check <model>');
    const checkHelp = await run('check', '--help');
    expect(checkHelp.out).toContain('--max-states');
    const completion = await run('completion');
    expect(completion.code).toBe(0);
    expect(completion.out).toContain('###-begin-lazytlb-completions-###');
  });
});

describe('--json: every error is exactly one JSON object on stdout', () => {
  const cases: [string[], string][] = [
    [['check', 'shootdown', '--max-states', 'abc'], '--max-states abc is not an integer; accepted: a decimal integer of at least 1'],
    [['check', 'shootdwn'], "unknown model 'shootdwn' (did you mean shootdown?); accepted: shootdown, x86-lazy-tlb, xen-pv, context-tracking, lazy-mmu, membarrier"],
    [['check', 'shootdown', '--frobnicate'], 'unknown option --frobnicate; see lazytlb check --help'],
    [['check'], 'check needs its argument (check <model>); see lazytlb check --help'],
    [['list', '--jsn'], 'unknown option --jsn (did you mean --json?); see lazytlb list --help'],
  ];
  for (const [argv, line] of cases) {
    it(argv.join(' '), async () => {
      const r = await run(...argv, '--json');
      expect(r.code).toBe(2);
      expect(r.err).toBe(`lazytlb: ${line}\n`);
      expect(r.out.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.out)).toEqual({ verdict: 'error', kind: 'usage', error: line });
    });
  }
});

describe("a user's mistake with a path is a usage error naming it, never an internal error", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lazytlb-fs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writing the HTML page into a directory or a missing directory', async () => {
    await rejects(['show', CEX, '--html', dir, '--force'], `${dir} is a directory; not written`);
    await rejects(['show', CEX, '--html', join(dir, 'no', 'x.html')], `cannot write ${join(dir, 'no', 'x.html')}: no such file or directory`);
  });

  it('saving a counterexample where counterexamples/ is a file', async () => {
    const cwd = process.cwd();
    const at = mkdtempSync(join(dir, 'save-'));
    writeFileSync(join(at, 'counterexamples'), 'not a directory');
    process.chdir(at);
    try {
      // The counterexample is printed; the save that cannot be made is the one line on stderr, exit 2.
      const r = await run('check', 'shootdown', '--set', 'flushOnUnlazy=false', '--save');
      expect([r.code, r.err]).toEqual([2, 'lazytlb: cannot write counterexamples/shootdown/mainline+flushOnUnlazy=false/no-stale-user.json: a component of the path is not a directory\n']);
      expect(r.out).toContain('violation of no-stale-user after 6 steps');
      expect(r.out).not.toContain('saved:');
    } finally {
      process.chdir(cwd);
    }
  });

  it('every fs code a user causes is mapped; anything else stays an internal error', () => {
    const err = (code: string, path?: string) => Object.assign(new Error(`${code}: x`), { code, syscall: 'open', ...(path ? { path } : {}) });
    expect(fsUsageError(err('EACCES', '/etc/x'))?.message).toBe('/etc/x: permission denied');
    expect(fsUsageError(err('EPERM', '/x'))?.message).toBe('/x: operation not permitted');
    expect(fsUsageError(err('EROFS', '/x'))?.message).toBe('/x: read-only file system');
    expect(fsUsageError(err('EISDIR'))?.message).toBe('cannot open a path: is a directory, not a file');
    expect(fsUsageError(err('EBADF', '/x'))).toBeNull();
    expect(fsUsageError(new TypeError('x'))).toBeNull();
  });
});
