// Numbers as the user types them (params, integer flags, the command line's counts and limits): plain
// decimal text only, so a typo (`two`, `0x2`, `1e0`, ` 2`, `2.0`) is an error and never a silent 2 or 1.

/** The integer written `text` in decimal (an optional minus, digits), or null for anything else. */
export function decimalInteger(text: string): number | null {
  if (!/^-?[0-9]+$/.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : null;
}

/** The non-negative decimal number written `text` (`30`, `0.5`), or null for anything else. */
export function decimalNumber(text: string): number | null {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/** "a decimal integer from 1 to 8", "a decimal integer of at least 1": what an integer setting accepts. */
export function integerRange(min: number, max: number): string {
  if (max === Infinity || max >= Number.MAX_SAFE_INTEGER) return min === -Infinity ? 'a decimal integer' : `a decimal integer of at least ${min}`;
  if (min === -Infinity) return `a decimal integer of at most ${max}`;
  return `a decimal integer from ${min} to ${max}`;
}
