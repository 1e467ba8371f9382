// Reading a counterexample's steps in model tests: `cpu1 switch_mm_irqs_off:SW3b (next=mm1)`.
import { expect } from 'vitest';
import type { CheckResult } from '../../src/pipeline/check.ts';

export const steps = (r: CheckResult): string[] => (r.trace ?? []).map((t) => `${t.actor} ${t.procedure}:${t.label}${t.choiceText ? ` (${t.choiceText})` : ''}`);

/** The trace contains these steps in this order (other steps may come in between). */
export function expectInOrder(r: CheckResult, wanted: string[]): void {
  const got = steps(r);
  let i = 0;
  for (const w of wanted) {
    while (i < got.length && !got[i].startsWith(w)) i++;
    expect(i, `step '${w}' in order in:\n${got.join('\n')}`).toBeLessThan(got.length);
    i++;
  }
}
