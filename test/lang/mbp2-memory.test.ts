// MBP-2 under each memory model (properties see `--memory` through MonitorCtx.memory). At barrier (c)
// the window monitor looks at the CPUs the caller skipped: under sc and tso an access program-ordered
// before the runqueue store whose value made the caller skip the CPU is ordered before the caller's
// read (message passing: tso keeps store→store and load→load order), so barrier (c) orders it, with or
// without the barrier before the store (kernel/sched/membarrier.c: (c) pairs with (d), scenarios B–E);
// under weak that store can become visible before the access, and the access counts. A CPU skipped
// on a value that no store of its open window wrote (MB-3: a kthread that runs on the mm since an
// earlier barrier) is a violation under every model. docs/fidelity.md, "MBP-2 and the memory model".
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { check } from '../../src/pipeline/check.ts';
import { defineVariant, patch } from '../../src/lang/variant.ts';
import model from '../../models/membarrier/model.ts';
import mb3 from '../../models/membarrier/variants/mb3-global-skips-pf-kthread.ts';
import { allProperties } from '../../properties/index.ts';
import { expectInOrder } from '../helpers/trace-steps.ts';

type Opts = Parameters<typeof check>[2];
const run = (opts: Opts) => check(model, allProperties, { maxSeconds: 120, ...opts });
const fixed = { switchMmSameMmShortcut: false };

// exit_mm without the smp_mb__after_spinlock() before `current->mm = NULL` (scenario D's barrier (d)):
// the exiting thread's user access, then the stores the caller's loop reads.
const exitNoMb = defineVariant({
  model: 'membarrier',
  name: 'exit-mm-no-mb',
  description: 'patch: exit_mm without smp_mb__after_spinlock()',
  flags: { ...fixed, arch: 'arm64' },
  params: { siblingExits: 1, otherExits: 0, kthread: 0, rseq: 0, cpu0Siblings: 0 },
  edits: [patch('do_exit_sibling:XM2', { do: undefined })],
});
// __schedule without smp_mb__after_spinlock() (scenario C's barrier (d)) before the rq->curr store.
const noBarrierD = defineVariant({
  model: 'membarrier',
  name: 'no-barrier-d',
  description: 'patch: arm64 __schedule without smp_mb__after_spinlock() before the rq->curr store',
  flags: { ...fixed, arch: 'arm64' },
  params: { kthread: 0, rseq: 0, cpu0Siblings: 0, otherExits: 0 },
  edits: [patch('__schedule:SCH2', { do: undefined })],
});

describe('MBP-2 follows the memory model', () => {
  // The two arm64 patches that drop barrier (d): the rq->curr loop skips the CPU, whose access only a
  // weakly ordered CPU lets pass the stores the loop reads. Before MBP-2 followed the memory model,
  // exit_mm reported it under sc and tso after 25 and 27 steps, __schedule after 28 and 30.
  const weakOnly = [
    { what: 'exit_mm', variant: exitNoMb, sc: 39170, tso: 68488, steps: 26, reason: /^at barrier \(c\), cpu1 has had no full barrier since before barrier \(a\) and accessed mm0/, order: ['cpu1 user:U1', 'cpu1 do_exit_sibling:XM3', 'cpu1 store_buffer:drain', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7'] },
    { what: '__schedule', variant: noBarrierD, sc: 20820, tso: 37995, steps: 29, reason: undefined, order: ['cpu1 user:U1', 'cpu1 __schedule:SCH2', 'cpu1 __schedule:SCH4', 'cpu1 store_buffer:drain', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7'] },
  ];
  for (const c of weakOnly) {
    it(`arm64 ${c.what} without barrier (d): ok under sc and tso (complete), MBP-2 under weak`, () => {
      const sc = run({ variant: c.variant, properties: ['MBP-2'], por: true });
      const tso = run({ variant: c.variant, properties: ['MBP-2'], memory: 'tso', por: true });
      expect([sc.verdict, sc.states]).toEqual(['ok', c.sc]);
      expect([tso.verdict, tso.states]).toEqual(['ok', c.tso]);
      const weak = run({ variant: c.variant, properties: ['MBP-2'], memory: 'weak' });
      expect([weak.verdict, weak.property, weak.trace!.length]).toEqual(['violation', 'MBP-2', c.steps]);
      if (c.reason) expect(weak.reason).toMatch(c.reason);
      expectInOrder(weak, c.order);
    }, 120_000);
  }

  it('MB-3 (GLOBAL_EXPEDITED skips a kthread inside kthread_use_mm) still breaks MBP-2 on x86 under sc and tso, in the stored trace\'s length', () => {
    const stored = JSON.parse(readFileSync(new URL('../../counterexamples/membarrier/mb3-global-skips-pf-kthread/MBP-2.json', import.meta.url), 'utf8'));
    expect(stored.steps.length).toBe(27);
    for (const memory of ['sc', 'tso'] as const) {
      const r = run({ variant: mb3, params: stored.params, memory, properties: ['MBP-2'] });
      expect([r.verdict, r.property, r.trace!.length], memory).toEqual(['violation', 'MBP-2', stored.steps.length]);
      // the kthread's access in the window open at (c), or after (c) in that window
      expect(r.reason, memory).toMatch(/^(at barrier \(c\), cpu1 has had no full barrier since before barrier \(a\) and accessed mm0 in that window|cpu1 accesses mm0 after the membarrier returned, in a window without a full barrier since before barrier \(a\))$/);
      expectInOrder(r, ['cpu1 kthread_use_mm:KU8', 'cpu0 membarrier_global_expedited:G2', 'cpu0 membarrier_global_expedited:G4c', 'cpu0 membarrier_global_expedited:G7']);
      expect(r.trace!.some((t) => t.label === 'KA'), memory).toBe(true);
    }
  }, 120_000);

  it('mainline with the open finding\'s fix keeps MBP-2 at the default scope: x86 under sc and tso, arm64 under weak (complete)', () => {
    const got = ([['x86', 'sc'], ['x86', 'tso'], ['arm64', 'weak']] as const).map(([arch, memory]) => {
      const r = run({ flags: { ...fixed, arch }, memory, properties: ['MBP-2'], por: true });
      return `${arch} ${memory} ${r.verdict} ${r.states}`;
    });
    expect(got).toEqual(['x86 sc ok 159796', 'x86 tso ok 494627', 'arm64 weak ok 370778']);
  }, 300_000);
});
