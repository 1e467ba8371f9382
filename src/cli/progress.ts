// Progress of a long check on stderr. On a terminal: the check's header line first, then one live line
// redrawn in place (`\r…\x1b[K`, cut to the terminal width), cleared at the end. Otherwise (a log file,
// CI): the header once, then a `progress:` line at each report (every 30 s by default), as TLC does.
// stdout is left alone, so `--json` still prints exactly one object there.
import type { Progress } from '../engine/bfs.ts';
import { num, type Io } from './io.ts';

/** Milliseconds between reports: live on a terminal, sparse in a log. */
export const PROGRESS_MS = { tty: 1000, log: 30_000 } as const;

export interface ProgressReporter {
  readonly onProgress: (p: Progress) => void;
  /** Clears the live line (on a terminal) before the result is printed. */
  end(): void;
}

/** `header` is computed at the first report (a quick check prints no progress at all). */
export function progressReporter(io: Io, header: () => string): ProgressReporter {
  let started = false;
  let live = false;
  return {
    onProgress(p) {
      if (!started) {
        io.err(`checking ${header()}\n`);
        started = true;
      }
      const text = progressText(p);
      if (io.tty) {
        const width = io.columns ?? 80;
        io.err(`\r${text.length >= width ? text.slice(0, Math.max(width - 1, 1)) : text}\x1b[K`);
        live = true;
      } else io.err(`progress: ${text}\n`);
    },
    end() {
      if (live) io.err('\r\x1b[K');
      live = false;
    },
  };
}

/** States, depth, queue, rate, memory (the store's resident bytes per state, the packed state's size), elapsed time. */
export function progressText(p: Progress): string {
  const rss = process.memoryUsage.rss() / 2 ** 20;
  const rate = Math.round(p.states / Math.max(p.seconds, 1e-3));
  return `${num(p.states)} states, depth ${p.depth}, queue ${num(p.queue)}, ${num(rate)} states/s, store ${(p.bytes / 2 ** 20).toFixed(0)} MiB (${(p.bytes / Math.max(p.states, 1)).toFixed(1)} B/state, packed ${p.packedBytes} B), process ${rss.toFixed(0)} MiB, ${elapsed(p.seconds)}`;
}

function elapsed(s: number): string {
  if (s < 60) return `${s.toFixed(0)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.floor(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
