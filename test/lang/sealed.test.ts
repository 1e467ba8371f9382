// The state a step sees is sealed: a write of a name the state does not declare is a model error that
// names the step, the actor and the path (with the close match), not an expando on the view that
// leaves the state unchanged. A TypeError in a model's or variant's code keeps its cause and names
// the first frame of that code.
import { describe, expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import { check } from '../../src/pipeline/check.ts';
import { asModelError, ModelError } from '../../src/lang/errors.ts';
import shootdown from '../../models/bench/shootdown.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import misspelt from '../fixtures/models/misspelt-field.ts';
import helperTypeError from '../fixtures/helper-typeerror-variant.ts';
import loadedMmTypo from '../fixtures/loaded-mm-typo-variant.ts';
import { run } from '../cli/run.ts';

describe('sealed views', () => {
  it('a misspelt field written by a model is a model error at its first step (it was ok with one state)', () => {
    const r = check(misspelt as any, [], {});
    expect([r.verdict, r.property, r.reason]).toEqual(['error', 'model-error', 'step bump:B1 on cpu0 writes s.xx, which the state does not declare (did you mean x?)']);
    expect(r.trace!.map((t) => `${t.actor} ${t.procedure}:${t.label}`)).toEqual(['cpu0 bump:B1']);
  });

  it('a variant writing s.cpu[c].loadedMM on x86-lazy-tlb: the step, the CPU, the path and the declared name', () => {
    const r = check(x86, allProperties, { variant: loadedMmTypo });
    expect(r.verdict).toBe('error');
    expect(r.reason).toBe('step switch_mm_irqs_off:R2 on cpu0 writes s.cpu[0].loadedMM, which the state does not declare (did you mean loadedMm?)');
    expect(r.trace!.at(-1)).toMatchObject({ actor: 'cpu0', procedure: 'switch_mm_irqs_off', label: 'R2' });
  });

  it('the same from the command line: exit 2 and the one-line reason', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--variant', 'test/fixtures/loaded-mm-typo-variant.ts');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^because: {2}step switch_mm_irqs_off:R2 on cpu0 writes s\.cpu\[0\]\.loadedMM, which the state does not declare \(did you mean loadedMm\?\)$/m);
  });
});

describe('model errors keep their cause', () => {
  it('asModelError wraps a TypeError as its cause, naming the frame of the model code', () => {
    let thrown: unknown = null;
    try {
      (null as unknown as { mode: number }).mode = 1;
    } catch (e) {
      thrown = e;
    }
    const me = asModelError(thrown)!;
    expect(me).toBeInstanceOf(ModelError);
    expect(me.cause).toBe(thrown);
    expect(me.message).toMatch(/^TypeError in the model's code at test\/lang\/sealed\.test\.ts:\d+:\d+: Cannot set properties of null \(setting 'mode'\)$/);
  });

  it("a TypeError in a variant file's helper names the file and line", () => {
    const r = check(shootdown, allProperties, { variant: helperTypeError });
    expect(r.verdict).toBe('error');
    expect(r.reason).toBe("TypeError in the model's code at test/fixtures/helper-typeerror-variant.ts:7:8: Cannot set properties of undefined (setting 'mode')");
    expect(r.stack).toMatch(/^ModelError: TypeError in the model's code at [^\n]*\n[\s\S]*\nCaused by: TypeError: Cannot set properties of undefined \(setting 'mode'\)\n\s+at startFlush \([^)]*helper-typeerror-variant\.ts:7:8\)/);
    // The generated successor function is named in the stack.
    expect(r.stack).toContain('lazytlb-generated/shootdown/expand.js');
  });

  it('--debug prints the whole stack, with the cause; without it, nothing on stderr', async () => {
    const plain = await run('check', 'shootdown', '--variant', 'test/fixtures/helper-typeerror-variant.ts');
    expect([plain.code, plain.err]).toEqual([2, '']);
    const debug = await run('check', 'shootdown', '--variant', 'test/fixtures/helper-typeerror-variant.ts', '--debug');
    expect(debug.code).toBe(2);
    expect(debug.err).toMatch(/Caused by: TypeError: Cannot set properties of undefined \(setting 'mode'\)\n\s+at startFlush /);
  });
});
