// lazytlb steps (the steps a variant's edits name) and lazytlb new-variant (a skeleton variant file
// that checks as generated), and variant-file mistakes as one-line usage errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runJson } from './run.ts';

describe('lazytlb steps', () => {
  it('prints each step of a procedure with its label, kernel text, fence and jump targets', async () => {
    const r = await run('steps', 'x86-lazy-tlb', '--procedure', 'switch_mm_irqs_off');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('x86-lazy-tlb: 1 procedure (refer to a step as procedure:label)');
    expect(lines[2]).toBe('switch_mm_irqs_off (seq, on cpu)');
    expect(lines[3]).toBe('  SW1   prev = loaded_mm; was_lazy = is_lazy; if (was_lazy) is_lazy = false  -> SW2a, SW3b');
    expect(lines.map((l) => l.trim().split(/\s+/)[0]).slice(3)).toEqual(['SW1', 'SW2a', 'SW2e', 'SW3b', 'SW3c', 'SW3d', 'R1', 'R2']);
    expect(lines.find((l) => l.startsWith('  SW3c'))).toMatch(/ \[fence\]$/);
  });

  it('--variant shows the variant\'s steps; --json gives refs, fences and jumps', async () => {
    const { code, json } = await runJson('steps', 'x86-lazy-tlb', '--variant', 'no-sw3c-fence', '--procedure', 'switch_mm_irqs_off', '--procedure', 'context_switch');
    expect(code).toBe(0);
    expect(json.variant).toBe('no-sw3c-fence');
    expect(json.procedures.map((p: any) => p.name)).toEqual(['switch_mm_irqs_off', 'context_switch']);
    const sw = json.procedures[0].steps;
    expect(sw.find((s: any) => s.label === 'SW3c')).toMatchObject({ ref: 'switch_mm_irqs_off:SW3c', fence: false, jumps: [] });
    expect(sw.find((s: any) => s.label === 'SW1')).toMatchObject({ fence: false, jumps: ['SW2a', 'SW3b'] });
    expect(json.procedures[1].steps[0]).toMatchObject({ ref: 'context_switch:CS1', jumps: ['CS3k', 'CS6'], choice: { name: 'next' } });
  });

  it('an unknown procedure or model is a usage error', async () => {
    const r = await run('steps', 'x86-lazy-tlb', '--procedure', 'switch_mm');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^lazytlb: unknown procedure 'switch_mm' \(did you mean switch_mm_irqs_off\?\); accepted: /);
    expect((await run('steps', 'x86')).code).toBe(2);
  });
});

describe('lazytlb steps --accesses', () => {
  it('shows what each step was seen to read and write, the executing CPU as cpu[self]', async () => {
    const r = await runJson('steps', 'shootdown', '--procedure', 'flush_start', '--accesses', '100000');
    expect(r.code).toBe(0);
    expect(r.json.accessesObserved).toEqual({ states: 2169, complete: true });
    expect(r.json.procedures[0].steps[0].accesses).toEqual({
      reads: ['cpu[*].inMask', 'cpu[*].lazy', 'cpu[self].mode', 'flushing', 'mmGen'],
      writes: ['cpu[*].ipiPending', 'cpu[self].localGen', 'flushing', 'mmGen'],
    });
    const t = await run('steps', 'shootdown', '--procedure', 'switch_to_kthread', '--accesses', '50');
    expect(t.out).toContain('reads and writes as observed over the first ');
    expect(t.out).toContain('writes cpu[self].lazy, cpu[self].mode');
  });
});

describe('lazytlb new-variant', () => {
  const outside = mkdtempSync(join(tmpdir(), 'lazytlb-new-variant-'));
  const inside = mkdtempSync(join(process.cwd(), 'test', '.tmp-new-variant-'));
  afterAll(() => {
    rmSync(outside, { recursive: true, force: true });
    rmSync(inside, { recursive: true, force: true });
  });

  it('writes a skeleton outside the project that checks like mainline (481 states with the default reductions)', async () => {
    // .ts with no package.json anywhere above it: the loader bundles it, lazytlb/... names this installation.
    const file = join(outside, 'my-patch.ts');
    const w = await run('new-variant', 'shootdown', file);
    expect(w.code).toBe(0);
    expect(w.out).toBe(`wrote ${file}; check it with: npx lazytlb check shootdown --variant ${file}\n`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("  model: 'shootdown',\n  name: 'my-patch',");
    expect(text).toContain("from 'lazytlb/src/lang/variant.ts';");
    const c = await runJson('check', 'shootdown', '--variant', file);
    expect([c.code, c.json.verdict, c.json.variant, c.json.states]).toEqual([0, 'ok', 'my-patch', 481]);
  });

  it('inside the project, a .ts skeleton imports the helpers the same way and checks', async () => {
    const file = join(inside, 'fix.ts');
    expect((await run('new-variant', 'x86-lazy-tlb', relative(process.cwd(), file))).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain("from 'lazytlb/src/lang/variant.ts';");
    const c = await runJson('check', 'x86-lazy-tlb', '--variant', file, '--max-states', '2000');
    expect([c.code, c.json.verdict, c.json.variant]).toEqual([3, 'incomplete', 'fix']);
  });

  it('never overwrites a file; a non-TypeScript name is refused', async () => {
    const file = join(outside, 'kept.mts');
    writeFileSync(file, '// mine\n');
    const r = await run('new-variant', 'shootdown', file);
    expect([r.code, r.err]).toEqual([2, `lazytlb: new-variant: ${file} exists; not overwritten\n`]);
    expect(readFileSync(file, 'utf8')).toBe('// mine\n');
    const js = await run('new-variant', 'shootdown', join(outside, 'p.js'));
    expect([js.code, js.err]).toEqual([2, `lazytlb: new-variant: ${join(outside, 'p.js')} must end in .ts or .mts (a variant file is TypeScript)\n`]);
  });

  it('a variant file with a malformed field: exit 2 and one line naming the variant and the field', async () => {
    const file = join(inside, 'bad-edits.ts');
    writeFileSync(file, `import { defineVariant, remove } from '../../src/lang/variant.ts';\nexport default defineVariant({ model: 'shootdown', name: 'bad-edits', description: 'edits not an array', edits: remove('flush_start:F') as any });\n`);
    const r = await run('check', 'shootdown', '--variant', file);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe("lazytlb: variant 'bad-edits': edits must be an array of edits (replace, insertBefore, insertAfter, remove, move, patch, addProcedure, locals), not an object\n");
    const mem = join(inside, 'weak.ts');
    writeFileSync(mem, `import { defineVariant } from '../../src/lang/variant.ts';\nexport default defineVariant({ model: 'x86-lazy-tlb', name: 'weak', description: 'weak memory', memory: 'weak' });\n`);
    const m = await run('check', 'x86-lazy-tlb', '--variant', mem);
    expect([m.code, m.err]).toEqual([2, "lazytlb: variant 'weak' sets memory 'weak', but model 'x86-lazy-tlb' has no memory model 'weak'; accepted: sc, tso\n"]);
  });
});
