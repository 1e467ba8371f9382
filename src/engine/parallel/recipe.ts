// How a search worker gets the Program the coordinator searches: functions cannot be posted to a
// thread, so the worker rebuilds it. A recipe names a module (a file URL) and one of its exports, a
// function from plain data (`args`, posted as it is) to the compiled Program; the pipeline's is
// `programFor` (src/pipeline/check.ts: model name, variant, params, flags, memory model, properties),
// tests give their own (random models from their seed).
import type { Program } from '../../lang/compile.ts';

export interface ProgramRecipe {
  /** A file URL: the module to import in the worker (TypeScript in the sources, the bundle in dist/). */
  readonly module: string;
  /** The export of `module`: (args) => Program | Promise<Program>. */
  readonly export: string;
  /** Plain data (structured-cloneable). */
  readonly args: unknown;
}

export async function programFromRecipe(r: ProgramRecipe): Promise<Program> {
  const mod = (await import(r.module)) as Record<string, unknown>;
  const make = mod[r.export];
  if (typeof make !== 'function') throw new Error(`internal: ${r.module} has no function ${r.export} to build the program`);
  return (await (make as (args: unknown) => Program | Promise<Program>)(r.args)) as Program;
}
