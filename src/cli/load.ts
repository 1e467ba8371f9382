// Finding what the user named: a shipped model, a named variant or a variant file, --set / --param
// pairs. Every failure is a UsageError that names what is accepted.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { UsageError, unknownName } from '../lang/errors.ts';
import type { VariantDef } from '../lang/variant.ts';

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

export async function loadVariantFile(file: string, modelName: string): Promise<VariantDef> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`variant file ${file} does not load: no such file`);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    const msg = (e as Error).message?.split('\n')[0] ?? String(e);
    throw new UsageError(`variant file ${file} does not load: ${msg}`);
  }
  const v = mod.default as VariantDef | undefined;
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.model !== 'string') {
    throw new UsageError(`variant file ${file} does not load: its default export is not a variant (use defineVariant({ model, name, description, flags, edits }))`);
  }
  if (v.model !== modelName) throw new UsageError(`variant file ${file} is for model '${v.model}', not '${modelName}'`);
  return v;
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
