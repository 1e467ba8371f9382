// Exit codes of every lazytlb command (the CLI contract), and the one line an error becomes.
import { ModelError, UsageError } from '../lang/errors.ts';

export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3, interrupt: 130 } as const;

export function exitFor(verdict: 'ok' | 'violation' | 'incomplete' | 'error'): number {
  return verdict === 'ok' ? EXIT.ok : verdict === 'violation' ? EXIT.violation : verdict === 'incomplete' ? EXIT.incomplete : EXIT.usage;
}

/** What Node's fs says, for the mistakes a user makes with a path (a directory for a file, no permission). */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
};

/** A user's mistake with a path, reported by Node's fs, as a one-line usage error; null for anything else. */
export function fsUsageError(e: unknown): UsageError | null {
  const x = e as { code?: unknown; path?: unknown; syscall?: unknown } | null;
  if (x === null || typeof x !== 'object' || typeof x.code !== 'string' || !Object.hasOwn(FS_REASONS, x.code)) return null;
  const reason = FS_REASONS[x.code];
  if (typeof x.path === 'string') return new UsageError(`${x.path}: ${reason}`);
  return new UsageError(`cannot ${typeof x.syscall === 'string' ? x.syscall : 'access'} a path: ${reason}`);
}

/** Any thrown value as the one line the CLI prints: a usage or model error, or an internal error (a bug). */
export function errorLine(e: unknown): { readonly kind: 'usage' | 'model' | 'internal'; readonly line: string } {
  if (e instanceof UsageError) return { kind: 'usage', line: e.message };
  if (e instanceof ModelError) return { kind: 'model', line: `model error: ${e.message}` };
  const fs = fsUsageError(e);
  if (fs) return { kind: 'usage', line: fs.message };
  return { kind: 'internal', line: `internal error: ${(e as Error)?.message ?? String(e)}` };
}
