// Saving a counterexample after its result is shown: a refusal (an existing different file, kept
// unless --force, or a path that cannot be written) never hides the result it would have stored. The
// result is printed with what happened to the save, and a refusal is the exit code (2).
import { errorLine } from './exit.ts';

export type SaveOutcome = { readonly saved: string } | { readonly refused: string } | null;

/** Runs `save` (null: nothing to save); a usage error becomes `refused` with its one line. */
export function trySave(save: (() => string) | null): SaveOutcome {
  if (save === null) return null;
  try {
    return { saved: save() };
  } catch (e) {
    const { kind, line } = errorLine(e);
    if (kind !== 'usage') throw e;
    return { refused: line };
  }
}

/** The fields the --json object gains: `saved`, or `saveError` with the refusal's line. */
export function saveJson(o: SaveOutcome): Record<string, string> {
  return o === null ? {} : 'saved' in o ? { saved: o.saved } : { saveError: o.refused };
}

/** The text line after the result: `saved: PATH`, or the refusal. */
export function saveText(o: SaveOutcome): string {
  return o === null ? '' : 'saved' in o ? `saved: ${o.saved}` : `not saved: ${o.refused}`;
}
