// A variant written by a patch author: its shape is checked when it is instantiated (one-line usage
// errors naming the variant and the field), jumps keep their meaning or the edit is refused, and
// `patch` changes one attribute of a shipped step.
import { describe, expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import { UsageError } from '../../src/lang/errors.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { step } from '../../src/lang/model.ts';
import { defineVariant, insertBefore, move, patch, remove, replace, type Edit, type VariantDef } from '../../src/lang/variant.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import noSw3cFence from '../../models/x86-lazy-tlb/variants/no-sw3c-fence.ts';

/** The one-line UsageError instantiating `variant` on x86-lazy-tlb gives. */
function usageError(variant: unknown, opts: { memory?: string } = {}): string {
  try {
    instantiate(x86, allProperties, { variant: variant as VariantDef, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('instantiate accepted the variant');
}

const v = (fields: Record<string, unknown>) => ({ model: 'x86-lazy-tlb', name: 'p', description: 'a patch', ...fields });
const x86v = (edits: readonly Edit[], extra: Partial<VariantDef> = {}) => defineVariant({ model: 'x86-lazy-tlb', name: 'p', description: 'a patch', edits, ...extra });

describe('the shape of a variant', () => {
  it('edits, flags, params must be an array, objects; each edit made by the helpers', () => {
    expect(usageError(v({ edits: remove('flush_tlb_func:T9') }))).toBe(
      "variant 'p': edits must be an array of edits (replace, insertBefore, insertAfter, remove, move, patch, addProcedure, locals), not an object",
    );
    expect(usageError(v({ flags: 'fenceWhenMaskBitSet=false' }))).toBe('variant \'p\': flags must be an object of flag values, not "fenceWhenMaskBitSet=false"');
    expect(usageError(v({ params: [2] }))).toBe("variant 'p': params must be an object of parameter values, not an array");
    expect(usageError(v({ edits: [{ at: 'flush_tlb_func:T9' }] }))).toBe(
      "variant 'p': edits[0] is not an edit made by replace, insertBefore, insertAfter, remove, move, patch, addProcedure, locals: an object",
    );
    expect(usageError(v({ edits: [remove('flush_tlb_func:T9'), { op: 'delete', at: 'x:y' }] }))).toBe(
      "variant 'p': edits[1] has an unknown op 'delete'; the edits are made by replace, insertBefore, insertAfter, remove, move, patch, addProcedure, locals",
    );
    expect(usageError(v({ edits: [replace('flush_tlb_func:T9')] }))).toBe("variant 'p': edits[0] (replace 'flush_tlb_func:T9') has no steps: pass step(label, text, { ... }) after the reference");
    expect(usageError(v({ edits: [remove(7 as unknown as string)] }))).toBe("variant 'p': edits[0] (remove): 'at' must be a 'procedure:label' string, not number 7");
  });

  it('model, name and description are strings; an unknown field is named', () => {
    expect(usageError({ model: 'x86-lazy-tlb', description: 'x' })).toBe("variant '?': name must be a non-empty string, not undefined");
    expect(usageError(v({ description: 3 }))).toBe("variant 'p': description must be a non-empty string, not number 3");
    expect(usageError(v({ edit: [] }))).toBe("unknown field of variant 'p' 'edit' (did you mean edits?); accepted: model, name, description, flags, params, edits, memory, violates");
    expect(usageError(42)).toBe('a variant must be an object made by defineVariant({ model, name, description, ... }), not number 42');
  });

  it('a step of a variant has StepDef attributes only, each of its type', () => {
    expect(usageError(x86v([insertBefore('flush_tlb_func:T9', step('X', 'x', { fnce: true } as object))]))).toBe(
      "unknown step attribute in variant 'p': edits[0] (insertBefore 'flush_tlb_func:T9'): step 'X' 'fnce' (did you mean fence?); accepted: text, when, do, choose, fence, jumps, bounded",
    );
    expect(usageError(x86v([insertBefore('flush_tlb_func:T9', step('X', 'x', { fence: 'yes' as unknown as boolean }))]))).toBe(
      'variant \'p\': edits[0] (insertBefore \'flush_tlb_func:T9\'): step \'X\': fence must be a boolean, not "yes"',
    );
  });

  it('memory: a known name, and one the model supports (named as the variant\'s)', () => {
    expect(usageError(v({ memory: 'arm' }))).toBe('variant \'p\': memory must be one of sc, tso, weak, not "arm"');
    // x86-lazy-tlb supports sc and tso only.
    expect(usageError(v({ memory: 'weak' }))).toBe("variant 'p' sets memory 'weak', but model 'x86-lazy-tlb' has no memory model 'weak'; accepted: sc, tso");
    expect(usageError(null, { memory: 'weak' })).toBe("model 'x86-lazy-tlb' has no memory model 'weak'; accepted: sc, tso");
  });
});

describe('jumps and edits', () => {
  it('removing a step another step jumps to is refused at load, naming the jumping step', () => {
    // SW1 continues at SW3b when prev != next (x.goto): without SW3b that jump has no meaning.
    expect(usageError(x86v([remove('switch_mm_irqs_off:SW3b')]))).toBe(
      "variant removes 'switch_mm_irqs_off:SW3b', but switch_mm_irqs_off:SW1 jumps to switch_mm_irqs_off:SW3b (x.goto or a call's return label); " +
        'replace the jumping step too (its effect and jumps), or patch switch_mm_irqs_off:SW3b in place',
    );
  });

  it('moving a jump target is refused too (SW1 would then skip SW3c and SW3d)', () => {
    expect(usageError(x86v([move('switch_mm_irqs_off:SW3b', { after: 'switch_mm_irqs_off:SW3d' })]))).toMatch(
      /^variant moves 'switch_mm_irqs_off:SW3b', but switch_mm_irqs_off:SW1 jumps to switch_mm_irqs_off:SW3b /,
    );
    // A call's return label is a jump target: context_switch:CS1 calls switch_mm_irqs_off returning to CS6.
    expect(usageError(x86v([remove('context_switch:CS6')]))).toMatch(/^variant removes 'context_switch:CS6', but context_switch:CS1 jumps to context_switch:CS6 /);
  });

  it('once the jumping step no longer jumps there, the target may go', () => {
    const sw1 = instantiate(x86, allProperties, {}).procedures.find((p) => p.name === 'switch_mm_irqs_off')!.steps[0];
    const edits = [patch('switch_mm_irqs_off:SW1', { jumps: ['SW2a', 'SW3c'], do: (s: any, c: number, x: any) => { sw1.do!(s, c, { ...x, goto: (l: string) => x.goto(l === 'SW3b' ? 'SW3c' : l) }); } }), remove('switch_mm_irqs_off:SW3b')];
    const proc = instantiate(x86, allProperties, { variant: x86v(edits) }).procedures.find((p) => p.name === 'switch_mm_irqs_off')!;
    expect(proc.steps.map((s) => s.label)).toEqual(['SW1', 'SW2a', 'SW2e', 'SW3c', 'SW3d', 'R1', 'R2']);
  });

  it('moving a step nobody jumps to is allowed (the example of the variant helpers)', () => {
    const proc = instantiate(x86, allProperties, { variant: x86v([move('switch_mm_irqs_off:SW3d', { before: 'switch_mm_irqs_off:SW3c' })]) }).procedures.find((p) => p.name === 'switch_mm_irqs_off')!;
    expect(proc.steps.map((s) => s.label)).toEqual(['SW1', 'SW2a', 'SW2e', 'SW3b', 'SW3d', 'SW3c', 'R1', 'R2']);
  });

  it('a variant step declaring a jump to a label its procedure does not have is refused', () => {
    expect(usageError(x86v([insertBefore('flush_tlb_func:T9', step('X', 'x', { jumps: ['T99'] }))]))).toBe(
      "unknown jump target of variant step flush_tlb_func:X 'T99' (did you mean T9?); accepted: T1, X, T9, T4, DONE",
    );
  });

  it('a replacement with the same label keeps the replaced step\'s jumps unless it declares its own', () => {
    const keep = instantiate(x86, allProperties, { variant: x86v([replace('switch_mm_irqs_off:SW1', step('SW1', 'same'))]) });
    expect(keep.procedures.find((p) => p.name === 'switch_mm_irqs_off')!.steps[0].jumps).toEqual(['SW2a', 'SW3b']);
    const own = instantiate(x86, allProperties, { variant: x86v([replace('switch_mm_irqs_off:SW1', step('SW1', 'no jumps', { jumps: [] })), remove('switch_mm_irqs_off:SW3b')]) });
    expect(own.procedures.find((p) => p.name === 'switch_mm_irqs_off')!.steps.map((s) => s.label)).not.toContain('SW3b');
  });
});

describe('patch: one attribute of a step', () => {
  it('dropping SW3c\'s fence is the no-sw3c-fence variant: P1 under TSO, with the same state count', () => {
    const r = check(x86, allProperties, { variant: x86v([patch('switch_mm_irqs_off:SW3c', { fence: undefined })], { flags: { warm: 'userAcachedB' } }), memory: 'tso' });
    const ref = check(x86, allProperties, { variant: noSw3cFence, memory: 'tso' });
    expect([r.verdict, r.property, r.states]).toEqual(['violation', 'P1', 23260]);
    expect([ref.verdict, ref.property, ref.states]).toEqual(['violation', 'P1', 23260]);
    // The patched step keeps its text and effect.
    const sw3c = r.program.instance.procedures.find((p) => p.name === 'switch_mm_irqs_off')!.steps.find((s) => s.label === 'SW3c')!;
    expect([sw3c.fence, typeof sw3c.do, sw3c.text]).toEqual([undefined, 'function', expect.stringMatching(/^if \(next != &init_mm/)]);
  });

  it('a guard and a text patched in, the other attributes kept', () => {
    // The guard and text are replaced; the fence and effect of EM3 stay.
    const inst = instantiate(x86, allProperties, { variant: x86v([patch('exit_mm:EM3', { when: () => false, text: 'never' })]) });
    const em3 = inst.procedures.find((p) => p.name === 'exit_mm')!.steps[0];
    expect([em3.label, em3.text, em3.when!(null, 0, null as never), em3.fence, typeof em3.do]).toEqual(['EM3', 'never', false, true, 'function']);
  });

  it('an unknown attribute names the accepted ones; the text cannot be dropped', () => {
    expect(usageError(x86v([patch('switch_mm_irqs_off:SW3c', { guard: () => true } as object)]))).toBe(
      "unknown step attribute in variant 'p': edits[0] (patch 'switch_mm_irqs_off:SW3c') 'guard'; accepted: text, when, do, choose, fence, jumps, bounded",
    );
    expect(usageError(x86v([patch('switch_mm_irqs_off:SW3c', { text: undefined })]))).toBe("patch of step 'SW3c' drops its text; a step needs the kernel's words for what it does");
    expect(usageError(x86v([patch('switch_mm_irqs_off:SW9', { fence: false })]))).toMatch(/^unknown step label in switch_mm_irqs_off 'SW9'/);
  });
});
