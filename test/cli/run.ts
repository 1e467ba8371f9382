// Runs the CLI in-process with captured output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s.endsWith('\n') ? s : s + '\n'), err: (s) => (err += s), tty: false });
  return { code, out, err };
}

export async function runJson(...argv: string[]): Promise<{ code: number; json: any; err: string }> {
  const r = await run(...argv, '--json');
  return { code: r.code, json: JSON.parse(r.out), err: r.err };
}

/** Each test of the calling file runs in a fresh temporary working directory; returns a getter of it. */
export function inFreshDir(prefix: string): () => string {
  let dir = '';
  let home = '';
  beforeEach(() => {
    home = process.cwd();
    dir = mkdtempSync(join(tmpdir(), prefix));
    process.chdir(dir);
  });
  afterEach(() => process.chdir(home));
  return () => dir;
}
