// The lazytlb process (bin/lazytlb.mjs): the command runs in a worker thread, so this thread stays
// free to act while a search runs. It forwards the worker's output, and turns Ctrl-C (SIGINT) into a
// stop request the search polls (`incomplete: stopped at interrupt`, exit 130); a second Ctrl-C, or a
// command that does not stop within the grace period, ends the worker at once. This file is all the
// main thread loads; tests call main() in-process instead.
import { Worker } from 'node:worker_threads';
import { EXIT } from './exit.ts';

/** What the worker posts (main.ts's serveWorker): output, and its exit code at the end. */
export type WorkerMessage = { readonly out: string } | { readonly err: string } | { readonly code: number };

/** What the worker is given. */
export interface WorkerData {
  readonly argv: readonly string[];
  /** Element 0 becomes 1 on Ctrl-C. */
  readonly stop: Int32Array;
  readonly tty: boolean;
  readonly columns?: number;
}

/** Seconds a command may take to stop after Ctrl-C before the worker is ended. */
const INTERRUPT_GRACE_MS = 2000;

/** Runs `argv` in a worker started from `entry` (a script that calls main.ts's serveWorker() there). */
export function runProcess(entry: URL, argv: readonly string[]): Promise<number> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const data: WorkerData = { argv, stop, tty: Boolean(process.stderr.isTTY), columns: process.stderr.columns };
  const worker = new Worker(entry, { workerData: { lazytlb: data } });
  return new Promise((resolve) => {
    let code: number | null = null;
    let ended = false;
    const end = (c: number, line?: string) => {
      if (ended) return;
      ended = true;
      process.off('SIGINT', onInterrupt);
      if (line) process.stderr.write(`${line}\n`);
      resolve(c);
    };
    const kill = (line: string) => {
      end(EXIT.interrupt, line);
      void worker.terminate();
    };
    const onInterrupt = () => {
      if (Atomics.load(stop, 0) !== 0) return kill('lazytlb: interrupted');
      Atomics.store(stop, 0, 1);
      setTimeout(() => kill(`lazytlb: interrupted (the command did not stop within ${INTERRUPT_GRACE_MS / 1000} s)`), INTERRUPT_GRACE_MS).unref();
    };
    process.on('SIGINT', onInterrupt);
    worker.on('message', (m: WorkerMessage) => {
      if ('out' in m) process.stdout.write(m.out.endsWith('\n') ? m.out : `${m.out}\n`);
      else if ('err' in m) process.stderr.write(m.err);
      else code = m.code;
    });
    worker.on('error', (e) => end(EXIT.usage, `lazytlb: internal error: ${e.message}`));
    worker.on('exit', () => end(code ?? EXIT.usage, code === null ? 'lazytlb: internal error: the command ended without an exit code' : undefined));
  });
}
