// The text view: columns never cut a step name, each step shows the kernel code it models, plain
// stores under TSO read as stores (buffered, then reaching memory), only the violated property's
// ghost state is shown (after the kernel state), and the shrinker's unit is CPU switches.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { bool } from '../../src/lang/domain.ts';
import { defineModel, seq, step, type AnyModel } from '../../src/lang/model.ts';
import { property } from '../../src/lang/property.ts';
import { perCpu, plain } from '../../src/lang/schema.ts';
import { renderText } from '../../src/trace/render-text.ts';
import type { TraceRow } from '../../src/trace/trace.ts';
import { run, runJson } from '../cli/run.ts';

/** The lines of step n (its own line, its kernel code and its changes), from a rendered trace. */
function stepLines(text: string, n: number): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^[ *]{0,2}${n} `).test(l));
  const end = lines.findIndex((l, i) => i > at && (/^[ *]{0,2}\d+ /.test(l) || l === ''));
  return lines.slice(at, end);
}

const row = (actor: string, procedure: string, label: string, text: string, choiceText = ''): TraceRow => ({
  actor, actorKind: actor.replace(/\d+$/, ''), actorIndex: Number(actor.replace(/^\D+/, '')), procedure, label, text, choice: 0, choiceText, changes: [],
});

describe('the text view', () => {
  it('widens a column to its longest step name instead of cutting it, in every column', () => {
    const long = 'a_rather_long_kernel_function_name:STEP12';
    const out = renderText({
      rows: [row('cpu0', 'a_rather_long_kernel_function_name', 'STEP12', 'x = 1', 'which=mm1'), row('cpu1', 'another_long_kernel_function_name', 'LAST', 'y = 2', 'page=0')],
      property: 'P', statement: '', reason: 'r', actors: ['cpu0', 'cpu1'],
    });
    expect(out).not.toContain('…');
    const lines = out.split('\n');
    expect(lines[2]).toMatch(new RegExp(`^  1  ${long} \\(which=mm1\\)  \\| +x = 1$`));
    expect(lines[3]).toMatch(/^ {2}2 {2}\| +another_long_kernel_function_name:LAST \(page=0\) {2}y = 2$/);
    // Every column starts at the same place on every line: the actor's name, its steps, the code.
    expect(lines[0].indexOf('cpu1')).toBe(lines[2].indexOf('|'));
    expect(lines[0].indexOf('cpu1')).toBe(lines[3].indexOf('another'));
    expect(lines[0].indexOf('kernel')).toBe(lines[2].indexOf('x = 1'));
    expect(lines[0].indexOf('kernel')).toBe(lines[3].indexOf('y = 2'));
  });

  it('v6.14 under TSO: the kernel code of each step, the LOADED_MM_SWITCHING store buffered and then reaching memory', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--memory', 'tso');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^violation of P1 after 18 steps \([\d,]+ states, [\d,]+ transitions, [\d.]+ s; reductions: symmetry, por \(ampleStates [\d,]+\)\):$/m);
    expect(r.out).not.toContain('storebuf');
    expect(r.out).not.toContain('…');
    expect(r.out).toContain('flush_tlb_mm_range:F5 (trim=0)');
    expect(stepLines(r.out, 3).map((l) => l.trim().replace(/ {2,}/g, '  '))).toEqual(['3  |  switch_mm_irqs_off:SW3b  loaded_mm = LOADED_MM_SWITCHING', 'cpu[1].loadedMm := SWITCHING (buffered)']);
    // R1's CR3 write is serializing: the buffered store reaches memory there.
    expect(stepLines(r.out, 6)).toContain('                                       cpu[1].loadedMm: mm0 -> SWITCHING (the buffered store reaches memory)');
    expect(stepLines(r.out, 7)).toContain('                                       cpu[1].loadedMm := mm1 (buffered)');
    // --json: the same changes, the store marked.
    const j = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14', '--memory', 'tso');
    expect(j.json.trace[2].changes).toEqual([
      { path: 'cpu[1].loadedMm', from: 'mm0', to: 'SWITCHING', store: 'buffered' },
      { path: 'cpu1.pc', from: 'switch_mm_irqs_off:SW3b', to: 'switch_mm_irqs_off:SW3c' },
    ]);
    expect(j.json.trace[5].changes[0]).toEqual({ path: 'cpu[1].loadedMm', from: 'mm0', to: 'SWITCHING', store: 'drained' });
  });

  it('shows only the violated property\'s ghost fields, after the kernel state (--json keeps them all)', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--variant', 'v6.14');
    expect(r.out).toMatch(/^violation of P1 after 18 steps/m);
    expect(r.out).not.toMatch(/ghost\((?!P1\))/);
    const f7 = stepLines(r.out, 17).map((l) => l.trim());
    expect(f7[0]).toMatch(/^17 {2}flush_tlb_mm_range:F7 +\| +csd_lock_wait/);
    expect(f7.slice(2)).toEqual(['cpu[0].fMm: mm1 -> NULL', 'cpu[0].fGen: 2 -> 0', 'ghost(P1).doneVer[1].page[0].v: 0 -> 2', 'ghost(P1).pend[0].page[0].v: 2 -> 0']);
    const j = await runJson('check', 'x86-lazy-tlb', '--variant', 'v6.14');
    expect(j.json.trace[16].changes.map((c: { path: string }) => c.path)).toContain('ghost(P2).pend[0].cpus');
  });

  it('says CPU switches for the shrinker\'s unit, not context switches', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--variant', 'v2.6.39', '--shrink');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^shrunk from 11 steps \(1 CPU switch, .*\) to 11 steps \(1 CPU switch, .*\); \* marks the steps the violation depends on$/m);
    expect(r.out).not.toContain('context switches');
  });
});

// Message passing under the weak memory model: the flag store reaches memory before the older data
// store (a drain of entry 1), so the reader sees the flag and not the data.
const mp = defineModel({
  name: 'render-mp',
  title: 'message passing',
  description: 'CPU0: data = 1; flag = 1. CPU1: r1 = flag; r2 = data',
  params: {},
  flags: {},
  actors: () => ({ cpu: 2 }),
  state: () => ({ data: plain(bool()), flag: plain(bool()), r1: bool(), r2: bool(), started: perCpu(2, bool()), done: bool() }),
  procedures: (_p) => [
    seq('writer', 'cpu', [
      step('W1', 'WRITE_ONCE(data, 1)', { when: (s, c) => c === 0 && !s.started.get(0), do: (s) => void ((s.data = true), s.started.set(0, true)) }),
      step('W2', 'WRITE_ONCE(flag, 1)', { do: (s) => void (s.flag = true) }),
    ], { entry: true }),
    seq('reader', 'cpu', [
      step('R1', 'r1 = READ_ONCE(flag)', { when: (s, c) => c === 1 && !s.started.get(1), do: (s) => void ((s.r1 = s.flag), s.started.set(1, true)) }),
      step('R2', 'r2 = READ_ONCE(data)', { do: (s) => void ((s.r2 = s.data), (s.done = true)) }),
    ], { entry: true }),
  ],
  end: () => true,
  memory: ['sc', 'tso', 'weak'],
});
const mpProps = [property({ name: 'mp', statement: 'A reader that sees the flag sees the data.', ref: 'message passing litmus', models: ['render-mp'], check: (s) => (s.done && s.r1 && !s.r2 ? 'flag = 1 but data = 0' : null) })];

describe('store buffer changes under the weak memory model', () => {
  it('a drain of a younger entry shows that store reaching memory; the older one stays buffered', () => {
    const r = check(mp as unknown as AnyModel, mpProps, { memory: 'weak' });
    expect(r.verdict).toBe('violation');
    const shown = r.trace!.map((t) => `${t.actor} ${t.procedure}:${t.label}${t.choiceText ? ` (${t.choiceText})` : ''}: ${t.changes.filter((c) => !c.path.endsWith('.pc') && !c.path.endsWith('.sp') && !/stack/.test(c.path)).map((c) => `${c.path} ${c.from}->${c.to}${c.store ? ` ${c.store}` : ''}`).join(', ')}`);
    expect(shown).toEqual([
      'cpu0 writer:W1: data false->true buffered, started[0] false->true',
      'cpu0 writer:W2: flag false->true buffered',
      'cpu0 store_buffer:drain (entry=1): flag false->true drained',
      'cpu1 reader:R1: r1 false->true, started[1] false->true',
      'cpu1 reader:R2: done false->true',
    ]);
  });
});
