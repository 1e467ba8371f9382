// Finding what the user named: a shipped model, a named variant or a variant file, --set / --param
// pairs. Every failure is a UsageError that names what is accepted.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { CexVariant, Counterexample } from '../trace/cexfile.ts';
import { fileURLToPath } from 'node:url';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { UsageError, unknownName } from '../lang/errors.ts';
import type { VariantDef } from '../lang/variant.ts';
import type { FlagValue } from '../lang/model.ts';

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
function withDetail(u: UsageError, cause: unknown): UsageError {
  u.stack = `${u.stack}\ncaused by: ${(cause as Error)?.stack ?? String(cause)}`;
  return u;
}

/**
 * How a counterexample names the variant it was found with: a shipped name, or a variant file (its
 * absolute path here, made relative to the trace's directory when saved, and its sha256).
 */
export function variantRef(spec: string | undefined, v: VariantDef | null, set: Readonly<Record<string, FlagValue>> = {}): CexVariant {
  if (v === null || spec === undefined || !isVariantFile(spec)) return { name: v ? v.name : null, file: null, set };
  const path = resolve(spec);
  const sha256 = fileHash(path);
  return { name: null, file: path, ...(sha256 ? { sha256 } : {}), set };
}

/** The sha256 of a file's contents (hex), or null if it cannot be read. */
export function fileHash(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * The variant of a stored trace, for replaying it as it was found (`role: 'own'`, show and shrink; and
 * replay without --variant) or against the variant the user names (`'target'`). A trace is data: a
 * variant file it names is never imported; the user passes it with --variant (and is warned if its
 * contents changed since the trace was saved). With `role: 'target'`, a --variant file that is the
 * trace's own (the same path or the same contents) replays as its own, with its --set flags.
 */
export async function variantOfCex(sm: ShippedModel, c: Counterexample, traceFile: string, given: string | undefined, role: 'own' | 'target', warn: (line: string) => void): Promise<{ variant: VariantDef | null; own: boolean }> {
  const recorded = c.variant.file;
  if (given === undefined) {
    if (recorded !== null) {
      const where = relative(process.cwd(), resolve(dirname(traceFile), recorded)) || recorded;
      throw new UsageError(`${traceFile} was found with the variant file ${where}; a trace never loads code it names: pass --variant ${where} (or where that file is now)`);
    }
    return { variant: await findVariant(sm, c.variant.name ?? undefined), own: true };
  }
  const variant = await findVariant(sm, given);
  if (recorded === null || !isVariantFile(given)) return { variant, own: role === 'own' };
  const path = resolve(given);
  const samePath = path === resolve(dirname(traceFile), recorded);
  const hash = fileHash(path);
  const sameHash = c.variant.sha256 !== undefined && hash === c.variant.sha256;
  const own = role === 'own' || samePath || sameHash;
  if (own && c.variant.sha256 !== undefined && !sameHash) warn(`the variant file changed since this trace was saved (${given})`);
  return { variant, own };
}

/** `name=value` pairs from repeated options. */
export function parsePairs(what: string, items: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items ?? []) {
    const eq = it.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${what} ${it}: expected name=value`);
    out[it.slice(0, eq)] = it.slice(eq + 1);
  }
  return out;
}
