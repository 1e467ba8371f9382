#!/usr/bin/env node
// Bundles the CLI with its models and properties into dist/cli.mjs (run at install time), so the
// command starts without compiling TypeScript. Variant files are still loaded as TypeScript.
import { build } from 'esbuild';
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: new URL('../dist/cli.mjs', import.meta.url).pathname,
  logLevel: 'warning',
});
