#!/usr/bin/env node
// Bundles the CLI with its models and properties into dist/cli.mjs (run at install time), so the
// command starts without compiling TypeScript. Variant files are still loaded as TypeScript. The
// bundle also exports what a search worker thread runs (src/engine/parallel/spawn.ts starts the
// bundle itself in each worker): serveSearchWorker, and programFor, the pipeline's recipe of a program.
import { build } from 'esbuild';
const src = (p) => new URL(`../src/${p}`, import.meta.url).pathname;
await build({
  stdin: {
    contents: [`export * from ${JSON.stringify(src('cli/main.ts'))};`, `export { serveSearchWorker } from ${JSON.stringify(src('engine/parallel/worker.ts'))};`, `export { programFor } from ${JSON.stringify(src('pipeline/check.ts'))};`].join('\n'),
    resolveDir: new URL('..', import.meta.url).pathname,
    sourcefile: 'cli-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: new URL('../dist/cli.mjs', import.meta.url).pathname,
  logLevel: 'warning',
});
