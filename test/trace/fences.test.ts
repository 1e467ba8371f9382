// Fence pairing on the litmus shapes: store buffering and message passing pair their two fences over
// two fields; without one of the fences, or over a single field, nothing pairs. The HTML view draws
// the pair.
import { describe, expect, it } from 'vitest';
import { bool } from '../../src/lang/domain.ts';
import { compile, type Program } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { defineModel, seq, step, type AnyModel } from '../../src/lang/model.ts';
import { perCpu, plain } from '../../src/lang/schema.ts';
import type { RawStep } from '../../src/engine/via.ts';
import { fencePairs } from '../../src/trace/fences.ts';
import { renderHtml } from '../../src/trace/render-html.ts';
import { buildTrace } from '../../src/trace/trace.ts';

type Body = [label: string, fence: boolean, effect: (s: any, c: number) => void];

/** Two CPUs; CPU c runs `body(c)` once, in order. */
function litmus(body: (c: number) => Body[]): Program {
  const model = defineModel({
    name: 'litmus',
    title: 'litmus',
    description: 'two CPUs, two shared fields',
    params: {},
    flags: {},
    actors: () => ({ cpu: 2 }),
    state: () => ({ x: plain(bool()), y: plain(bool()), cpu: perCpu(2, { r: bool() }) }),
    procedures: () => [0, 1].map((c) => seq(`thread${c}`, 'cpu', body(c).map(([label, fence, fn]) => step(label, label, { fence, when: (_s: any, a: number) => a === c, do: fn })), { entry: true })),
    end: () => true,
  }) as unknown as AnyModel;
  return compile(instantiate(model, [], {}));
}

/** The trace running the given (cpu, label) steps; the pairs as "i~j fields" (1-based). */
function pairs(prog: Program, order: [number, string][]): string[] {
  const raw: RawStep[] = order.map(([c, label]) => ({ step: prog.steps.find((s) => s.proc === `thread${c}` && s.label === label)!.id, actor: c, choice: 0 }));
  return fencePairs(prog, raw).map((p) => `${p.first + 1}~${p.second + 1} ${p.fields.join(',')}`);
}

const W = (f: 'x' | 'y'): Body[2] => (s) => void (s[f] = true);
const R = (f: 'x' | 'y'): Body[2] => (s, c) => void (s.cpu[c].r = s[f]);
const MB: Body[2] = () => {};

describe('fence pairing', () => {
  // Store buffering: W x; mb; R y ‖ W y; mb; R x.
  const sb = (fence1: boolean) => litmus((c) => (c === 0 ? [['W', false, W('x')], ['MB', true, MB], ['R', false, R('y')]] : [['W', false, W('y')], ['MB', fence1, MB], ['R', false, R('x')]]));
  const sbOrder: [number, string][] = [[0, 'W'], [1, 'W'], [0, 'MB'], [1, 'MB'], [0, 'R'], [1, 'R']];

  it('store buffering: the two smp_mb() pair over x and y', () => {
    expect(pairs(sb(true), sbOrder)).toEqual(['3~4 x,y']);
  });

  it('store buffering with one fence missing: nothing pairs', () => {
    expect(pairs(sb(false), sbOrder)).toEqual([]);
  });

  it('message passing: W x; mb; W y ‖ R y; mb; R x pairs, whatever the interleaving', () => {
    const mp = litmus((c) => (c === 0 ? [['Wx', false, W('x')], ['MB', true, MB], ['Wy', false, W('y')]] : [['Ry', false, R('y')], ['MB', true, MB], ['Rx', false, R('x')]]));
    expect(pairs(mp, [[0, 'Wx'], [0, 'MB'], [0, 'Wy'], [1, 'Ry'], [1, 'MB'], [1, 'Rx']])).toEqual(['2~5 x,y']);
    expect(pairs(mp, [[1, 'Ry'], [1, 'MB'], [0, 'Wx'], [0, 'MB'], [1, 'Rx'], [0, 'Wy']])).toEqual(['2~4 x,y']);
  });

  it('one field on both sides (ordered by coherence alone): nothing pairs', () => {
    const one = litmus((c) => (c === 0 ? [['W', false, W('x')], ['MB', true, MB], ['R', false, R('x')]] : [['W', false, W('x')], ['MB', true, MB], ['R', false, R('x')]]));
    expect(pairs(one, sbOrder)).toEqual([]);
  });

  it('fences only on one CPU: nothing pairs', () => {
    const lone = litmus((c) => (c === 0 ? [['W', false, W('x')], ['MB', true, MB], ['R', false, R('y')]] : [['W', false, W('y')], ['MB2', true, MB], ['R', false, R('x')]]));
    expect(pairs(lone, [[0, 'W'], [0, 'MB'], [0, 'R'], [1, 'W']])).toEqual([]);
  });

  it('the HTML view draws the pair as a dashed arrow from the earlier fence to the later one', () => {
    const prog = sb(true);
    const raw: RawStep[] = sbOrder.map(([c, label]) => ({ step: prog.steps.find((s) => s.proc === `thread${c}` && s.label === label)!.id, actor: c, choice: 0 }));
    const html = renderHtml({ title: 't', subtitle: 's', property: 'p', statement: 'st', reason: 'r', actors: ['cpu0', 'cpu1'], rows: buildTrace(prog, raw), program: prog, raw });
    const lines = html.match(/<line class="pair"[^>]*><title>[^<]*<\/title>/g) ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('step 3 (thread0:MB) pairs with step 4 (thread1:MB) over x, y');
  });
});
