// lazy_mmu: the mainline default scope (generic layer, Xen PV re-arming from TIF_LAZY_MMU_UPDATES) and
// the other backends are ok (state counts pinned); LMMU-1, LMMU-2 and LMMU-3 of bugs.md are reproduced
// by their historical variants, and their fixes are ok; L8 fails on a constructed variant (sleeping
// inside a section on powerpc / sparc) and holds where sleeping there is handled (arm64, Xen PV).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/lazy-mmu/model.ts';
import lmmu1 from '../../models/lazy-mmu/variants/xen-nesting-counter.ts';
import lmmu1Fix from '../../models/lazy-mmu/variants/xen-v6.15-no-nesting.ts';
import lmmu2 from '../../models/lazy-mmu/variants/arm64-nested-warn.ts';
import lmmu2Fix from '../../models/lazy-mmu/variants/arm64-nested-tolerate.ts';
import lmmu3 from '../../models/lazy-mmu/variants/v7.0-rc-xen-task-counters.ts';
import sleepInSection from '../../models/lazy-mmu/variants/constructed-sleep-in-section.ts';

// powerpc / sparc with callers calling the arch hooks directly (before v7.0), nested sections
const DIRECT_HOOKS_STATES = 120;
const DIRECT_HOOKS_2CPU_STATES = 1379;
const run = (opts: Parameters<typeof check>[2] = {}) => check(model as any, allProperties, opts);
const steps = (r: ReturnType<typeof run>) => (r.trace ?? []).map((t) => `${t.procedure}:${t.label}`);

describe('lazy-mmu', () => {
  it('mainline (Xen PV, generic layer, TIF re-arm): L1–L8 hold', () => {
    const r = run();
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(18576);
  });

  it.each([
    ['arm64', 7557], // includes split_kernel_leaf_mapping's mutex: a sleep inside the section
    ['powerpc', 1792],
    ['sparc', 1792],
  ])('mainline on %s: L1–L8 hold', (arch, states) => {
    const r = run({ flags: { arch } });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(states);
  });

  it.each(['powerpc', 'sparc'])('direct arch hooks on %s: a nested section re-arms the per-CPU batch, which arch_enter/leave_lazy_mmu_mode do not check (no L1)', (arch) => {
    const r = run({ flags: { arch, layer: 'directHooks' } });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(DIRECT_HOOKS_STATES);
    const two = run({ flags: { arch, layer: 'directHooks' }, params: { cpus: 2 } });
    expect([two.verdict, two.states]).toEqual(['ok', DIRECT_HOOKS_2CPU_STATES]);
  });

  it('LMMU-1: the Xen nesting counter lets XS1 unwind one level only; XS2 hits BUG_ON (L1)', () => {
    const r = run({ variant: lmmu1 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('L1');
    expect(steps(r)).toEqual([
      'apply_to_page_range:S1', 'arch_enter_lazy_mmu_mode:AE', 'apply_to_page_range:S2', 'set_pte_at:PT', 'apply_to_page_range:S3',
      'nested_section:N1', 'arch_enter_lazy_mmu_mode:AE', 'context_switch:CS1', 'context_switch:XS1', 'context_switch:XS2',
    ]);
    const fixed = run({ variant: lmmu1Fix });
    expect(fixed.verdict).toBe('ok');
    expect(fixed.states).toBe(864);
  });

  it('LMMU-2: arm64 warns on the DEBUG_PAGEALLOC nested enter (L1); tolerating it is ok', () => {
    const r = run({ variant: lmmu2 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('L1');
    expect(steps(r)).toEqual([
      'apply_to_page_range:S1', 'arch_enter_lazy_mmu_mode:AE', 'apply_to_page_range:S2', 'set_pte_at:PT', 'apply_to_page_range:S3',
      'nested_section:N1', 'arch_enter_lazy_mmu_mode:AE',
    ]);
    const fixed = run({ variant: lmmu2Fix });
    expect(fixed.verdict).toBe('ok');
    expect(fixed.states).toBe(1669); // with the arm64 mutex sleep inside the section
  });

  it('LMMU-3: v7.0-rc re-arms from the task counters after a preemption between E2 and E3 (L1)', () => {
    const r = run({ variant: lmmu3 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('L1');
    const switchSteps = ['context_switch:CS1', 'context_switch:XS1', 'context_switch:XS2', 'context_switch:XE1', 'context_switch:XE2', 'context_switch:CS6'];
    expect(steps(r)).toEqual([
      'apply_to_page_range:S1', 'lazy_mmu_mode_enable:E1', 'lazy_mmu_mode_enable:E2', ...switchSteps, ...switchSteps, 'lazy_mmu_mode_enable:E3',
    ]);
    // The second XE2 arms the mode for task0 from its counters.
    expect(r.trace![13].changes.some((c) => c.path === 'cpu[0].xenMode' && c.to === 'MMU')).toBe(true);
  });

  it('L8 (constructed): generic code that sleeps inside a section on powerpc schedules with preemption disabled', () => {
    const r = run({ variant: sleepInSection });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('L8');
    expect(steps(r)).toEqual([
      'apply_to_page_range:S1', 'lazy_mmu_mode_enable:E1', 'lazy_mmu_mode_enable:E2', 'lazy_mmu_mode_enable:E3', 'apply_to_page_range:S2', 'set_pte_at:PT', 'apply_to_page_range:S3',
      'might_sleep_callback:SL1', 'context_switch:CS1',
    ]);
    // The switch is the blocking schedule() of the sleeper: arch_enter's preempt_disable() is still in force.
    expect(r.trace![7].changes.some((c) => c.path === 'task[0].sleeping')).toBe(true);
    expect(r.trace![3].changes.some((c) => c.path === 'task[0].preemptCount')).toBe(true);
    const sparc = run({ flags: { arch: 'sparc', sleepingCallback: true } });
    expect([sparc.verdict, sparc.property]).toEqual(['violation', 'L8']);
  });

  it('the same sleep is harmless where the lazy state follows the task (arm64) or the switch hooks save it (Xen PV)', () => {
    const xen = run({ flags: { sleepingCallback: true } });
    expect([xen.verdict, xen.states]).toEqual(['ok', 22561]);
    const arm64 = run({ flags: { arch: 'arm64' }, params: { cpus: 2 } });
    expect([arm64.verdict, arm64.states]).toEqual(['ok', 63260]);
  });
});
