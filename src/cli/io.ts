// Where commands write: the process streams, or buffers in tests.
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Whether stderr is a terminal (live progress is redrawn in place there). */
  readonly tty: boolean;
  /** The terminal's width in columns, where known. */
  readonly columns?: number;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  get columns() {
    return process.stderr.columns;
  },
};

export function num(n: number): string {
  return n.toLocaleString('en-US');
}
