// The lazytlb process (bin/lazytlb.mjs): the command runs in a worker thread, so this thread stays
// free to act while a search runs. It forwards the worker's output, and turns Ctrl-C (SIGINT) into a
// stop request the search polls (`incomplete: stopped at interrupt`, exit 130); a second Ctrl-C, or a
// command that does not stop within the grace period, ends the worker at once. It is also the
// watchdog of --max-seconds for a step that never returns (Watch). This file is all the
// main thread loads; tests call main() in-process instead.
import { Worker } from 'node:worker_threads';
import { EXIT } from './exit.ts';

/** What the worker posts (main.ts's serveWorker): that it has loaded, output, the watchdog's arming, its exit code at the end. */
export type WorkerMessage = { readonly ready: true } | { readonly out: string } | { readonly err: string } | { readonly watch: Watch | null } | { readonly code: number };

/**
 * A search with --max-seconds: if it has not returned `graceSeconds` after its deadline, the search
 * is inside one state's expansion (it polls its limits every 1024 states): a step's guard or effect
 * that does not return. A JavaScript loop cannot be interrupted in its own thread, so this thread ends
 * the worker and reports the check as incomplete.
 */
/** How the process (or a test) runs a command: the progress interval, and a stop request polled by the search. */
export interface RunOptions {
  /** Milliseconds between progress reports (default: 1 s on a terminal, 30 s otherwise). */
  readonly progressMs?: number;
  /** Polled by the search; true stops it (`incomplete: stopped at interrupt`, exit 130). */
  readonly shouldStop?: () => boolean;
  /** A watchdog for --max-seconds (the process's main thread): armed with the check, null when the search has returned. */
  readonly watch?: (w: Watch | null) => void;
}

export interface Watch {
  readonly seconds: number;
  /** The check's headline, and its --json fields (model, variant, params, ...). */
  readonly head: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly json: boolean;
}

/** Seconds after the deadline before the watchdog ends a search that has not returned. */
export function graceSeconds(maxSeconds: number): number {
  return Math.min(Math.max(2, maxSeconds / 2), 30);
}

/** What the worker is given. */
export interface WorkerData {
  readonly argv: readonly string[];
  /** Element 0 becomes 1 on Ctrl-C. */
  readonly stop: Int32Array;
  readonly tty: boolean;
  readonly columns?: number;
}

/** Milliseconds a command may take to stop after Ctrl-C before the worker is ended. */
const INTERRUPT_GRACE_MS = 2000;

/** Runs `argv` in a worker started from `entry` (a script that calls main.ts's serveWorker() there). */
export function runProcess(entry: URL, argv: readonly string[]): Promise<number> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const data: WorkerData = { argv, stop, tty: Boolean(process.stderr.isTTY), columns: process.stderr.columns };
  const worker = new Worker(entry, { workerData: { lazytlb: data } });
  return new Promise((resolve) => {
    let code: number | null = null;
    let ended = false;
    let watchdog: NodeJS.Timeout | undefined;
    const end = (c: number, line?: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(watchdog);
      process.off('SIGINT', onInterrupt);
      if (line) process.stderr.write(`${line}\n`);
      resolve(c);
    };
    const kill = (line: string) => {
      end(EXIT.interrupt, line);
      void worker.terminate();
    };
    // The grace period runs from the interrupt, or from when the worker has loaded if it came before
    // (a search started after the interrupt stops at its first poll).
    let ready = false;
    const grace = () => setTimeout(() => kill(`lazytlb: interrupted (the command did not stop within ${INTERRUPT_GRACE_MS / 1000} s)`), INTERRUPT_GRACE_MS).unref();
    const onInterrupt = () => {
      if (Atomics.load(stop, 0) !== 0) return kill('lazytlb: interrupted');
      Atomics.store(stop, 0, 1);
      if (ready) grace();
    };
    process.on('SIGINT', onInterrupt);
    const stuck = (w: Watch) => {
      const limit = `max-seconds ${w.seconds}, inside a step that did not return (the search did not reach its next limit check within ${graceSeconds(w.seconds)} s of the deadline)`;
      process.stdout.write(w.json ? `${JSON.stringify({ verdict: 'incomplete', ...w.fields, limit })}\n` : `${w.head}\nincomplete: stopped at ${limit}; no counts (the search was ended from outside)\n`);
      end(EXIT.incomplete);
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if ('ready' in m) {
        ready = true;
        if (Atomics.load(stop, 0) !== 0) grace();
      } else if ('out' in m) process.stdout.write(m.out.endsWith('\n') ? m.out : `${m.out}\n`);
      else if ('err' in m) process.stderr.write(m.err);
      else if ('watch' in m) {
        clearTimeout(watchdog);
        const w = m.watch;
        if (w) watchdog = setTimeout(() => stuck(w), (w.seconds + graceSeconds(w.seconds)) * 1000);
      } else code = m.code;
    });
    worker.on('error', (e) => end(EXIT.usage, `lazytlb: internal error: ${e.message}`));
    worker.on('exit', () => end(code ?? EXIT.usage, code === null ? 'lazytlb: internal error: the command ended without an exit code' : undefined));
  });
}
