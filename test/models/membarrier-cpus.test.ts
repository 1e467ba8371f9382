// The membarrier model at 4 CPUs (CPU2 and CPU3 run sibling threads of the caller's mm) and its named
// scopes: a historical bug still shows at 4 CPUs, the private command's IPI reaches both sibling CPUs,
// and `deep` is 3 CPUs with the caller preempted inside the call.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { property } from '../../src/lang/property.ts';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/membarrier/model.ts';
import mb4 from '../../models/membarrier/variants/mb4-kthread-use-mm-no-rq-update.ts';
import { expectInOrder } from '../helpers/trace-steps.ts';
import { C, Cmd } from '../../models/membarrier/defs.ts';

// The smallest 4-CPU scope: no rseq sections, no siblings on CPU0, the other process does not exit.
const small4 = { cpus: 4, rseq: 0, cpu0Siblings: 0, otherExits: 0 };

/** A test-only observer: fails when a call of command `cmd` has queued its csd on both CPU2 and CPU3. */
const bothSiblingCpus = (cmd: number) => property({
  name: `T-ipi-cpu2-cpu3-${Cmd.names[cmd]}`,
  statement: 'test observer: one call queued a csd on CPU2 and on CPU3',
  ref: 'test',
  models: ['membarrier'],
  reads: ['call.cmd', 'cpu.ipi'],
  check: (s) => (s.call.cmd === cmd && s.cpu[2].ipi !== 0 && s.cpu[3].ipi !== 0 ? 'csds queued on cpu2 and cpu3' : null),
});
const ipiBoth = (cmd: number) => {
  const t = bothSiblingCpus(cmd);
  const r = check(model, [...allProperties, t], { maxSeconds: 60, params: small4, properties: [t.name] });
  expect(r.verdict).toBe('violation');
  return r.trace!.map((row) => `${row.actor} ${row.procedure}:${row.label}`);
};

describe('membarrier at 4 CPUs', () => {
  it('MB-4 (kthread_use_mm without membarrier_update_current_mm) still violates MBP-1 (pinned)', () => {
    const r = check(model, allProperties, { maxSeconds: 60, variant: mb4, params: small4 });
    expect([r.verdict, r.property, r.states, r.trace!.length]).toEqual(['violation', 'MBP-1', 678425, 18]);
    expectInOrder(r, ['cpu1 kthread_use_mm:KU']);
  });

  it('the rq->curr loops visit CPU1, CPU2, CPU3 in order and IPI both sibling CPUs (shortest traces)', () => {
    // membarrier_global_expedited: CPU0 skipped, CPU1 skipped on its rq->membarrier_state (OTHER's
    // N is unregistered), CPU2 and CPU3 selected
    const G = (l: string) => `cpu0 membarrier_global_expedited:${l}`;
    expect(ipiBoth(C.GLOBAL_EXPEDITED)).toEqual(['cpu0 sys_membarrier:SYS', G('G2'), G('G4a'), G('G4a'), G('G4b'), G('G4c'), G('G4a'), G('G4b'), G('G4c'), G('G5')]);
    // membarrier_private_expedited: CPU0 sampled too (since e45cdc71d1fa), then CPU1 (OTHER: skipped), CPU2, CPU3
    const P = (l: string) => `cpu0 membarrier_private_expedited:${l}`;
    expect(ipiBoth(C.PRIVATE_EXPEDITED)).toEqual(['cpu0 sys_membarrier:SYS', P('P1'), P('P3'), ...[0, 1, 2, 3].flatMap(() => [P('P5a'), P('P5b')]), P('P6')]);
  });

  it('cpus = 5 is out of range', () => {
    expect(() => instantiate(model, allProperties, { params: { cpus: 5 } })).toThrow(/cpus/);
  });
});

describe('membarrier named scopes', () => {
  it('deep: 3 CPUs, the caller preempted outside rcu_read_lock() (callerPreempt = 1), the rest at the defaults', () => {
    const i = instantiate(model, allProperties, { scope: 'deep' });
    const defaults = instantiate(model, allProperties, {});
    expect(i.scope).toBe('deep');
    expect(i.params).toEqual({ ...defaults.params, cpus: 3, callerPreempt: 1 });
    expect(i.flags).toEqual(defaults.flags);
    // --param applies on top of the scope
    expect(instantiate(model, allProperties, { scope: 'deep', params: { callerPreempt: 2 } }).params.callerPreempt).toBe(2);
  });
});
