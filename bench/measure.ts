// Shared process plumbing for the benchmark: run one command under GNU time so that every tool
// (pan, rumur's verifier, lazytlb) has its peak RSS measured the same way (`/usr/bin/time -f %M`,
// KiB), and its wall-clock time measured the same way (high-resolution timer around the spawn).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  code: number | null; // exit status (null if killed by a signal)
  stdout: string;
  stderr: string;
  wallSeconds: number; // wall clock of the whole command
  peakKiB: number | null; // maximum resident set size reported by GNU time
  error?: string; // spawn failure (e.g. command not found)
}

/** Run cmd with args in cwd; wrap it in GNU time (-o keeps its report out of the tool's stderr). */
export function measure(cmd: string, args: string[], cwd: string, timeoutMs = 30 * 60_000): Measured {
  const scratch = mkdtempSync(join(tmpdir(), 'lazytlb-bench-time-'));
  const timeFile = join(scratch, 'rss');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', timeFile, cmd, ...args], {
    cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024,
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let peakKiB: number | null = null;
  if (existsSync(timeFile)) {
    // GNU time may prefix "Command exited with non-zero status N"; the number is the last line.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    peakKiB = /^\d+$/.test(last) ? Number(last) : null;
  }
  rmSync(scratch, { recursive: true, force: true });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wallSeconds, peakKiB, error: r.error?.message };
}

/** Run a build step (not measured for memory); throws with its output if it fails. */
export function build(cmd: string, args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? ''}\n${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The first capture group of re in text, as a number (null if absent). */
export function num(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

/** True if `cmd` is on PATH. */
export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Fresh temporary directory for generated models and binaries (never inside the repository). */
export const scratchDir = (tag: string): string => mkdtempSync(join(tmpdir(), `lazytlb-bench-${tag}-`));

/** Remove a scratch directory, unless BENCH_KEEP_TMP is set (to inspect generated files). */
export function dropScratch(dir: string): void {
  if (process.env.BENCH_KEEP_TMP) console.error(`bench: kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** One benchmark measurement, as printed in the table and emitted by --json. */
export interface BenchRow {
  tool: string;
  config: string;
  verdict: 'ok' | 'violation' | 'error' | 'n/a';
  states: number | null; // reachable states, already corrected to the model's own count
  rawStates?: number | null; // the number the tool printed, before any correction
  transitions?: number | null;
  seconds: number | null; // wall clock of the run command (compilation excluded)
  selfSeconds?: number | null; // the time the tool itself reports
  compileSeconds?: number | null; // model generation + C compilation, reported separately
  peakMiB: number | null;
  command?: string; // the measured command line
  note?: string;
}
