// Exit codes of every lazytlb command (the CLI contract), and the one line an error becomes.
import { fsReason, ModelError, UsageError } from '../lang/errors.ts';

export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3, interrupt: 130 } as const;

export function exitFor(verdict: 'ok' | 'violation' | 'incomplete' | 'error'): number {
  return verdict === 'ok' ? EXIT.ok : verdict === 'violation' ? EXIT.violation : verdict === 'incomplete' ? EXIT.incomplete : EXIT.usage;
}

/** A user's mistake with a path, reported by Node's fs, as a one-line usage error; null for anything else. */
export function fsUsageError(e: unknown): UsageError | null {
  const reason = fsReason(e);
  if (reason === null) return null;
  const x = e as { path?: unknown; syscall?: unknown };
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
