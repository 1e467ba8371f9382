#!/usr/bin/env node
// Bundles the CLI with its models and properties into dist/cli.mjs (run at install time), so the
// command starts without compiling TypeScript. Variant files are still loaded as TypeScript. The
// bundle also exports what a search worker thread runs (src/engine/parallel/spawn.ts starts the
// bundle itself in each worker): serveSearchWorker, and programFor, the pipeline's recipe of a program.
// The process's main thread, which only starts the command's worker, forwards its output and
// handles Ctrl-C (src/cli/process.ts), loads a bundle of its own, dist/process.mjs: a thread that
// loaded the whole CLI would hold its code and heap (about 20 MB) for nothing.
import { build } from 'esbuild';
const src = (p) => new URL(`../src/${p}`, import.meta.url).pathname;
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [src('cli/process.ts')],
  outfile: new URL('../dist/process.mjs', import.meta.url).pathname,
});
await build({
  stdin: {
    contents: [`export * from ${JSON.stringify(src('cli/main.ts'))};`, `export { serveSearchWorker } from ${JSON.stringify(src('engine/parallel/worker.ts'))};`, `export { programFor } from ${JSON.stringify(src('pipeline/check.ts'))};`].join('\n'),
    resolveDir: new URL('..', import.meta.url).pathname,
    sourcefile: 'cli-entry.ts',
    loader: 'ts',
  },
  ...common,
  outfile: new URL('../dist/cli.mjs', import.meta.url).pathname,
});
