// A violation found with an abstraction flag on (FlagSpec.abstraction; x86's anyOrderTargets) is
// checked on the exact model (src/pipeline/abstraction.ts): confirmed by replaying its trace there
// (exit 1, the exact model's trace), confirmed by a search of the exact model, or found under the
// abstraction only (exit 3, the exact search's verdict stated, the abstraction's trace shown).
import { describe, expect, it } from 'vitest';
import { run, runJson } from './run.ts';

const ASCENDING = 'test/fixtures/variants/x86-targets-ascending.ts';
// three CPUs on one mm, two context switches each: an initiator flushes with two remote targets
const THREE = ['--param', 'cpus=3', '--param', 'mms=1', '--param', 'switches=2', '--param', 'exits=0'];

describe('violations under an abstraction are checked on the exact model', () => {
  it('a historical kernel (TLB-5, before fea4e317f9e7): confirmed by replaying the trace on the exact model, exit 1', async () => {
    const exact = await runJson('check', 'x86-lazy-tlb', '--variant', 'pre-fea4e317f9e7');
    expect([exact.code, exact.json.property, exact.json.abstraction]).toEqual([1, 'P1', undefined]);
    const r = await run('check', 'x86-lazy-tlb', '--variant', 'pre-fea4e317f9e7', '--set', 'anyOrderTargets=true');
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation of P1 after 18 steps');
    expect(r.out).toContain('found under the abstraction anyOrderTargets=true (12,996 states, 18 steps); confirmed on the exact model (anyOrderTargets=false): its trace replays there step for step, the trace below');
    const { code, json } = await runJson('check', 'x86-lazy-tlb', '--variant', 'pre-fea4e317f9e7', '--set', 'anyOrderTargets=true');
    expect(code).toBe(1);
    expect(json).toMatchObject({ verdict: 'violation', property: 'P1', flags: { anyOrderTargets: false } });
    expect(json.abstraction).toEqual({ flags: ['anyOrderTargets'], confirmed: true, by: 'replay', abstract: { states: 12996, steps: 18 }, exact: { verdict: 'violation', states: 19 } });
    // the exact model's own shortest trace has the same steps
    expect(json.trace.map((t: any) => `${t.actor} ${t.procedure}:${t.label}`)).toEqual(exact.json.trace.map((t: any) => `${t.actor} ${t.procedure}:${t.label}`));
  }, 60_000);

  it('three CPUs (v2.6.39, P3): found under the abstraction and confirmed by replay', async () => {
    const { code, json } = await runJson('check', 'x86-lazy-tlb', '--variant', 'v2.6.39', '--param', 'cpus=3', '--set', 'anyOrderTargets=true');
    expect(code).toBe(1);
    expect(json).toMatchObject({ verdict: 'violation', property: 'P3', abstraction: { confirmed: true, by: 'replay', exact: { verdict: 'violation' } } });
  }, 60_000);

  it('a constructed patch that relies on the ascending walk: found under the abstraction only, exit 3, the exact search ok', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--variant', ASCENDING, ...THREE, '--set', 'anyOrderTargets=true');
    expect(r.code).toBe(3);
    expect(r.out).toContain('violation of stuck after 34 steps');
    expect(r.out).toContain('found under the abstraction only (anyOrderTargets=true): not confirmed on the exact model (anyOrderTargets=false): no violation of stuck there, complete search: 66,555 states; the abstraction\'s trace below');
    // the abstraction's trace: SF1 chose a target (cpu2) above one not yet visited
    expect(r.out).toMatch(/flush_tlb_mm_range:SF1 \(target=cpu2\)/);
    const { code, json } = await runJson('check', 'x86-lazy-tlb', '--variant', ASCENDING, ...THREE, '--set', 'anyOrderTargets=true');
    expect(code).toBe(3);
    expect(json).toMatchObject({ verdict: 'violation', property: 'stuck', flags: { anyOrderTargets: true } });
    expect(json.abstraction).toEqual({ flags: ['anyOrderTargets'], confirmed: false, by: 'search', abstract: { states: 11712, steps: 34 }, exact: { verdict: 'ok', states: 66555 } });
    // the exact model alone: ok
    const exact = await runJson('check', 'x86-lazy-tlb', '--variant', ASCENDING, ...THREE);
    expect([exact.code, exact.json.verdict, exact.json.abstraction]).toEqual([0, 'ok', undefined]);
  }, 120_000);

  it('a stuck initiator in both models: confirmed by a search of the exact model, its own trace', async () => {
    // the flush IPI is never taken: every flush with a remote target waits forever at F7
    const { code, json } = await runJson('check', 'x86-lazy-tlb', '--variant', 'test/fixtures/variants/x86-lost-flush-ipi.ts', ...THREE, '--set', 'anyOrderTargets=true');
    expect(code).toBe(1);
    expect(json).toMatchObject({ verdict: 'violation', property: 'stuck', flags: { anyOrderTargets: false } });
    expect(json.abstraction).toMatchObject({ flags: ['anyOrderTargets'], confirmed: true, by: 'search', exact: { verdict: 'violation' } });
  }, 120_000);

  it('lazytlb list marks the abstraction flag', async () => {
    const { json } = await runJson('list');
    const x86 = json.find((m: any) => m.name === 'x86-lazy-tlb');
    expect(x86.flags.anyOrderTargets).toMatchObject({ default: false, abstraction: true });
    expect(x86.flags.hotplug.abstraction).toBeUndefined();
  });
});
