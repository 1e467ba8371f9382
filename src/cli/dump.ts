// check --dump-generated DIR: the generated functions of the run (src/lang/generated.ts), one file
// each, named after the model and the function (`shootdown.pack.js`, `shootdown.view.s.cpu[].js`).
// DIR must be new or empty: nothing is ever overwritten.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsReason, UsageError } from '../lang/errors.ts';
import type { GeneratedSource } from '../lang/generated.ts';

/** DIR, checked before the search: it does not exist, or is an empty directory. */
export function emptyDirFor(dir: string): string {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return dir;
    throw new UsageError(`--dump-generated ${dir}: ${fsReason(e) ?? String(e)}`);
  }
  if (!st.isDirectory()) throw new UsageError(`--dump-generated ${dir}: exists and is not a directory`);
  if (readdirSync(dir).length > 0) throw new UsageError(`--dump-generated ${dir}: the directory is not empty (nothing is overwritten; give a new or empty one)`);
  return dir;
}

/** Writes each generated function to DIR/<model>.<function>.js (exclusive create: never overwrites). */
export function writeGenerated(dir: string, generated: readonly GeneratedSource[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const g of generated) writeFileSync(join(dir, `${g.model}.${g.what}.js`.replace(/[/\\]/g, '_')), g.source, { flag: 'wx' });
  } catch (e) {
    throw new UsageError(`--dump-generated ${dir}: ${fsReason(e) ?? String(e)}`);
  }
}
