// Runs the CLI in-process with captured output.
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
