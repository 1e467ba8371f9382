// Ctrl-C on the real command: the search runs in a worker, the main thread turns SIGINT into a stop
// request, and the command prints the partial counts as incomplete and exits 130.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('lazytlb check, interrupted', () => {
  it('SIGINT: incomplete at interrupt with the partial counts, exit 130', async () => {
    // shootdown's wide scope without symmetry runs for minutes. The interrupt may come before the
    // worker has loaded (a loaded machine): the search then stops at its first poll.
    // One worker: the default would start the free cores' workers past the probe (workers.test.ts interrupts those).
    const child = spawn(process.execPath, ['bin/lazytlb.mjs', 'check', 'shootdown', '--scope', 'wide', '--no-symmetry', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = setTimeout(() => child.kill('SIGINT'), 4000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect({ code, err }).toEqual({ code: 130, err: '' });
    expect(out).toMatch(/^shootdown --scope wide \(cpus=8 gens=8, memory sc\)\nincomplete: stopped at interrupt; no violation in what was covered: [\d,]+ states, [\d,]+ transitions, depth \d+, [\d.]+ s; reductions: por \(ampleStates [\d,]+\)\n$/);
  }, 30_000);
});

describe('lazytlb check --max-seconds, a step that never returns', () => {
  it('the watchdog ends the search after the deadline: incomplete, exit 3', async () => {
    const child = spawn(process.execPath, ['bin/lazytlb.mjs', 'check', 'shootdown', '--variant', 'test/fixtures/looping-variant.ts', '--max-seconds', '0.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect({ code, err }).toEqual({ code: 3, err: '' });
    expect(out).toBe('shootdown --variant looping (cpus=3 gens=3, memory sc)\nincomplete: stopped at max-seconds 0.5, inside a step that did not return (the search did not reach its next limit check within 2 s of the deadline); no counts (the search was ended from outside)\n');
  }, 30_000);
});
