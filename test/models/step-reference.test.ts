// The step reference (docs/steps/<model>.md): for every shipped model, the file exists and names
// every step of the model, at its defaults and in each of its shipped variants, as `procedure:LABEL`
// in backticks (the name `lazytlb steps <model>` prints and traces show).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../../src/lang/instantiate.ts';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import type { Flags } from '../../src/lang/model.ts';

/** Every `procedure:label` of the model at its defaults, in its shipped variants, and with `extra` flag sets. */
function stepNames(sm: (typeof shipped)[number], extra: readonly Partial<Flags>[] = []): string[] {
  const names = new Set<string>();
  const add = (opts: Parameters<typeof instantiate>[2]) => {
    for (const p of instantiate(sm.model, allProperties, opts).procedures) for (const s of p.steps) names.add(`${p.name}:${s.label}`);
  };
  add({});
  for (const variant of sm.variants) add({ variant });
  for (const flags of extra) add({ flags });
  return [...names];
}

const missing = (doc: string, names: readonly string[]) => names.filter((n) => !doc.includes(`\`${n}\``));

describe('docs/steps: a step reference per shipped model', () => {
  for (const sm of shipped) {
    it(`docs/steps/${sm.model.name}.md names every step of ${sm.model.name} in backticks`, () => {
      const file = `docs/steps/${sm.model.name}.md`;
      expect(existsSync(file), `${file} exists`).toBe(true);
      const names = stepNames(sm);
      expect(names.length).toBeGreaterThan(0);
      expect(missing(readFileSync(file, 'utf8'), names)).toEqual([]);
    });
  }

  it('x86-lazy-tlb: the reference also covers every scope flag and shape', () => {
    const sm = shipped.find((m) => m.model.name === 'x86-lazy-tlb')!;
    const scope = { batchedFlush: true, kthreadFlush: true, exec: true, kthreadUseMm: true, kthreadUseMmPreempt: true, hotplug: true, fills: 'any', lazyRefs: 'shootdown' };
    const shapes = ['A', 'B', 'C', 'D', 'E', 'mainline'].flatMap((lazyDesign) => [true, false].map((a) => ({ ...scope, lazyDesign, shapeA_clearPrevAfterCR3: a, shapeA_leaveMmKeepsLazy: !a })));
    const names = stepNames(sm, [...shapes, { hotplug: true, hotplugForceInitMm: false }, { temporaryMm: true }]);
    expect(names).toContain('collapse_pte_mapped_thp:KH1');
    expect(names).toContain('switch_mm_irqs_off:CLRPREV');
    expect(names).toContain('use_temporary_mm:TM4');
    const doc = readFileSync('docs/steps/x86-lazy-tlb.md', 'utf8');
    expect(missing(doc, names)).toEqual([]);
    // each in the first column of a table row
    expect(names.filter((n) => !doc.includes(`\n| \`${n}\` |`))).toEqual([]);
  });
});
