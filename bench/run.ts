// Benchmark runner: checks the calibration model shootdown(cpus=N, gens=G) with SPIN, rumur and
// lazytlb on the same configurations, one tool at a time, each single-threaded, and prints a
// table plus the issue's performance targets for lazytlb.
//
//   node bin/run-ts.mjs bench/run.ts [--json] [--repeat K] [--config N,G ...]
//
// Timing: "seconds" is the wall clock of the verification run only (./pan, rumur's ./verifier,
// or the lazytlb process including its Node/tsx start-up); generating the models and compiling
// the C verifiers is excluded and reported separately as "compile s". "self s" is the time each
// tool prints itself (pan's elapsed time, rumur's whole seconds, lazytlb's JSON `seconds`).
// Memory: peak RSS of the run command from `/usr/bin/time -f %M`, the same for every tool.
// With --repeat K every run is made K times, interleaved (each round runs every tool once), and the
// median kept.
// The store table: every --store on shootdown(N,G) and each shipped model's wide scope, unreduced and
// safety only (--no-liveness): states, states/s, resident bytes per state, packed state size, peak
// RSS (each cut at 30 minutes; --no-stores skips it).
// With --json the table goes to stderr and the rows (plus target verdicts) to stdout as JSON.
// Exit status: 0 ok, 1 a state-count mismatch or a failed tool run, 2 spin/rumur not installed.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { GNU_TIME, haveCommand, measure, type BenchRow } from './measure.ts';
import { runSpin } from './shootdown.pml.ts';
import { runRumur } from './shootdown.m.ts';
import { EXPECTED_STATES, type ShootdownParams } from './shootdown-count.ts';
import { modelRows, modelTable, reductionTargets, type ModelRow } from './models.ts';
import { shipped } from '../models/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** lazytlb via its CLI; a missing or failing CLI yields an 'n/a' row instead of an error. */
function runLazytlb(p: ShootdownParams, reduction: { por: boolean; symmetry: boolean; workers?: number } = { por: false, symmetry: false }): BenchRow {
  const config = `shootdown(${p.cpus},${p.gens})`;
  const bin = process.env.BENCH_LAZYTLB ?? 'bin/lazytlb.mjs'; // override only to test the runner
  const args = [bin, 'check', 'shootdown', '--param', `cpus=${p.cpus}`, '--param', `gens=${p.gens}`,
    // the twins check safety only: so does lazytlb here (the stuck-actor check is measured in the README)
    reduction.por ? '--por' : '--no-por', reduction.symmetry ? '--symmetry' : '--no-symmetry', '--no-liveness', '--json',
    // one worker unless asked (the command line's default would start the free cores' workers)
    '--workers', String(reduction.workers ?? 1)];
  const named = reduction.por && reduction.symmetry ? 'lazytlb (POR+symmetry)' : reduction.por ? 'lazytlb (POR)' : reduction.symmetry ? 'lazytlb (symmetry)' : 'lazytlb';
  const tool = (reduction.workers ?? 1) > 1 ? `${named} (${reduction.workers} workers)` : named;
  const row: BenchRow = { tool, config, verdict: 'n/a', states: null, seconds: null, peakMiB: null,
    command: `node ${args.join(' ')}` };
  if (!existsSync(resolve(ROOT, bin)) || (!process.env.BENCH_LAZYTLB && !existsSync(join(ROOT, 'src/cli/main.ts'))))
    return { ...row, note: 'lazytlb CLI not present yet' };
  const m = measure(process.execPath, args, ROOT);
  let out: { verdict?: unknown; states?: unknown; transitions?: unknown; seconds?: unknown };
  try {
    const text = m.stdout.trim();
    out = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
  } catch {
    return { ...row, note: `no JSON from lazytlb (exit ${m.code}): ${(m.error ?? '') + m.stderr.trim().slice(-300)}` };
  }
  const v = String(out.verdict ?? '');
  return {
    ...row,
    verdict: /violat|fail|counterexample/i.test(v) ? 'violation' : /ok|pass|hold|verified|safe/i.test(v) ? 'ok' : 'error',
    states: typeof out.states === 'number' ? out.states : null,
    transitions: typeof out.transitions === 'number' ? out.transitions : null,
    seconds: m.wallSeconds,
    selfSeconds: typeof out.seconds === 'number' ? out.seconds : null,
    peakMiB: m.peakKiB === null ? null : m.peakKiB / 1024,
    note: `verdict "${v}"`,
  };
}

/** One state-store measurement: an unreduced safety search (`--no-liveness`) with `--store kind`. */
interface StoreRow {
  readonly config: string;
  readonly store: string;
  readonly verdict: string;
  readonly states: number | null;
  readonly seconds: number | null;
  readonly statesPerSecond: number | null;
  readonly bytesPerState: number | null;
  readonly packedBytes: number | null;
  readonly peakMiB: number | null;
}

const STORES = ['compact', 'exact', 'fingerprint'] as const;

/** `lazytlb check <args> --no-por --no-symmetry --no-liveness --store kind --json`, cut at `maxSeconds`. */
function runStore(config: string, args: readonly string[], store: string, maxSeconds: number): StoreRow {
  const argv = ['bin/lazytlb.mjs', 'check', ...args, '--no-por', '--no-symmetry', '--no-liveness', '--store', store, '--workers', '1', '--json', '--max-seconds', String(maxSeconds)];
  const m = measure(process.execPath, argv, ROOT);
  let j: { verdict?: string; states?: number; seconds?: number; store?: { bytesPerState?: number; packedBytes?: number } } = {};
  try {
    j = JSON.parse(m.stdout);
  } catch {
    j = { verdict: `error (exit ${m.code})` };
  }
  return {
    config, store, verdict: j.verdict ?? 'error', states: j.states ?? null, seconds: m.wallSeconds,
    statesPerSecond: j.states != null && j.seconds ? j.states / j.seconds : null,
    bytesPerState: j.store?.bytesPerState ?? null, packedBytes: j.store?.packedBytes ?? null,
    peakMiB: m.peakKiB === null ? null : m.peakKiB / 1024,
  };
}

/** Every store on shootdown(N,G) and on every shipped model's wide scope, unreduced, safety only. */
function storeRows(configs: readonly ShootdownParams[], maxSeconds: number, progress: (s: string) => void): StoreRow[] {
  const runs: [string, string[]][] = [
    ...configs.map((p): [string, string[]] => [`shootdown(${p.cpus},${p.gens})`, ['shootdown', '--param', `cpus=${p.cpus}`, '--param', `gens=${p.gens}`]]),
    ...shipped.filter((s) => s.model.scopes?.wide).map((s): [string, string[]] => [`${s.model.name} --scope wide`, [s.model.name, '--scope', 'wide']]),
  ];
  const rows: StoreRow[] = [];
  for (const [config, args] of runs)
    for (const store of STORES) {
      progress(`bench: store ${store} ${config} ...`);
      rows.push(runStore(config, args, store, maxSeconds));
    }
  return rows;
}

function storeTable(rows: readonly StoreRow[], log: (s: string) => void): void {
  const head = ['config', 'store', 'verdict', 'states', 'seconds', 'states/s', 'B/state', 'packed B', 'peak MiB'];
  const body = rows.map((r) => [r.config, r.store, r.verdict, r.states === null ? 'n/a' : String(r.states), fmt(r.seconds),
    r.statesPerSecond === null ? 'n/a' : r.statesPerSecond.toFixed(0), fmt(r.bytesPerState, 1), r.packedBytes === null ? 'n/a' : String(r.packedBytes), fmt(r.peakMiB, 0)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i < 3 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) log(line(b));
  log('Unreduced (--no-por --no-symmetry), safety only (--no-liveness). B/state = resident bytes of the store,');
  log('its parent links and the BFS queue over the states; packed B = one packed state; states/s from the');
  log("check's own seconds; peak MiB = the whole process's max RSS.");
  for (const config of new Set(rows.map((r) => r.config))) {
    const done = rows.filter((r) => r.config === config && r.verdict === 'ok' && r.store !== 'fingerprint');
    if (new Set(done.map((r) => r.states)).size > 1) log(`!!! STORE STATE-COUNT MISMATCH for ${config}: ${done.map((r) => `${r.store}=${r.states}`).join(', ')}`);
  }
  const x86 = rows.find((r) => r.config === 'x86-lazy-tlb --scope wide' && r.store === 'compact');
  if (x86) log(`target x86-lazy-tlb --scope wide, compact store: exactly 13117595 states ${x86.states === 13117595 ? 'PASS' : 'FAIL'} (${x86.states}); <= 16 B/state ${x86.bytesPerState !== null && x86.bytesPerState <= 16 ? 'PASS' : 'FAIL'} (${fmt(x86.bytesPerState, 1)})`);
}

/**
 * The median run of each tool over `rounds` (by wall clock): the rounds are interleaved, every tool once
 * per round, so that a noisy stretch of the shared machine falls on all tools alike.
 */
function medians(rounds: number, config: string, runs: readonly (readonly [string, () => BenchRow])[], progress: (tool: string, round: number) => void): BenchRow[] {
  const got: BenchRow[][] = runs.map(() => []);
  for (let k = 0; k < rounds; k++) {
    runs.forEach(([tool, run], i) => {
      progress(tool, k + 1);
      try {
        got[i].push(run());
      } catch (e) {
        got[i].push({ tool, config, verdict: 'error', states: null, seconds: null, peakMiB: null, note: String(e) });
      }
    });
  }
  return got.map((rs) => {
    const timed = rs.filter((r) => r.seconds !== null).sort((a, b) => a.seconds! - b.seconds!);
    return timed.length > 0 ? { ...timed[(timed.length - 1) >> 1], ...(rounds > 1 ? { note: `median of ${timed.length} interleaved runs` } : {}) } : rs[0];
  });
}

const fmt = (x: number | null | undefined, d = 2): string => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null || b === 0 ? null : a / b;

function table(rows: BenchRow[], log: (s: string) => void): void {
  const head = ['tool', 'config', 'verdict', 'states', 'seconds', 'self s', 'peak MiB', 'compile s',
    'lazytlb/x time', 'lazytlb/x mem'];
  const body = rows.map((r) => {
    const lt = rows.find((x) => x.tool === 'lazytlb' && x.config === r.config);
    const other = r.tool !== 'lazytlb' && lt !== undefined && lt.seconds !== null;
    return [r.tool, r.config, r.verdict, r.states === null ? 'n/a' : String(r.states), fmt(r.seconds, 3),
      fmt(r.selfSeconds), fmt(r.peakMiB, 1), fmt(r.compileSeconds),
      other ? fmt(ratio(lt.seconds, r.seconds)) : '', other ? fmt(ratio(lt.peakMiB, r.peakMiB)) : ''];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) log(line(b));
}

/** The issue's targets for lazytlb on one configuration (wall clock; self-reported time in brackets). */
function targets(rows: BenchRow[], config: string): { line: string; pass: boolean | null } {
  const get = (tool: string) => rows.find((r) => r.tool === tool && r.config === config);
  const lt = get('lazytlb'), spin = get('spin (NOREDUCE)'), rumur = get('rumur');
  if (!lt || lt.seconds === null || !spin || !rumur)
    return { line: `targets ${config}: n/a (lazytlb not available)`, pass: null };
  const tSpin = ratio(lt.seconds, spin.seconds), tRumur = ratio(lt.seconds, rumur.seconds);
  const mSpin = ratio(lt.peakMiB, spin.peakMiB);
  const checks: [string, number | null, number, number | null][] = [
    ['time <= SPIN NOREDUCE', tSpin, 1.0, ratio(lt.selfSeconds, spin.selfSeconds)],
    ['>= 2x faster than rumur', tRumur, 0.5, null],
    ['memory <= 2x SPIN', mSpin, 2.0, null],
  ];
  const parts = checks.map(([name, r, limit, self]) =>
    `${name}: ${r !== null && r <= limit ? 'PASS' : 'FAIL'} (${fmt(r)}x, limit ${limit}x` +
    `${self !== null ? `; self-reported ${fmt(self)}x` : ''})`);
  return { line: `targets ${config}: ${parts.join('; ')}`, pass: checks.every(([, r, limit]) => r !== null && r <= limit) };
}

/** Issue target: lazytlb with symmetry at least as fast as rumur with symmetry, with the same orbit count. */
function symmetryTarget(rows: BenchRow[], config: string): string {
  const lt = rows.find((r) => r.tool === 'lazytlb (symmetry)' && r.config === config);
  const ru = rows.find((r) => r.tool === 'rumur (symmetry)' && r.config === config);
  if (!lt || !ru || lt.seconds === null || ru.seconds === null) return `target ${config} symmetry: n/a`;
  const t = ratio(lt.seconds, ru.seconds);
  const same = lt.states === ru.states ? `same orbit count ${lt.states}` : `!!! ORBIT-COUNT MISMATCH lazytlb=${lt.states} rumur=${ru.states}`;
  return `target ${config} symmetry: time <= rumur (symmetry): ${t !== null && t <= 1 ? 'PASS' : 'FAIL'} (${fmt(t)}x); ${same}`;
}

/** Issue targets for two workers: <= 0.6x lazytlb's own one-worker time, faster than SPIN and rumur on the same 2 cores, with less memory. */
function workersTarget(rows: BenchRow[], config: string): string {
  const get = (tool: string) => rows.find((r) => r.tool === tool && r.config === config && r.seconds !== null);
  const one = get('lazytlb'), two = get('lazytlb (2 workers)'), spin = get('spin (NOREDUCE, NCORE=2)'), rumur = get('rumur (2 threads)');
  if (!one || !two) return `target ${config} workers: n/a`;
  const checks: [string, number | null, number][] = [
    ['time <= 0.6x 1 worker', ratio(two.seconds, one.seconds), 0.6],
    ['time < SPIN NCORE=2', spin ? ratio(two.seconds, spin.seconds) : null, 1.0],
    ['time < rumur 2 threads', rumur ? ratio(two.seconds, rumur.seconds) : null, 1.0],
    ['memory < SPIN NCORE=2', spin ? ratio(two.peakMiB, spin.peakMiB) : null, 1.0],
    ['memory < rumur 2 threads', rumur ? ratio(two.peakMiB, rumur.peakMiB) : null, 1.0],
  ];
  return `target ${config} workers: ` + checks.map(([name, r, limit]) => `${name}: ${r !== null && r <= limit ? 'PASS' : 'FAIL'} (${fmt(r)}x)`).join('; ');
}

/** Counts that must agree: states of SPIN NOREDUCE (after the SPIN_EXTRA_STATES correction),
 *  rumur without symmetry, lazytlb without POR/symmetry and the reference count when known;
 *  likewise their fired-transition counts. */
function mismatches(rows: BenchRow[], config: string): string[] {
  const exact = rows.filter((r) => r.config === config && ['spin (NOREDUCE)', 'spin (NOREDUCE, COLLAPSE)', 'spin (NOREDUCE, NCORE=2)', 'rumur', 'rumur (2 threads)', 'lazytlb', 'lazytlb (2 workers)'].includes(r.tool)
    && r.states !== null);
  const want = EXPECTED_STATES[config];
  const counts = new Set(exact.map((r) => r.states));
  if (want !== undefined) counts.add(want);
  const out: string[] = [];
  if (counts.size > 1)
    out.push(`!!! STATE-COUNT MISMATCH for ${config}: ` +
      exact.map((r) => `${r.tool}=${r.states}`).join(', ') + (want !== undefined ? `, reference=${want}` : ''));
  const fired = exact.filter((r) => r.transitions != null);
  if (new Set(fired.map((r) => r.transitions)).size > 1)
    out.push(`!!! TRANSITION-COUNT MISMATCH for ${config}: ` + fired.map((r) => `${r.tool}=${r.transitions}`).join(', '));
  return out;
}

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const ri = argv.indexOf('--repeat');
  const repeat = ri >= 0 ? Math.max(1, Number(argv[ri + 1]) || 1) : 1;
  const configs: ShootdownParams[] = [];
  argv.forEach((a, i) => {
    if (a === '--config') {
      const [cpus, gens] = (argv[i + 1] ?? '').split(',').map(Number);
      configs.push({ cpus, gens, flushOnUnlazy: true });
    }
  });
  if (configs.length === 0) configs.push({ cpus: 5, gens: 5, flushOnUnlazy: true }, { cpus: 6, gens: 3, flushOnUnlazy: true });

  const missing = ['spin', 'rumur', 'gcc', 'cc'].filter((c) => !haveCommand(c));
  if (missing.length > 0 || !existsSync(GNU_TIME)) {
    console.log(`bench: ${[...missing, ...(existsSync(GNU_TIME) ? [] : [GNU_TIME])].join(', ')} not installed; ` +
      'run: apt-get install -y spin rumur (and gcc, time)');
    return 2;
  }
  const log = json ? (s: string) => console.error(s) : (s: string) => console.log(s);
  const load = loadavg()[0];
  if (load > 0.5) log(`warning: 1-minute load average is ${load.toFixed(2)}; timings will be noisy (try --repeat 5)`);

  const rows: BenchRow[] = [];
  for (const p of configs) {
    const cfg = `shootdown(${p.cpus},${p.gens})`;
    const runs: [string, () => BenchRow][] = [
      ['spin (NOREDUCE)', () => runSpin(p, { por: false })],
      ['spin (NOREDUCE, COLLAPSE)', () => runSpin(p, { por: false, collapse: true })],
      ['spin (NOREDUCE, NCORE=2)', () => runSpin(p, { por: false, ncore: 2 })],
      ['spin (POR)', () => runSpin(p, { por: true })],
      ['rumur', () => runRumur(p, { symmetry: 'off' })],
      ['rumur (2 threads)', () => runRumur(p, { symmetry: 'off', threads: 2 })],
      ['rumur (symmetry)', () => runRumur(p, { symmetry: 'exhaustive' })],
      ['lazytlb', () => runLazytlb(p)],
      ['lazytlb (2 workers)', () => runLazytlb(p, { por: false, symmetry: false, workers: 2 })],
      ['lazytlb (POR)', () => runLazytlb(p, { por: true, symmetry: false })],
      ['lazytlb (symmetry)', () => runLazytlb(p, { por: false, symmetry: true })],
      ['lazytlb (POR+symmetry)', () => runLazytlb(p, { por: true, symmetry: true })],
    ];
    rows.push(...medians(repeat, cfg, runs, (tool, k) => (json ? undefined : process.stderr.write(`bench: ${tool} ${cfg} (round ${k} of ${repeat}) ...\n`))));
  }

  table(rows, log);
  log('');
  log('seconds = wall clock of the run command only (model generation and C compilation excluded, see');
  log('"compile s"); peak MiB = max RSS from /usr/bin/time -f %M; one thread unless the tool names its workers, threads or NCORE; one run at a time.');
  const t = configs.map((p) => targets(rows, `shootdown(${p.cpus},${p.gens})`));
  for (const x of t) log(x.line);
  for (const p of configs) log(symmetryTarget(rows, `shootdown(${p.cpus},${p.gens})`));
  for (const p of configs) log(workersTarget(rows, `shootdown(${p.cpus},${p.gens})`));
  log('');
  const stores = argv.includes('--no-stores') ? [] : storeRows(configs, 1800, (s) => (json ? undefined : process.stderr.write(s + '\n')));
  if (stores.length > 0) storeTable(stores, log);
  let models: ModelRow[] = [];
  if (!argv.includes('--shootdown-only')) {
    log('');
    models = modelRows(600, (s) => (json ? undefined : process.stderr.write(s + '\n')));
    modelTable(models, log);
    for (const x of reductionTargets(models)) log(x);
  }
  const bad = configs.flatMap((p) => mismatches(rows, `shootdown(${p.cpus},${p.gens})`));
  for (const m of bad) log(m);
  const failed = rows.filter((r) => r.verdict === 'error' || r.verdict === 'violation');
  for (const r of failed) log(`!!! ${r.tool} ${r.config}: ${r.verdict}${r.note ? ` — ${r.note}` : ''}`);
  for (const r of rows.filter((x) => x.verdict === 'n/a')) log(`note: ${r.tool} ${r.config}: n/a (${r.note})`);
  if (json) console.log(JSON.stringify({ rows, targets: t, mismatches: bad, stores, models }, null, 2));
  return bad.length > 0 || failed.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
