// One test per configuration: the full search's verdict, property and state count, and the same
// verdict and property (with the state count stored and, for a violation, an equally short trace)
// under partial-order and symmetry reduction together.
import { expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import type { AnyModel } from '../../src/lang/model.ts';
import type { VariantDef } from '../../src/lang/variant.ts';

/** [variant or 'mainline', verdict, property, full states, states stored with both reductions]. */
export type ReductionRow = readonly [string, string, string | undefined, number, number];

export function itReducesSoundly(model: AnyModel, variants: readonly VariantDef[], table: readonly ReductionRow[]): void {
  for (const [name, verdict, property, full, reduced] of table) {
    it(`${name}: partial-order and symmetry reduction reach the full search's verdict (${verdict}${property ? ` ${property}` : ''})`, () => {
      const variant = name === 'mainline' ? undefined : variants.find((v) => v.name === name)!;
      const f = check(model, allProperties, { maxSeconds: 60, variant });
      expect([f.verdict, f.property, f.states]).toEqual([verdict, property, full]);
      const r = check(model, allProperties, { maxSeconds: 60, variant, por: true, symmetry: true });
      expect([r.verdict, r.property, r.states]).toEqual([verdict, property, reduced]);
      if (verdict === 'violation') expect(r.trace!.length).toBe(f.trace!.length);
    });
  }
}
