// Exit codes of every lazytlb command (the CLI contract).
export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3 } as const;

export function exitFor(verdict: 'ok' | 'violation' | 'incomplete' | 'error'): number {
  return verdict === 'ok' ? EXIT.ok : verdict === 'violation' ? EXIT.violation : verdict === 'incomplete' ? EXIT.incomplete : EXIT.usage;
}
