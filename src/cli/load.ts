// Finding what the user named: a shipped model, a named variant or a variant file (src/pipeline/load.ts,
// which the test helpers share), --set / --param pairs, and the variant a counterexample names. Every
// failure is a UsageError that names what is accepted.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { CexVariant, Counterexample } from '../trace/cexfile.ts';
import type { ShippedModel } from '../../models/index.ts';
import { UsageError } from '../lang/errors.ts';
import type { VariantDef } from '../lang/variant.ts';
import type { FlagValue } from '../lang/model.ts';
import { findVariant, isVariantFile } from '../pipeline/load.ts';

export { findModel, findVariant, isVariantFile, loadVariantFile } from '../pipeline/load.ts';

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
