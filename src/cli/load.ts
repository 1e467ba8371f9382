// Finding what the user named: a shipped model, a named variant or a variant file, --set / --param
// pairs. Every failure is a UsageError that names what is accepted.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CexVariant } from '../trace/cexfile.ts';
import { pathToFileURL } from 'node:url';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { UsageError, unknownName } from '../lang/errors.ts';
import type { VariantDef } from '../lang/variant.ts';
import type { FlagValue } from '../lang/model.ts';

export function findModel(name: string): ShippedModel {
  const m = shipped.find((s) => s.model.name === name);
  if (!m) throw unknownName('model', name, shipped.map((s) => s.model.name));
  return m;
}

/** A variant given by name (of the model's shipped variants) or as a path to a variant file. */
export async function findVariant(sm: ShippedModel, spec: string | undefined): Promise<VariantDef | null> {
  if (spec === undefined || spec === '' || spec === 'mainline') return null;
  const looksLikeFile = /[/\\]/.test(spec) || /\.(ts|js|mjs)$/.test(spec);
  if (!looksLikeFile) {
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
  let mod: { default?: unknown };
  try {
    mod = await importModule(path);
  } catch (e) {
    const msg = (e as Error).message?.split('\n')[0] ?? String(e);
    throw new UsageError(`variant file ${file} does not load: ${msg}`);
  }
  const v = mod.default as VariantDef | undefined;
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.model !== 'string') {
    throw new UsageError(`variant file ${file} does not load: its default export is not a variant (use defineVariant({ model, name, description, flags, edits }))`);
  }
  if (modelName !== '*' && v.model !== modelName) throw new UsageError(`variant file ${file} is for model '${v.model}', not '${modelName}'`);
  return v;
}

/** Imports a variant file; TypeScript goes through tsx's loader when the runtime cannot load it itself. */
async function importModule(path: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(path).href;
  try {
    return await import(url);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as { default?: unknown };
  }
}

/** How a counterexample file names the variant it was found with (a shipped name, or a file). */
export function variantRef(spec: string | undefined, v: VariantDef | null, set: Readonly<Record<string, FlagValue>> = {}): CexVariant {
  const isFile = v !== null && spec !== undefined && spec !== v.name;
  return { name: v && !isFile ? v.name : null, file: isFile ? relative(process.cwd(), resolve(spec!)) : null, set };
}

/** The variant a counterexample names: its shipped variant, its variant file, or mainline. */
export async function variantOfCex(sm: ShippedModel, v: CexVariant): Promise<VariantDef | null> {
  if (v.file) return loadVariantFile(v.file, sm.model.name);
  return findVariant(sm, v.name ?? undefined);
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
