// MBP-2 under each memory model (properties see `--memory` through MonitorCtx.memory). The barrier
// window open at barrier (c) is the message-passing shape (c) pairs with barrier (d), the
// smp_mb__after_spinlock() in __schedule before the rq->curr store (membarrier.md section 5: "not for
// the pure MP shape (TSO keeps W→W and R→R); needed on weaker architectures"). An arm64 __schedule
// without (d): under sc and tso the caller that sees the new rq->curr and skips the CPU also sees the
// CPU's earlier accesses, so MBP-2 holds; under weak the rq->curr store can become visible first
// (store→store reordering) and MBP-2 fails at barrier (c). docs/fidelity.md, "MBP-2 and the memory model".
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { defineVariant, patch } from '../../src/lang/variant.ts';
import model from '../../models/membarrier/model.ts';
import { allProperties } from '../../properties/index.ts';
import { expectInOrder } from '../helpers/trace-steps.ts';

const noBarrierD = defineVariant({
  model: 'membarrier',
  name: 'no-barrier-d',
  description: 'arm64 __schedule without smp_mb__after_spinlock() (barrier (d)) before the rq->curr store',
  flags: { arch: 'arm64', switchMmSameMmShortcut: false },
  edits: [patch('__schedule:SCH2', { do: undefined })],
});
const run = (memory: string) =>
  check(model, allProperties, { variant: noBarrierD, memory, params: { kthread: 0, rseq: 0 }, properties: ['MBP-2'], maxSeconds: 120 });

describe('MBP-2 follows the memory model', () => {
  it('without barrier (d), sc and tso keep the order: ok (complete search)', () => {
    const sc = run('sc');
    expect(sc.verdict).toBe('ok');
    expect(sc.states).toBe(102006);
    const tso = run('tso');
    expect(tso.verdict).toBe('ok');
    expect(tso.states).toBe(226504);
  }, 120_000);

  it('without barrier (d), weak lets the rq->curr store pass the user access: MBP-2 at barrier (c)', () => {
    const r = run('weak');
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-2');
    expect(r.trace!.length).toBe(29);
    expect(r.reason).toMatch(/^at barrier \(c\), cpu1 has had no full barrier since before barrier \(a\) and accessed mm0/);
    expectInOrder(r, ['cpu1 user:U1', 'cpu1 __schedule:SCH2', 'cpu1 __schedule:SCH4', 'cpu1 store_buffer:drain', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7']);
  }, 120_000);
});
