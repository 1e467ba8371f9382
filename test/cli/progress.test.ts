// Progress of a long check (stderr: a live line on a terminal, `progress:` lines in a log) and a stop
// request (Ctrl-C): partial counts as `incomplete: stopped at interrupt`, exit 130. The interval and
// the stop are options of the runner, so no test waits.
import { describe, expect, it } from 'vitest';
import { main, type RunOptions } from '../../src/cli/main.ts';

async function runIo(argv: string[], io: { tty: boolean; columns?: number }, opts: RunOptions) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s.endsWith('\n') ? s : s + '\n'), err: (s) => (err += s), ...io }, opts);
  return { code, out, err };
}

const BIG = ['check', 'shootdown', '--param', 'cpus=5', '--param', 'gens=5', '--no-symmetry', '--no-por'];
const LINE = /^[\d,]+ states, depth \d+, queue [\d,]+, [\d,]+ states\/s, store \d+ MiB \([\d.]+ B\/state, packed \d+ B\), process \d+ MiB, \d+ s$/;

describe('progress', () => {
  it('in a log: the header, then one progress: line per report', async () => {
    const r = await runIo([...BIG, '--max-states', '20000'], { tty: false }, { progressMs: 0 });
    expect(r.code).toBe(3);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toBe('checking shootdown (cpus=5 gens=5, memory sc)');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines.slice(1)) expect(l.replace(/^progress: /, '')).toMatch(LINE);
    expect(lines.slice(1).every((l) => l.startsWith('progress: '))).toBe(true);
    expect(r.err).not.toContain('\r');
    expect(r.out).toMatch(/^shootdown \(cpus=5 gens=5, memory sc\)\nincomplete: stopped at max-states 20000;/);
  });

  it('on a terminal: the header first, the line redrawn in place within the width, cleared at the end', async () => {
    const r = await runIo([...BIG, '--max-states', '20000'], { tty: true, columns: 40 }, { progressMs: 0 });
    expect(r.code).toBe(3);
    expect(r.err.startsWith('checking shootdown (cpus=5 gens=5, memory sc)\n\r')).toBe(true);
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    const draws = r.err.split('\n')[1].split('\r').slice(1, -1);
    expect(draws.length).toBeGreaterThan(2);
    for (const d of draws) {
      expect(d.endsWith('\x1b[K')).toBe(true);
      expect(d.length - 3).toBeLessThan(40);
      expect(d).not.toContain('\n');
    }
    // Wide enough: the whole line.
    const wide = await runIo([...BIG, '--max-states', '5000'], { tty: true, columns: 200 }, { progressMs: 0 });
    expect(wide.err.split('\r')[1].replace('\x1b[K', '')).toMatch(LINE);
  });

  it('a check quicker than the interval prints no progress', async () => {
    const r = await runIo(['check', 'shootdown'], { tty: false }, {});
    expect(r.err).toBe('');
  });

  it('with --json the progress stays on stderr and stdout is one object', async () => {
    const r = await runIo([...BIG, '--max-states', '20000', '--json'], { tty: false }, { progressMs: 0 });
    expect(r.err).toMatch(/^checking shootdown .*\nprogress: /);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'incomplete', limit: 'max-states 20000' });
  });
});

describe('a stop request (Ctrl-C)', () => {
  /** Stops at the `n`th poll of the search. */
  const stopAt = (n: number) => {
    let polls = 0;
    return () => ++polls >= n;
  };

  it('prints the partial counts as incomplete and exits 130', async () => {
    const r = await runIo(BIG, { tty: false }, { shouldStop: stopAt(5) });
    expect(r.code).toBe(130);
    // The search polls every 1024 states: the fifth poll is at 5 * 1024 states expanded.
    expect(r.out).toMatch(/^shootdown \(cpus=5 gens=5, memory sc\)\nincomplete: stopped at interrupt; no violation in what was covered: [\d,]+ states, [\d,]+ transitions, depth \d+, [\d.]+ s\n$/);
    const states = Number(/covered: ([\d,]+) states/.exec(r.out)![1].replace(/,/g, ''));
    expect(states).toBeGreaterThan(5 * 1024);
    expect(states).toBeLessThan(1156893);
  });

  it('--json: verdict incomplete, limit interrupt', async () => {
    const r = await runIo([...BIG, '--json'], { tty: false }, { shouldStop: stopAt(2) });
    expect(r.code).toBe(130);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'incomplete', limit: 'interrupt' });
  });

  it('a stop never requested changes nothing', async () => {
    const r = await runIo(['check', 'shootdown', '--json', '--no-symmetry', '--no-por', '--param', 'cpus=4'], { tty: false }, { shouldStop: () => false });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'ok', states: 20385 });
  });
});
