// Where commands write: the process streams, or buffers in tests.
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Whether live progress may be drawn on stderr (a terminal, not --json). */
  readonly tty: boolean;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
};

export function num(n: number): string {
  return n.toLocaleString('en-US');
}
