// Variants edit a model's procedures by `procedure:label`. The edited program's run shows the edit:
// one CPU runs `proc` (A, B, C, END) once; END sets done, which the property 'finished' reports, so
// the shortest counterexample is the run itself.
import { describe, expect, it } from 'vitest';
import { bool, int } from '../../src/lang/domain.ts';
import { UsageError } from '../../src/lang/errors.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { defineModel, seq, step, type ModelDef } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { addProcedure, defineVariant, insertAfter, insertBefore, move, remove, replace, type Edit } from '../../src/lang/variant.ts';
import { exploreReference } from '../../src/reference/explore.ts';
import membarrier from '../../models/membarrier/model.ts';
import { fastCheck as check } from './fast.ts';

const base = defineModel({
  name: 'edits',
  title: 'edits',
  description: 'A, B, C, END',
  params: { limit: { default: 3, min: 1, max: 5, doc: 'a parameter a variant may set' } },
  flags: { skipB: { default: false, doc: 'a flag a variant may set' } },
  actors: () => ({ cpu: 1 }),
  state: (p) => ({ done: bool(), n: int(0, p.limit) }),
  procedures: (_p, f) => [
    seq(
      'proc',
      'cpu',
      [
        step('A', 'a', { jumps: f.skipB ? ['C'] : [], when: (s) => !s.done, do: (_s, _c, x) => void (f.skipB && x.goto('C')) }),
        step('B', 'b'),
        step('C', 'c'),
        step('END', 'done', { do: (s) => void (s.done = true) }),
      ],
      { entry: true },
    ),
  ],
  end: () => true,
});
const finished = property({ name: 'finished', statement: 'the run never ends (shows the run)', ref: 'test', models: ['edits'], check: (s) => (s.done ? 'done' : null) });

function runOf(edits: readonly Edit[], extra: { flags?: Record<string, boolean>; params?: Record<string, number> } = {}): string[] {
  const variant = defineVariant({ model: 'edits', name: 'v', description: 'test edits', edits, ...extra });
  const fast = check(base, [finished], { variant });
  const ref = exploreReference(base, [finished], { variant });
  const labels = fast.trace!.map((t) => t.label);
  expect(ref.trace).toEqual(fast.trace!.map((t) => `cpu0 ${t.procedure}:${t.label}`));
  return labels;
}

const mark = (label: string) => step(label, label.toLowerCase());

describe('variant edits', () => {
  it('the unedited run', () => {
    expect(runOf([])).toEqual(['A', 'B', 'C', 'END']);
  });

  it('replace, insertBefore, insertAfter, remove', () => {
    expect(runOf([replace('proc:B', mark('B2'))])).toEqual(['A', 'B2', 'C', 'END']);
    expect(runOf([replace('proc:B', mark('B1'), mark('B2'))])).toEqual(['A', 'B1', 'B2', 'C', 'END']);
    expect(runOf([insertBefore('proc:B', mark('X'))])).toEqual(['A', 'X', 'B', 'C', 'END']);
    expect(runOf([insertAfter('proc:B', mark('X'), mark('Y'))])).toEqual(['A', 'B', 'X', 'Y', 'C', 'END']);
    expect(runOf([remove('proc:B')])).toEqual(['A', 'C', 'END']);
  });

  it('move before or after another step', () => {
    expect(runOf([move('proc:A', { after: 'proc:C' })])).toEqual(['B', 'C', 'A', 'END']);
    expect(runOf([move('proc:C', { before: 'proc:A' })])).toEqual(['C', 'A', 'B', 'END']);
  });

  it('edits apply in order, each to the result of the previous one', () => {
    expect(runOf([insertAfter('proc:A', mark('X')), move('proc:X', { after: 'proc:C' }), remove('proc:B')])).toEqual(['A', 'C', 'X', 'END']);
  });

  it('addProcedure adds a procedure the edited steps can call', () => {
    const calls = step('B', 'call extra', { do: (_s: any, _c: number, x: any) => x.call('extra') });
    expect(runOf([addProcedure(seq('extra', 'cpu', [mark('E1'), mark('E2')])), replace('proc:B', calls)])).toEqual(['A', 'B', 'E1', 'E2', 'C', 'END']);
  });

  it('a variant sets flags and params', () => {
    expect(runOf([], { flags: { skipB: true } })).toEqual(['A', 'C', 'END']);
    const v = defineVariant({ model: 'edits', name: 'v', description: 'flags', flags: { skipB: true }, params: { limit: 5 } });
    const inst = instantiate(base as unknown as ModelDef, [], { variant: v });
    expect(inst.flags.skipB).toBe(true);
    expect(inst.params.limit).toBe(5);
    // The command line still overrides the variant's params.
    expect(instantiate(base as unknown as ModelDef, [], { variant: v, params: { limit: 2 } }).params.limit).toBe(2);
  });
});

describe('bad edits are usage errors that name the close matches', () => {
  const fails = (edits: readonly Edit[], message: RegExp, model = 'edits') => {
    const variant = defineVariant({ model, name: 'bad', description: 'bad edit', edits });
    let err: unknown = null;
    try {
      instantiate(base as unknown as ModelDef, [], { variant });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  };

  it('an unknown label', () => {
    // Labels within edit distance 1 for short names (2 for longer ones), the closest first.
    fails([replace('proc:BB', mark('X'))], /^unknown step label in proc 'BB' \(did you mean B\?\); accepted: A, B, C, END$/);
    fails([remove('proc:ED')], /unknown step label in proc 'ED' \(did you mean END\?\)/);
    fails([move('proc:A', { after: 'proc:CC' })], /unknown step label in proc 'CC' \(did you mean C\?\)/);
  });

  it('an unknown procedure', () => {
    fails([remove('prc:A')], /^unknown procedure 'prc' \(did you mean proc\?\); accepted: proc$/);
    fails([insertAfter('zzz:A', mark('X'))], /^unknown procedure 'zzz'; accepted: proc$/);
  });

  it('a malformed reference, a move without a target, duplicate labels, a second procedure of the same name, another model', () => {
    fails([remove('procA')], /step reference 'procA' must be 'procedure:label'/);
    fails([move('proc:A', {})], /^variant 'bad': edits\[0\] \(move 'proc:A'\) must name exactly one of 'before' or 'after'$/);
    fails([insertAfter('proc:A', mark('B'))], /procedure 'proc' has two steps labeled 'B'/);
    fails([addProcedure(seq('proc', 'cpu', [mark('Z')]))], /variant adds procedure 'proc', which the model already has/);
    fails([], /variant 'bad' is for model 'other', not 'edits'/, 'other');
  });

  it('membarrier\'s syscall bodies (the phases of the caller task) are edited by label; their jump targets stay protected', () => {
    const edit = (e: Edit) => () => instantiate(membarrier as any, [], { variant: defineVariant({ model: 'membarrier', name: 'patch', description: 'a patch', edits: [e] }) });
    expect(() => edit(remove('membarrier_private_expedited:P3'))()).not.toThrow();
    expect(() => edit(replace('membarrier_global_expedited:G2', step('G2', 'x', {})))()).not.toThrow();
    expect(edit(remove('membarrier_global_expedited:G4m'))).toThrow(/^variant removes 'membarrier_global_expedited:G4m', but membarrier_global_expedited:G4c jumps to membarrier_global_expedited:G4m/);
    expect(edit(remove('membarrier_register:RG8'))).toThrow(/membarrier_register:RG3 and membarrier_register:RG5 jump to membarrier_register:RG8/);
    expect(() => edit(remove('finish_task_switch:SCH10'))()).not.toThrow();
  });
});
