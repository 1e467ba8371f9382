// A variant that adds per-frame locals to a procedure (`locals('proc', { name: domain })`): a patch that
// declares a new local variable in a kernel function. The new local lives in each frame like the
// model's own; a name the procedure already has, an unknown procedure, a rules procedure or a value
// that is not a domain is a one-line usage error.
import { describe, expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import { UsageError } from '../../src/lang/errors.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { int } from '../../src/lang/domain.ts';
import { defineVariant, locals, patch, type Edit } from '../../src/lang/variant.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';

const EARLY_GEN_STATES = 242558;
const SWITCHING = 3; // LOADED_MM_SWITCHING with the default 2 user mms
const x86v = (edits: readonly Edit[]) => defineVariant({ model: 'x86-lazy-tlb', name: 'p', description: 'a patch', edits });
function usageError(edits: readonly Edit[]): string {
  try {
    instantiate(x86, allProperties, { variant: x86v(edits) });
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('instantiate accepted the variant');
}

// The patch of the docs (docs/language.md, "A variant that adds locals"): switch_mm_irqs_off reads
// next->context.tlb_gen into a new local before it sets its bit in mm_cpumask(next), and uses it at SW3d.
const earlyGen = defineVariant({
  model: 'x86-lazy-tlb',
  name: 'early-tlb-gen',
  description: 'switch_mm_irqs_off reads next_tlb_gen into a new local before cpumask_set_cpu',
  edits: [
    locals('switch_mm_irqs_off', { earlyGen: int(0, 3) }),
    patch('switch_mm_irqs_off:SW3b', {
      text: 'early_gen = atomic64_read(&next->context.tlb_gen); loaded_mm = LOADED_MM_SWITCHING',
      do: (s: any, c: number, x: any) => {
        const next = s.cpu[c].swNext;
        x.locals.earlyGen = next < s.mm.length ? s.mm[next].tlbGen : 0;
        s.cpu[c].loadedMm = SWITCHING;
      },
    }),
    patch('switch_mm_irqs_off:SW3d', { text: 'next_tlb_gen = early_gen', do: (_s: any, _c: number, x: any) => void (x.locals.nextTlbGen = x.locals.earlyGen) }),
  ],
});

describe('variant edit: locals', () => {
  it('adds the local to the procedure, beside the model\'s own', () => {
    const inst = instantiate(x86, allProperties, { variant: earlyGen });
    const sw = inst.procedures.find((p) => p.name === 'switch_mm_irqs_off')!;
    expect(Object.keys(sw.locals!)).toEqual(['prev', 'prevAsid', 'wasLazy', 'nextTlbGen', 'newAsid', 'needFlush', 'earlyGen']);
  });

  it('the patch that reads tlb_gen before setting the mask bit checks at the default scope: ok, with its own state count', () => {
    const r = check(x86, allProperties, { variant: earlyGen, maxSeconds: 60 });
    expect([r.verdict, r.states]).toEqual(['ok', EARLY_GEN_STATES]);
  });

  it('a name the procedure already has, an unknown procedure, a rules procedure, a value that is not a domain: one-line errors', () => {
    expect(usageError([locals('switch_mm_irqs_off', { prev: int(0, 1) })])).toBe(
      "variant adds local 'prev' to 'switch_mm_irqs_off', which already has a local of that name (its locals: prev, prevAsid, wasLazy, nextTlbGen, newAsid, needFlush)",
    );
    expect(usageError([locals('switch_mm_irqs_of', { a: int(0, 1) })])).toMatch(/^unknown procedure 'switch_mm_irqs_of'.*switch_mm_irqs_off/);
    expect(usageError([locals('ipi', { a: int(0, 1) })])).toBe("variant adds locals to 'ipi', a rules procedure: a rule runs in no frame (add them to the seq procedure it calls)");
    expect(usageError([locals('switch_mm_irqs_off', { a: 3 as never })])).toBe("variant 'p': edits[0] (locals 'switch_mm_irqs_off'): local 'a' must be a domain (bool(), int(lo, hi), enumOf, ref, setOf), not number 3");
    expect(usageError([locals('switch_mm_irqs_off:SW1', { a: int(0, 1) })])).toBe("variant 'p': edits[0] (locals): the first argument must name a procedure ('switch_mm_irqs_off'), not \"switch_mm_irqs_off:SW1\"");
    expect(usageError([locals('switch_mm_irqs_off', {})])).toBe("variant 'p': edits[0] (locals 'switch_mm_irqs_off') needs an object of local names and domains, { name: int(0, 2) }, not an object");
    expect(usageError([locals('switch_mm_irqs_off', { 'a-b': int(0, 1) })])).toBe("variant 'p': edits[0] (locals 'switch_mm_irqs_off'): local name \"a-b\" is not an identifier");
    // two edits adding the same name: the second clashes with the first
    expect(usageError([locals('use_temporary_mm', { a: int(0, 1) }), locals('use_temporary_mm', { a: int(0, 1) })])).toMatch(/^unknown procedure 'use_temporary_mm'/);
  });
});
