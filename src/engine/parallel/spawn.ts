// The search workers: started once per worker count and kept (unref'd: they never keep the process
// alive) for the searches that follow, since starting one costs its module graph's load (about 0.3 s
// from the bundle, more through tsx) and a search with workers is often followed by another (the
// stuck-actor check's, a shrink's, a test's next). The worker's code is the same module graph as
// this one: in the sources (tests, or the CLI while models are being edited) worker.ts, loaded through
// tsx; in the bundle (dist/cli.mjs, which exports serveSearchWorker, see bin/build.mjs) the bundle
// itself. The threads are connected by ports: one to the coordinator each, and one per pair of
// workers for each direction.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CTL_SLOTS } from './protocol.ts';
import type { SearchWorkerData } from './worker.ts';

export interface Pool {
  readonly workers: readonly Worker[];
  /** Per worker: the coordinator's end of its port. */
  readonly ports: readonly MessagePort[];
  /** The control array every thread of the pool shares (protocol.ts CTL). */
  readonly ctl: Int32Array;
}

const here = import.meta.url;
const fromSources = here.endsWith('.ts');
const pools = new Map<number, Pool>();

/** The code each worker thread runs: tsx's loader first when the sources are TypeScript, then the worker's module. */
function bootstrap(): { code: string; entry: string; tsx: string | null } {
  const entry = fromSources ? new URL('./worker.ts', here).href : here;
  let tsx: string | null = null;
  if (fromSources) {
    const pj = createRequire(here).resolve('tsx/package.json');
    const api = (JSON.parse(readFileSync(pj, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
    tsx = pathToFileURL(join(dirname(pj), api)).href;
  }
  const code = `const { workerData: d } = require('node:worker_threads');
(d.tsx ? import(d.tsx).then((a) => a.register()) : Promise.resolve()).then(() => import(d.entry)).then((m) => m.serveSearchWorker());`;
  return { code, entry, tsx };
}

/** The pool of `n` workers (started now if there is none). */
export function poolOf(n: number): Pool {
  const had = pools.get(n);
  if (had) return had;
  const { code, entry, tsx } = bootstrap();
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_SLOTS * 4));
  // pair[v][w]: the channel from worker v to worker w.
  const pair = Array.from({ length: n }, (_, v) => Array.from({ length: n }, (_, w) => (v === w ? null : new MessageChannel())));
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  for (let w = 0; w < n; w++) {
    const own = new MessageChannel();
    const to = pair[w].map((c) => c?.port1 ?? null);
    const from = pair.map((row) => row[w]?.port2 ?? null);
    const data: SearchWorkerData = { index: w, workers: n, ctl, port: own.port2, to, from };
    const transfer = [own.port2, ...to, ...from].filter((p): p is MessagePort => p !== null);
    const worker = new Worker(code, { eval: true, workerData: { lazytlbSearch: data, entry, tsx }, transferList: transfer });
    worker.unref();
    own.port1.unref();
    workers.push(worker);
    ports.push(own.port1);
  }
  const pool = { workers, ports, ctl };
  pools.set(n, pool);
  return pool;
}

/** Ends a pool whose workers may be in any state (a search that failed). */
export function discard(pool: Pool): void {
  for (const [n, p] of pools) if (p === pool) pools.delete(n);
  for (const p of pool.ports) p.close();
  for (const w of pool.workers) void w.terminate();
}
