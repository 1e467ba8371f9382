#!/usr/bin/env node
// The lazytlb command. Runs the bundle built at install time (dist/cli.mjs) when no source file is
// newer than it; otherwise runs the TypeScript sources directly (while models are being edited).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

// Output piped into a reader that stops early (`lazytlb list | head`): stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const root = fileURLToPath(new URL('..', import.meta.url));
// The main thread's bundle (src/cli/process.ts alone) and the command's (bin/build.mjs).
const dist = `${root}dist/${isMainThread ? 'process' : 'cli'}.mjs`;

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const fresh = existsSync(dist) && statSync(dist).mtimeMs >= Math.max(...['src', 'models', 'properties'].map((d) => newest(root + d)));
// The command runs in a worker thread started from this same script (src/cli/process.ts); the main
// thread only forwards its output and handles Ctrl-C.
let cli;
if (fresh) cli = await import(dist);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(isMainThread ? '../src/cli/process.ts' : '../src/cli/main.ts');
}
if (isMainThread) process.exitCode = await cli.runProcess(new URL(import.meta.url), process.argv.slice(2));
else await cli.serveWorker();
