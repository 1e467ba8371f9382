// Finding what the user named: a shipped model, a named variant or a variant file (bundled and
// imported from any directory). Every failure is a UsageError that names what is accepted. The CLI
// and the test helpers (src/testing.ts) both start here.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { UsageError, unknownName } from '../lang/errors.ts';
import type { VariantDef } from '../lang/variant.ts';

export function findModel(name: string): ShippedModel {
  const m = shipped.find((s) => s.model.name === name);
  if (!m) throw unknownName('model', name, shipped.map((s) => s.model.name));
  return m;
}

/** Whether a --variant value names a file (a path, or a name ending in .ts/.mts/.js/.mjs) rather than a shipped variant. */
export function isVariantFile(spec: string): boolean {
  return /[/\\]/.test(spec) || /\.(ts|mts|js|mjs)$/.test(spec);
}

/** A variant given by name (of the model's shipped variants) or as a path to a variant file. */
export async function findVariant(sm: ShippedModel, spec: string | undefined): Promise<VariantDef | null> {
  if (spec === undefined || spec === '' || spec === 'mainline') return null;
  if (!isVariantFile(spec)) {
    const v = sm.variants.find((x) => x.name === spec);
    if (!v) throw unknownName(`variant of ${sm.model.name}`, spec, ['mainline', ...sm.variants.map((x) => x.name)]);
    return v;
  }
  return loadVariantFile(spec, sm.model.name);
}

/** Loads a variant file for `modelName` ('*': for whichever model it names). */
export async function loadVariantFile(file: string, modelName: string): Promise<VariantDef> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`variant file ${file} does not load: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`variant file ${file} does not load: not a regular file`);
  let mod: { default?: unknown };
  try {
    mod = await importVariantModule(path, file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message?.split('\n')[0] ?? String(e);
    throw withDetail(new UsageError(`variant file ${file} does not load: ${msg}`), e);
  }
  const v = mod.default as VariantDef | undefined;
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.model !== 'string') {
    throw new UsageError(`variant file ${file} does not load: its default export is not a variant (use defineVariant({ model, name, description, flags, edits }))`);
  }
  if (modelName !== '*' && v.model !== modelName) throw new UsageError(`variant file ${file} is for model '${v.model}', not '${modelName}'`);
  return v;
}

/**
 * Imports a variant file from any directory, whatever the package.json above it says (or none): the
 * file and everything it imports are bundled into one ES module, with `lazytlb/<path>` resolving to
 * this installation's files, and imported from memory. Nothing is written next to the file.
 */
async function importVariantModule(path: string, file: string): Promise<{ default?: unknown }> {
  const { build } = await import('esbuild');
  const root = packageRoot();
  let code: string;
  try {
    const out = await build({
      entryPoints: [path],
      absWorkingDir: process.cwd(),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      plugins: [
        {
          name: 'lazytlb',
          setup(b) {
            b.onResolve({ filter: /^lazytlb(\/|$)/ }, (args) => {
              const path = resolve(root, args.path.slice('lazytlb/'.length));
              return existsSync(path) && statSync(path).isFile() ? { path } : { errors: [{ text: `Could not resolve "${args.path}": lazytlb has no such file (import its helpers as lazytlb/src/lang/variant.ts and lazytlb/src/lang/model.ts)` }] };
            });
          },
        },
      ],
    });
    code = out.outputFiles[0].text;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location: { file: string; line: number; column: number } | null }[] }).errors;
    if (!errors?.length) throw e;
    const at = (l: { file: string; line: number; column: number } | null) => (l ? `${resolve(l.file) === path ? file : relative(process.cwd(), resolve(l.file))}:${l.line}:${l.column + 1}: ` : '');
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}; --debug shows all)` : '';
    throw withDetail(new UsageError(`variant file ${file} does not load: ${at(errors[0].location)}${errors[0].text}${more}`), e);
  }
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default?: unknown };
}

/** The directory of this installation's package.json (the bundle in dist/ and the sources in src/ sit at different depths). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Keeps the full underlying error for --debug (which prints the stack). */
export function withDetail(u: UsageError, cause: unknown): UsageError {
  u.stack = `${u.stack}\ncaused by: ${(cause as Error)?.stack ?? String(cause)}`;
  return u;
}
