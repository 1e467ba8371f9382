// The membarrier model: mainline verdicts, one test per bug-catalog entry MB-1 … MB-5 (shortest trace,
// named property, the catalog's key steps), the exit_lazy_tlb RFC checked as a patch, the RSEQ command
// (MBP-4, -EPERM, registration), and the caller preempted and migrated inside the call.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { int } from '../../src/lang/domain.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import model from '../../models/membarrier/model.ts';
import mb1 from '../../models/membarrier/variants/mb1-sync-core-skips-caller.ts';
import mb2 from '../../models/membarrier/variants/mb2-sync-core-ipi-mb-only.ts';
import mb3 from '../../models/membarrier/variants/mb3-global-skips-pf-kthread.ts';
import mb4 from '../../models/membarrier/variants/mb4-kthread-use-mm-no-rq-update.ts';
import mb5 from '../../models/membarrier/variants/mb5-global-reads-remote-mm.ts';
import rfc from '../../models/membarrier/variants/rfc-exit-lazy-tlb.ts';
import rseqMbOnly from '../../models/membarrier/variants/constructed-ipi-rseq-mb-only.ts';
import { isRseq, RET_OK } from '../../models/membarrier/defs.ts';
import { property } from '../../src/lang/property.ts';
import { allProperties } from '../../properties/index.ts';
import { expectInOrder } from '../helpers/trace-steps.ts';
import { readFileSync } from 'node:fs';
import { addProcedure, defineVariant, insertAfter, patch, replace } from '../../src/lang/variant.ts';
import { rules, step } from '../../src/lang/model.ts';
import { exploreInstance } from '../../src/reference/explore.ts';
import { advanceGlobal, mb } from '../../models/membarrier/api.ts';
import registerNoSync from '../../models/membarrier/examples/register-without-runqueue-sync.ts';

type Opts = Parameters<typeof check>[2];
const run = (opts: Opts = {}) => check(model, allProperties, { maxSeconds: 60, ...opts });
// The candidate fix for the mainline finding below (membarrier_switch_mm compares the states only).
const fixed = { switchMmSameMmShortcut: false };

describe('membarrier mainline', () => {
  it('finding: after kthread_unuse_mm zeroes rq->membarrier_state, a same-mm switch keeps it 0 (MBP-1)', () => {
    const r = run();
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-1');
    expect(r.trace!.length).toBe(35);
    expectInOrder(r, ['cpu1 kthread_use_mm:KU5', 'cpu1 kthread_unuse_mm:KN2', 'cpu1 __schedule:SCH3 (next=task1', 'cpu1 __schedule:SCH6u', 'cpu1 finish_task_switch:SCH10']);
  });

  it('with membarrier_switch_mm comparing states: ok, complete (regression pin)', () => {
    const r = run({ flags: fixed });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(225330);
  });

  it('a kthread that sleeps inside kthread_use_mm: the RFC author\'s case misses the core sync (MBP-3)', () => {
    const r = run({ flags: fixed, params: { kthreadSleeps: 1 } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-3');
    expectInOrder(r, ['cpu0 membarrier_private_expedited:P5b', 'cpu1 kthread_use_mm:KU4', 'cpu1 switch_mm_irqs_off:SW2f (tlb=0)', 'cpu1 __schedule:SCH3 (next=task1', 'cpu1 syscall_exit_to_user_mode:RET (via=0)', 'cpu1 user:E2']);
  });
});

describe('membarrier bug catalog', () => {
  it('MB-1: SYNC_CORE did not sync the calling CPU', () => {
    const r = run({ variant: mb1 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-3');
    expect(r.trace!.length).toBe(27);
    expectInOrder(r, ['cpu0 user:W1', 'cpu0 membarrier_private_expedited:P3', 'cpu0 membarrier_private_expedited:P8', 'cpu0 user:W3', 'cpu0 __schedule:SCH3 (next=task1', 'cpu0 switch_mm_irqs_off:SW1', 'cpu0 syscall_exit_to_user_mode:RET (via=0)', 'cpu0 user:E2']);
  });

  it('MB-2: SYNC_CORE relied on the IPI\'s IRET, but the exit-work loop rescheduled', () => {
    const r = run({ variant: mb2 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-3');
    expect(r.trace!.length).toBe(47);
    expectInOrder(r, ['cpu0 membarrier_private_expedited:P3', 'cpu0 membarrier_private_expedited:P6', 'cpu1 sysvec_call_function:IPI', 'cpu1 sysvec_call_function:IRQX (need_resched=1)', 'cpu1 __schedule:SCH3 (next=task1', 'cpu1 syscall_exit_to_user_mode:RET (via=0)', 'cpu1 user:E2']);
  });

  it('MB-3: GLOBAL_EXPEDITED skipped a kthread inside kthread_use_mm', () => {
    const r = run({ variant: mb3 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-2');
    expect(r.trace!.length).toBe(27);
    expectInOrder(r, ['cpu1 kthread_use_mm:KU4', 'cpu1 kthread_use_mm:KU8', 'cpu0 membarrier_global_expedited:G2', 'cpu0 membarrier_global_expedited:G4c', 'cpu0 membarrier_global_expedited:G7', 'cpu1 user:KA']);
  });

  it('MB-4: kthread_use_mm did not update rq->membarrier_state (MBP-1, and MBP-2)', () => {
    const r = run({ variant: mb4 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-1');
    expect(r.trace!.length).toBe(18);
    expectInOrder(r, ['cpu1 __schedule:SCH3 (next=task2', 'cpu1 kthread_use_mm:KU4', 'cpu1 kthread_use_mm:KU5', 'cpu1 kthread_use_mm:KU8']);
    const r2 = run({ variant: mb4, properties: ['MBP-2'] });
    expect(r2.verdict).toBe('violation');
    expect(r2.property).toBe('MBP-2');
    expectInOrder(r2, ['cpu1 kthread_use_mm:KU4', 'cpu0 membarrier_global_expedited:G2', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7']);
  });

  it('MB-5: GLOBAL_EXPEDITED read the remote task\'s freed mm', () => {
    const r = run({ variant: mb5 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-5');
    expect(r.trace!.length).toBe(24);
    expectInOrder(r, ['cpu0 membarrier_global_expedited:G4b', 'cpu0 membarrier_global_expedited:G4c', 'cpu1 do_exit:EM3', 'cpu1 do_exit:EM5', 'cpu1 finish_task_switch:SCH11b', 'cpu0 membarrier_global_expedited:G4m']);
  });

  it('the fixed flags pass in MB-2\'s configuration too (the default scope is pinned above)', () => {
    const r = run({ flags: fixed, params: mb2.params as Record<string, number> });
    expect(r.verdict).toBe('ok');
  });
});

describe('RFC: x86 exit_lazy_tlb instead of membarrier_mm_sync_core_before_usermode', () => {
  it('x86 keeps SYNC_CORE, including a kthread that sleeps inside kthread_use_mm', () => {
    for (const kthreadSleeps of [0, 1]) {
      const r = run({ variant: rfc, flags: fixed, params: { kthreadSleeps } });
      expect(r.verdict, `kthreadSleeps=${kthreadSleeps}`).toBe('ok');
    }
  });

  it('on a mainline riscv it drops the fence.i of finish_task_switch (MBP-3)', () => {
    const r = run({ variant: rfc, flags: { ...fixed, arch: 'riscv' } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-3');
    expectInOrder(r, ['cpu1 __schedule:SCH3 (next=task2', 'cpu1 __schedule:SCH3 (next=task1', 'cpu1 __schedule:ELT', 'cpu1 finish_task_switch:SCH11b', 'cpu1 user:E2']);
  });
});

/** A test-only observer: fails when a MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ call returns 0 (reachability). */
const rseqReturnsZero = property({
  name: 'T-rseq-ok',
  statement: 'test observer: an RSEQ command returned 0',
  ref: 'test',
  models: ['membarrier'],
  on: { Return: (_s, _g, x, cmd, ret) => (isRseq(cmd) && ret === RET_OK ? x.fail('PRIVATE_EXPEDITED_RSEQ returned 0') : undefined) },
});

describe('MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ (MBP-4)', () => {
  it('constructed: an ipi_rseq without rseq_preempt lets a critical section running at barrier (a) commit after the return (MBP-4)', () => {
    const r = run({ variant: rseqMbOnly });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('MBP-4');
    expect(r.trace!.length).toBe(29);
    expectInOrder(r, ['cpu0 sys_membarrier:SYS (cmd=8)', 'cpu1 user:RS1', 'cpu0 membarrier_private_expedited:P3', 'cpu0 membarrier_private_expedited:P6', 'cpu1 sysvec_call_function:IPI', 'cpu0 sys_membarrier:SYSX', 'cpu1 sysvec_call_function:IRQX', 'cpu1 user:RS2']);
    // Mainline aborts that section: the IPI's return to user runs rseq_handle_notify_resume.
    const ok = run({ flags: fixed, properties: ['MBP-4'], params: { kthread: 0, otherExits: 0 } });
    expect(ok.verdict).toBe('ok');
  });

  it('-EPERM before REGISTER_PRIVATE_EXPEDITED_RSEQ; 0 after it (MBP-0 holds throughout)', () => {
    const small = { kthread: 0, otherExits: 0 };
    const props = [...allProperties, rseqReturnsZero];
    // Unregistered, one call: the RSEQ command never returns 0 (and MBP-0 sees -EPERM, no barrier, no IPI).
    const unreg = check(model, props, { maxSeconds: 60, flags: fixed, params: { ...small, registered: 0 } });
    expect(unreg.verdict).toBe('ok');
    // Registered: it does.
    const reg = check(model, props, { maxSeconds: 60, flags: fixed, params: small, properties: ['T-rseq-ok'] });
    expect(reg.verdict).toBe('violation');
    // Unregistered, two calls: the registration (RG1 … RG8) makes the second call succeed.
    const two = check(model, props, { maxSeconds: 60, flags: fixed, params: { ...small, registered: 0, calls: 2 }, properties: ['T-rseq-ok'] });
    expect(two.verdict).toBe('violation');
    expectInOrder(two, ['cpu0 sys_membarrier:SYS (cmd=9)', 'cpu0 membarrier_register:RG2', 'cpu0 membarrier_register:RG8', 'cpu0 sys_membarrier:SYSX', 'cpu0 sys_membarrier:SYS (cmd=', 'cpu0 membarrier_private_expedited:P3', 'cpu0 sys_membarrier:SYSX']);
  });
});

/** A test-only observer: fails when barrier (c) runs on another CPU than barrier (a) (the caller migrated). */
const migrates = property({
  name: 'T-migrated',
  statement: 'test observer: the caller executed barriers (a) and (c) on different CPUs',
  ref: 'test',
  models: ['membarrier'],
  ghost: () => ({ a: int(0, 3) }),
  on: {
    BarrierA: (_s, g, _x, c) => { g.a = c + 1; },
    BarrierC: (_s, g, x, c) => (g.a !== 0 && g.a !== c + 1 ? x.fail(`barrier (a) on cpu${g.a - 1}, barrier (c) on cpu${c}`) : undefined),
  },
});

describe('the caller preempted and migrated inside membarrier() (callerPreempt)', () => {
  it('the caller can be preempted after barrier (a) and finish the call on another CPU', () => {
    const r = check(model, [...allProperties, migrates], { maxSeconds: 60, flags: fixed, params: { callerPreempt: 1 }, properties: ['T-migrated'] });
    expect(r.verdict).toBe('violation');
    expectInOrder(r, ['cpu0 membarrier_', 'cpu0 preempt_schedule:PS0', 'cpu0 __schedule:SCH4', 'cpu0 finish_task_switch:SCH10', 'cpu1 __schedule:SCH3 (next=task0', 'cpu1 membarrier_']);
  });

  it('every property still holds with preemption outside rcu_read_lock (no kthread, no exit: a complete search)', () => {
    const r = run({ flags: fixed, params: { callerPreempt: 1, kthread: 0, otherExits: 0 } });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(1310547);
  });
});

describe('membarrier reductions', () => {
  it('footprints: no step touches another CPU\'s own fields, MBP-1 reads only what it declares (complete search)', () => {
    const r = verifyFootprints(compile(instantiate(model, allProperties, { flags: fixed })));
    expect(r.complete).toBe(true);
    expect(r.states).toBe(225330);
    expect(r.problems).toEqual([]);
  });

  it('partial-order reduction (and symmetry, of which the model declares none) keeps every verdict', () => {
    // [name, options, verdict, property, states unreduced, states with por + symmetry]
    const cases: [string, Opts, string, string | undefined, number, number][] = [
      ['mainline', {}, 'violation', 'MBP-1', 60868, 58973],
      ['mainline, fixed flags', { flags: fixed }, 'ok', undefined, 225330, 216448],
      ['mainline, tso', { memory: 'tso' }, 'violation', 'MBP-1', 107653, 105936],
      ['MB-1', { variant: mb1 }, 'violation', 'MBP-3', 30477, 29622],
      ['MB-2', { variant: mb2 }, 'violation', 'MBP-3', 33114, 32609],
      ['MB-3', { variant: mb3 }, 'violation', 'MBP-2', 27280, 26586],
      ['MB-4', { variant: mb4 }, 'violation', 'MBP-1', 8952, 8790],
      ['MB-5', { variant: mb5 }, 'violation', 'MBP-5', 19282, 18967],
      ['RSEQ, constructed', { variant: rseqMbOnly }, 'violation', 'MBP-4', 34928, 33972],
    ];
    for (const [name, opts, verdict, property, full, reduced] of cases) {
      const a = run(opts);
      const b = run({ ...opts, por: true, symmetry: true });
      expect([a.verdict, a.property, a.states], name).toEqual([verdict, property, full]);
      expect([b.verdict, b.property, b.states], `${name}, por + symmetry`).toEqual([verdict, property, reduced]);
      expect(Object.keys(b.reductions), name).toEqual(['por']);
    }
  });
});

// Patches to kernel/sched/membarrier.c itself, written as variants that edit the syscall bodies by label.
const patchOf = (name: string, ...edits: Parameters<typeof replace>[1][] | any[]) =>
  defineVariant({ model: 'membarrier', name, description: `patch: ${name}`, flags: fixed, edits: edits as any });
const noGlobalIpi = patchOf('global-expedited-no-ipi', replace('membarrier_global_expedited:G5', step('G5', 'preempt_disable() [smp_call_function_many(tmpmask, ipi_mb) removed]', {})));

describe('membarrier syscall bodies edited by label', () => {
  it('membarrier_register without sync_runqueues_membarrier_state: rq->membarrier_state stale (MBP-1), then GLOBAL_EXPEDITED misses the CPU (MBP-2)', () => {
    const r = run({ variant: registerNoSync });
    expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'MBP-1', 5]);
    expectInOrder(r, ['cpu0 membarrier_register:RG2', 'cpu0 membarrier_register:RG3', 'cpu0 membarrier_register:RG8']);
    const r2 = run({ variant: registerNoSync, properties: ['MBP-2'] });
    expect([r2.verdict, r2.property, r2.trace!.length]).toEqual(['violation', 'MBP-2', 29]);
    expectInOrder(r2, ['cpu0 membarrier_register:RG8', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7', 'cpu1 user:U1']);
    // the same scope without the patch
    const ok = run({ flags: fixed, params: registerNoSync.params as any });
    expect([ok.verdict, ok.states]).toEqual(['ok', 322350]); // unreduced (the command line's default reductions: 300,826)
  });

  it('membarrier_global_expedited without the IPI: MBP-2; without the rq->membarrier_state test: more IPIs, still ok', () => {
    const r = run({ variant: noGlobalIpi });
    expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'MBP-2', 24]);
    expectInOrder(r, ['cpu0 membarrier_global_expedited:G2', 'cpu0 membarrier_global_expedited:G5', 'cpu0 membarrier_global_expedited:G7']);
    const allRq = patchOf('global-expedited-every-rq', patch('membarrier_global_expedited:G4a', {
      text: 'rcu_read_lock(); if (cpu == raw_smp_processor_id()) continue [the rq->membarrier_state test removed]',
      do: (s: any, c: number, x: any) => {
        s.call.rcu = true;
        if (s.call.x === c) advanceGlobal(s, c, x);
      },
    }));
    const ok = run({ variant: allRq });
    expect([ok.verdict, ok.states]).toEqual(['ok', 225751]); // mainline: 225,330
  });

  it('MEMBARRIER_CMD_GLOBAL that does not wait for the grace period: MBP-2', () => {
    const r = run({ variant: patchOf('global-no-gp-wait', patch('membarrier_global:GL2', { when: undefined })) });
    expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'MBP-2', 4]);
    expectInOrder(r, ['cpu0 membarrier_global:GL1', 'cpu0 membarrier_global:GL2']);
  });

  it('a step added to a syscall body runs in the call (its own call.phase), and a jump to an undeclared label is a model error', () => {
    const added = patchOf('global-expedited-added-step', replace('membarrier_global_expedited:G5', step('G5', 'preempt_disable() [no IPI]', {})),
      insertAfter('membarrier_global_expedited:G5w', step('G6', 'smp_mb() [a barrier added before barrier (c)]', { do: (s: any, c: number, x: any) => mb(x, c) })));
    const r = run({ variant: added });
    expect([r.verdict, r.property]).toEqual(['violation', 'MBP-2']);
    expectInOrder(r, ['cpu0 membarrier_global_expedited:G5w', 'cpu0 membarrier_global_expedited:G6', 'cpu0 membarrier_global_expedited:G7']);
    const bad = patchOf('bad-jump', patch('membarrier_global:GL1', { do: (_s: any, _c: number, x: any) => x.goto('GL2') }));
    const e = run({ variant: bad });
    expect(e.verdict).toBe('error');
    expect(e.reason).toMatch(/membarrier_global:GL1: goto 'GL2', a label the step does not declare in its jumps \(none\)/);
  });

  it('the example of docs/language.md is the shipped example file', () => {
    const doc = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
    const src = readFileSync(new URL('../../models/membarrier/examples/register-without-runqueue-sync.ts', import.meta.url), 'utf8');
    expect(doc).toContain(src.trim().replace("'../../../src/lang/model.ts'", "'lazytlb/src/lang/model.ts'").replace("'../../../src/lang/variant.ts'", "'lazytlb/src/lang/variant.ts'").replace("'../api.ts'", "'lazytlb/models/membarrier/api.ts'"));
  });
});

describe('steps see the run\'s flags and params (x.flags, x.params)', () => {
  it('in the explorer and in the reference explorer', () => {
    const seen = new Set<string>();
    const probe = defineVariant({
      model: 'membarrier', name: 'probe', description: 'reads the step context',
      edits: [addProcedure(rules('probe', 'cpu', [step('PR', 'never enabled: records what it sees', { when: (_s, _c, x) => (seen.add(`${x.flags.arch} ${x.params.cpus}`), false) })]))],
    });
    run({ variant: probe, flags: { arch: 'arm64' }, params: { cpus: 3 }, maxStates: 50 });
    expect([...seen]).toEqual(['arm64 3']);
    seen.clear();
    exploreInstance(instantiate(model, allProperties, { variant: probe, flags: { arch: 'riscv' } }), { maxStates: 50 });
    expect([...seen]).toEqual(['riscv 2']);
  });
});

describe('a thread of the targeted mm exits (siblingExits: exit_mm → membarrier_update_current_mm(NULL))', () => {
  const scope = { siblingExits: 1, otherExits: 0, kthread: 0 };
  it('mainline: the exit zeroes rq->membarrier_state and the same-mm switch to the next thread keeps it 0 (MBP-1, the finding by the exit path)', () => {
    const r = run({ params: scope });
    expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'MBP-1', 32]);
    expectInOrder(r, ['cpu1 do_exit_sibling:XM1', 'cpu1 do_exit_sibling:XM3', 'cpu1 do_exit_sibling:XTD', 'cpu1 __schedule:SCH3 (next=task1', 'cpu1 __schedule:SCH6u']);
  });

  it('with membarrier_switch_mm comparing states: ok on x86 and arm64 (pinned)', () => {
    const x86 = run({ flags: fixed, params: scope });
    expect([x86.verdict, x86.states]).toEqual(['ok', 145869]);
    const arm = run({ flags: { ...fixed, arch: 'arm64' }, params: scope });
    expect([arm.verdict, arm.states]).toEqual(['ok', 155831]);
  });

  it('exit_mm without its smp_mb__after_spinlock(): on arm64 the rq->curr loop skips the exiting thread, whose access only a weakly ordered CPU lets pass the stores the loop reads (MBP-2 under weak); on x86 the LOCKed mmgrab_lazy_tlb orders it', () => {
    const noMb = defineVariant({ model: 'membarrier', name: 'exit-mm-no-mb', description: 'patch: exit_mm without smp_mb__after_spinlock()', flags: fixed, params: scope, edits: [patch('do_exit_sibling:XM2', { do: undefined })] });
    // sc (standing for tso): the access is program-ordered before current->mm = NULL, which the caller read (scenario D)
    const arm = run({ variant: noMb, flags: { arch: 'arm64' } });
    expect([arm.verdict, arm.states]).toEqual(['ok', 156761]);
    const weak = run({ variant: noMb, flags: { arch: 'arm64' }, memory: 'weak', properties: ['MBP-2'] });
    expect([weak.verdict, weak.property, weak.trace!.length]).toEqual(['violation', 'MBP-2', 26]);
    expectInOrder(weak, ['cpu0 membarrier_global_expedited:G2', 'cpu1 user:U1', 'cpu1 do_exit_sibling:XM3', 'cpu0 membarrier_global_expedited:G4a', 'cpu0 membarrier_global_expedited:G7']);
    const x86 = run({ variant: noMb });
    expect([x86.verdict, x86.states]).toEqual(['ok', 145869]); // as without the patch
  });
});
