// Two membarrier issuers (param issuers = 2): OTHER, the thread of the other process on CPU1, issues
// MEMBARRIER_CMD_GLOBAL_EXPEDITED while the caller's call may be in flight, or (param secondIssuer = 1)
// CALLER2, another thread of the caller's mm on CPU1, issues MEMBARRIER_CMD_PRIVATE_EXPEDITED; with
// membarrier_ipi_mutex (flag ipiMutex, v6.8+) or without it (pre-v6.8). Mainline stops at the open
// finding MBP-1, so the scope takes its candidate fix (switchMmSameMmShortcut = false), as
// test/models/membarrier.test.ts does.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import model from '../../models/membarrier/model.ts';
import { allProperties } from '../../properties/index.ts';
import { property } from '../../src/lang/property.ts';
import { defineVariant, patch, replace } from '../../src/lang/variant.ts';
import { step, type StepCtx } from '../../src/lang/model.ts';
import { advancePrivate, C, currCode, Ipi, M, mmOf, others, queueCsd, RQ_CURR, traitsOf } from '../../models/membarrier/api.ts';
import { CallPhase } from '../../models/membarrier/defs.ts';
import noIpiMutex from '../../models/membarrier/variants/pre-v6.8-no-ipi-mutex.ts';
import { expectInOrder, steps } from '../helpers/trace-steps.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { readFileSync } from 'node:fs';

type Opts = Parameters<typeof check>[2];
const fixed = { switchMmSameMmShortcut: false };
const two = { issuers: 2 };
const thread = { issuers: 2, secondIssuer: 1 };
const run = (opts: Opts = {}, props = allProperties) => check(model, props, { maxSeconds: 60, ...opts, flags: { ...fixed, ...opts?.flags } });

// The phases from mutex_lock to mutex_unlock in each body (the rq->curr loop, the IPIs and their
// wait, barrier (c); the registration's runqueue sync).
const PH = CallPhase.ids;
const serialized = new Set([PH.P5a, PH.P5b, PH.P6, PH.P6b, PH.P6w, PH.P8, PH.G4a, PH.G4b, PH.G4c, PH.G4m, PH.G5, PH.G5w, PH.G7, PH.RG6a, PH.RG6b, PH.RG7, PH.RG7l, PH.RG7w]);
/** Test invariant: the two calls are never both inside the part of the call the mutex serializes. */
const ipiPhasesOverlap = property({
  name: 'T-ipi-overlap',
  statement: 'test invariant: the caller\'s and the second issuer\'s calls are not both between mutex_lock and mutex_unlock',
  ref: 'test',
  models: ['membarrier'],
  reads: ['call.phase', 'call2.phase'],
  check: (s) => (serialized.has(s.call.phase) && serialized.has(s.call2.phase) ? `both calls in their IPI phase: ${CallPhase.names[s.call.phase]} and ${CallPhase.names[s.call2.phase]}'` : null),
});

// A constructed patch: GLOBAL_EXPEDITED never IPIs CPU0. Only the second issuer (on CPU1) targets
// CPU0 (the caller runs there and skips itself), so only its call can miss a barrier through it.
const skipsCpu0 = defineVariant({
  model: 'membarrier',
  name: 'global-expedited-skips-cpu0',
  description: 'patch: smp_call_function_many(tmpmask without cpu0, ipi_mb)',
  flags: fixed,
  edits: [replace('membarrier_global_expedited:G5', step('G5', 'preempt_disable(); smp_call_function_many(tmpmask & ~cpu0, ipi_mb) [constructed]', {
    do: (s: any, c: number, x: any) => queueCsd(s, c, x, s.call.mask & others(x, c) & ~1, Ipi.ids.ipi_mb, traitsOf(x)),
  }))],
});

// A constructed patch: PRIVATE_EXPEDITED never adds CPU0 to tmpmask (nor reports it skipped). Only
// the second issuer thread (CALLER2, on CPU1) has CPU0 as a remote target (the caller runs there and
// does not IPI itself), so only its call can miss a barrier through it.
const privateSkipsCpu0 = defineVariant({
  model: 'membarrier',
  name: 'private-expedited-skips-cpu0',
  description: 'patch: PRIVATE_EXPEDITED leaves cpu0 out of tmpmask',
  flags: fixed,
  edits: [patch('membarrier_private_expedited:P5b', {
    text: 'if (p && p->mm == mm && (cpu != 0 || flags)) __cpumask_set_cpu(cpu, tmpmask) [constructed]',
    do: (s: any, c: number, x: StepCtx) => {
      const k = s.call;
      const pm = mmOf(s, k.p);
      if (pm !== M) x.emit('Skip', k.x, RQ_CURR, currCode(k.p, pm));
      else if (k.x !== 0 || k.cmd !== C.PRIVATE_EXPEDITED) {
        k.mask = k.mask | (1 << k.x);
        x.emit('Target', k.x, k.p, pm);
      }
      advancePrivate(s, c, x);
    },
  })],
});

describe('membarrier: a second issuer (OTHER\'s GLOBAL_EXPEDITED)', () => {
  it('with membarrier_ipi_mutex (v6.8+): ok, complete, and the two IPI phases never overlap', () => {
    const r = run({ params: two }, [...allProperties, ipiPhasesOverlap]);
    expect(r.verdict).toBe('ok');
    expect(r.properties).toContain('T-ipi-overlap');
    expect(r.states).toBe(616508);
  });

  it('without it (variant pre-v6.8-no-ipi-mutex: concurrent calls): ok, complete', () => {
    const r = run({ variant: noIpiMutex });
    expect(r.params.issuers).toBe(2);
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(637487);
  });

  it('without the mutex the two IPI phases overlap (the invariant above can fail)', () => {
    const r = run({ params: two, flags: { ipiMutex: false }, properties: ['T-ipi-overlap'] }, [...allProperties, ipiPhasesOverlap]);
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('T-ipi-overlap');
    expectInOrder(r, ["cpu1 sys_membarrier:SYS'", "cpu1 membarrier_global_expedited:G2'"]);
  });

  it('the second issuer\'s barriers are checked: a GLOBAL_EXPEDITED that never IPIs CPU0 breaks its call only (MBP-2)', () => {
    expect(run({ variant: skipsCpu0 }).verdict).toBe('ok'); // one issuer: nobody targets CPU0
    const r = run({ variant: skipsCpu0, params: two });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-2');
    expect(r.reason).toContain("OTHER's GLOBAL_EXPEDITED");
    expect(r.trace!.length).toBe(27);
    expectInOrder(r, ['cpu0 user:U1', "cpu1 sys_membarrier:SYS'", "cpu1 membarrier_global_expedited:G2'", "cpu1 membarrier_global_expedited:G3'", "cpu1 membarrier_global_expedited:G5'", "cpu1 membarrier_global_expedited:G7'"]);
    expect(steps(r).some((t) => t.startsWith('cpu0 sysvec_call_function:IPI'))).toBe(false);
  });

  it('docs/steps/membarrier.md names every step of the two-issuer model, with and without the mutex', () => {
    const doc = readFileSync('docs/steps/membarrier.md', 'utf8');
    for (const secondIssuer of [0, 1]) {
      for (const ipiMutex of [true, false]) {
        const names = instantiate(model, allProperties, { params: { ...two, secondIssuer }, flags: { ipiMutex } }).procedures.flatMap((p) => p.steps.map((s) => `${p.name}:${s.label}`));
        expect(names.includes("membarrier_global_expedited:G7'")).toBe(secondIssuer === 0);
        expect(names.includes("membarrier_private_expedited:P8'")).toBe(secondIssuer === 1);
        expect(names.includes('membarrier_private_expedited:P4')).toBe(ipiMutex);
        expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
      }
    }
  });
});

describe('membarrier: a second issuer thread of the caller\'s mm (CALLER2\'s PRIVATE_EXPEDITED)', () => {
  it('with membarrier_ipi_mutex (v6.8+): ok, complete, and the two IPI phases never overlap', () => {
    const r = run({ params: thread }, [...allProperties, ipiPhasesOverlap]);
    expect(r.verdict).toBe('ok');
    expect(r.properties).toContain('T-ipi-overlap');
    expect(r.states).toBe(732871);
  });

  it('without it (variant pre-v6.8-no-ipi-mutex, secondIssuer = 1): ok, complete; the IPI phases can overlap', () => {
    const r = run({ variant: noIpiMutex, params: { secondIssuer: 1 } });
    expect(r.params.issuers).toBe(2);
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(761035);
    const o = run({ params: thread, flags: { ipiMutex: false }, properties: ['T-ipi-overlap'] }, [...allProperties, ipiPhasesOverlap]);
    expect(o.verdict).toBe('violation');
    expect(o.property).toBe('T-ipi-overlap');
    expectInOrder(o, ["cpu1 sys_membarrier:SYS'", "cpu1 membarrier_private_expedited:P1'", "cpu1 membarrier_private_expedited:P3'"]);
  });

  it('the second private call\'s barriers are checked: a PRIVATE_EXPEDITED that never IPIs CPU0 breaks CALLER2\'s call only (MBP-2)', () => {
    expect(run({ variant: privateSkipsCpu0 }).verdict).toBe('ok'); // one issuer: nobody targets CPU0
    expect(run({ variant: privateSkipsCpu0, params: two }).verdict).toBe('ok'); // OTHER's GLOBAL_EXPEDITED does not run P5b
    const r = run({ variant: privateSkipsCpu0, params: thread });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-2');
    expect(r.reason).toContain("at barrier (c) of CALLER2's PRIVATE_EXPEDITED, cpu0");
    expect(r.trace!.length).toBe(44);
    expectInOrder(r, ['cpu0 user:U1', "cpu1 sys_membarrier:SYS'", "cpu1 membarrier_private_expedited:P1'", "cpu1 membarrier_private_expedited:P3'", "cpu1 membarrier_private_expedited:P4'", "cpu1 membarrier_private_expedited:P5b'", "cpu1 membarrier_private_expedited:P8'"]);
    expect(steps(r).some((t) => t.startsWith('cpu0 sysvec_call_function:IPI'))).toBe(false);
  });

  it('param secondIssuer without issuers = 2 is refused', () => {
    expect(() => run({ params: { secondIssuer: 1 } })).toThrow(/secondIssuer.*issuers=2/);
  });
});
