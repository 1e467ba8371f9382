#!/usr/bin/env node
// npm run fuzz -- --models N [--seed S] [--jobs K]: N random models through every explorer and
// reduction combination (test/fuzz/fuzz.fuzz.ts, run under vitest for its assertions and reports),
// split over K processes (default: one per core), each drawing its share from its own offset of the seed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

register();
// The seed is read and drawn as the test suite's (one parser, one draw).
const { freshSeed, parseSeed } = await import('../test/reference/seed.ts');

const fail = (msg) => {
  process.stderr.write(`fuzz: ${msg}\n`);
  process.exit(2);
};
const argv = yargs(hideBin(process.argv))
  .scriptName('npm run fuzz --')
  .option('models', { type: 'string', default: '1000', describe: 'random models to compare' })
  .option('seed', { type: 'string', describe: 'the seed (decimal or 0x hex); default a fresh one, printed' })
  .option('jobs', { type: 'string', default: String(availableParallelism()), describe: 'processes to split the models over' })
  .strict()
  .fail(fail)
  .parseSync();
for (const k of ['models', 'jobs']) if (!/^[1-9][0-9]*$/.test(argv[k])) fail(`--${k} ${argv[k]} is not a positive decimal integer`);
const models = Number(argv.models);
const jobs = Math.min(Number(argv.jobs), models);
let seed;
try {
  seed = argv.seed !== undefined ? parseSeed(argv.seed) : freshSeed();
} catch (e) {
  fail(`--seed: ${e.message}`);
}
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lazytlb-fuzz-'));
const t0 = Date.now();
console.log(`fuzz: ${models} models over ${jobs} processes, LAZYTLB_SEED=${seed}`);
const runs = Array.from({ length: jobs }, (_, i) => {
  const share = Math.floor(models / jobs) + (i < models % jobs ? 1 : 0);
  const env = { ...process.env, LAZYTLB_SEED: String(seed), LAZYTLB_FUZZ_MODELS: String(share), LAZYTLB_FUZZ_SHARD: String(i), LAZYTLB_FUZZ_OUT: join(dir, `${i}.json`) };
  const child = spawn(process.execPath, [vitest, 'run', '--config', 'vitest.fuzz.config.ts'], { stdio: 'inherit', env });
  return new Promise((res) => child.on('exit', (code) => res(code ?? 1)));
});
const codes = await Promise.all(runs);
const total = {};
for (let i = 0; i < jobs; i++) {
  try {
    for (const [k, n] of Object.entries(JSON.parse(readFileSync(join(dir, `${i}.json`), 'utf8')))) total[k] = (total[k] ?? 0) + n;
  } catch {
    // a failed shard wrote no tally: its vitest report above says why
  }
}
rmSync(dir, { recursive: true, force: true });
const bad = codes.filter((c) => c !== 0).length;
console.log(`fuzz: ${bad === 0 ? 'no disagreement' : `${bad} of ${jobs} processes failed`} (LAZYTLB_SEED=${seed}), ${Math.round((Date.now() - t0) / 1000)} s`);
for (const [k, n] of Object.entries(total).sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${k}: ${n}`);
process.exit(bad === 0 ? 0 : 1);
