// Two kinds of failure besides a property violation:
//  - UsageError: the user asked for something that does not exist or is ill-formed (exit 2, one line);
//  - ModelError: the model itself misbehaved while exploring (a value outside its domain, an unknown
//    label, a stack overflow). It is reported with the trace that reached it.

export class UsageError extends Error {
  override name = 'UsageError';
}

export class ModelError extends Error {
  override name = 'ModelError';
}

/** What Node's fs says for a path it could not use, in a few words: the one table of them. */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
  ENOSPC: 'no space left on device',
  EIO: 'input/output error',
};

/** An fs error's reason ("permission denied"), or null for an error that is not one of a path. */
export function fsReason(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && Object.hasOwn(FS_REASONS, code) ? FS_REASONS[code] : null;
}

/** A step wrote a name the sealed state does not declare (a misspelt field): a model error. */
export class UndeclaredWrite extends ModelError {}

/** The `sourceURL` generated code is named by in stack traces: `lazytlb-generated/<model>/<what>.js`. */
export function generatedURL(model: string, what: string): string {
  return `lazytlb-generated/${model.replace(/[^\w.-]/g, '_')}/${what}.js`;
}

/** The stack of an error and of its causes (what `--debug` prints). */
export function fullStack(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e; x !== undefined && x !== null && parts.length < 5; x = (x as { cause?: unknown }).cause) {
    parts.push(x instanceof Error ? (x.stack ?? `${x.name}: ${x.message}`) : String(x));
  }
  return parts.join('\nCaused by: ');
}

// Frames of the checker itself (not the model's or the variant's code): this directory's parent
// (src/) when running from source; in the bundle, the bundle itself. (A variant file is bundled with
// the helpers it imports into a data: module, where this copy of the module is never asked.)
const ownCode = import.meta.url.startsWith('file:') && new URL('.', import.meta.url).href.endsWith('/src/lang/') ? new URL('..', import.meta.url).href : import.meta.url;

/**
 * The first frame of `e`'s stack in the model's or a variant file's code (not the checker's, not
 * generated code, not Node's): `models/x86-lazy-tlb/switch.ts:53:9`, relative to the working directory.
 */
export function modelFrame(e: unknown): string | null {
  const stack = e instanceof Error ? e.stack : undefined;
  if (!stack) return null;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/|\/)[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const url = m[1].startsWith('file:') ? m[1] : `file://${m[1]}`;
    if (url.startsWith(ownCode) || url.includes('/node_modules/') || url.includes('lazytlb-generated/')) continue;
    let file = decodeURIComponent(url.slice('file://'.length));
    const cwd = `${process.cwd()}/`;
    if (file.startsWith(cwd)) file = file.slice(cwd.length);
    return `${file}:${m[2]}:${m[3]}`;
  }
  return null;
}

/** "unknown flag 'x'; accepted: a, b, c" — with the close matches first when there are many. */
export function unknownName(what: string, name: string, accepted: readonly string[]): UsageError {
  const close = closeMatches(name, accepted);
  const list = accepted.length === 0 ? '(none)' : accepted.join(', ');
  const hint = close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : '';
  return new UsageError(`unknown ${what} '${name}'${hint}; accepted: ${list}`);
}

/** Names within edit distance 2 (or sharing a prefix), closest first. */
export function closeMatches(name: string, accepted: readonly string[]): string[] {
  const lower = name.toLowerCase();
  return accepted
    .map((a) => ({ a, d: a.toLowerCase().startsWith(lower) || lower.startsWith(a.toLowerCase()) ? 0 : editDistance(lower, a.toLowerCase()) }))
    .filter((x) => x.d <= (name.length <= 3 ? 1 : 2))
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => x.a);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * An exception thrown while running a model's own code (init, a guard, an effect, a property) is a
 * model error, reported with the trace that reached it: a ModelError as it is, a TypeError or the like
 * (a bug in the model, or a scope the model was not written for) with its message, the first frame of
 * the model's or variant's code it was thrown in, and itself as the cause (its stack: `--debug`).
 * Anything else is not the model's: null.
 */
export function asModelError(e: unknown): ModelError | null {
  if (e instanceof ModelError) return e;
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof SyntaxError) {
    const at = modelFrame(e);
    return new ModelError(`${e.name} in the model's code${at ? ` at ${at}` : ''}: ${e.message}`, { cause: e });
  }
  return null;
}

/** The JavaScript heap or a typed array could not grow: the search ran out of memory. */
export function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /Array buffer allocation failed|Invalid typed array length|Invalid array length/.test(e.message);
}
