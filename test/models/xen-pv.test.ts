// The Xen PV model: mainline verdicts under SC and TSO (regression pins), the catalog entry XEN-1
// (the 2.6.23 drop mask misses a vCPU whose CR3 switch is still queued; 9f79991d4186 fixes it), and the
// reductions (own fields and invariant reads respected; partial-order and symmetry reduction reach the
// same verdict as the full search, with pinned state counts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { Machine } from '../../src/engine/machine.ts';
import model from '../../models/xen-pv/model.ts';
import { step } from '../../src/lang/model.ts';
import { defineVariant, replace } from '../../src/lang/variant.ts';
import { startFlush } from '../../models/x86-lazy-tlb/flush.ts';
import { makeEnv } from '../../models/x86-lazy-tlb/env.ts';
import { xenHardware, xenMcFlush } from '../../models/xen-pv/hypervisor.ts';
import { XenLazy } from '../../models/xen-pv/state.ts';
import { xenPvVariants } from '../../models/xen-pv/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import { itReducesSoundly, type ReductionRow } from '../helpers/reductions.ts';
import { expectInOrder, steps } from '../helpers/trace-steps.ts';

type Opts = Parameters<typeof check>[2];
const run = (opts: Opts = {}) => check(model, allProperties, { maxSeconds: 60, ...opts });
const variant = (name: string) => xenPvVariants.find((v) => v.name === name)!;

describe('xen-pv mainline', () => {
  it('default scope under SC: ok, complete', () => {
    const r = run();
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(106218);
    expect(r.properties).toEqual(expect.arrayContaining(['X1', 'X2', 'X3', 'X4', 'X5', 'P3', 'P4', 'P7', 'P7e', 'P9']));
  });

  it('default scope under TSO: ok, complete', () => {
    const r = run({ memory: 'tso' });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(181561);
  });

  it('with kthread_use_mm: ok, complete (its caller holds an mm_users reference, so xen_exit_mmap cannot unpin under it)', () => {
    const r = run({ flags: { kthreadUseMm: true } });
    expect([r.verdict, r.states]).toEqual(['ok', 948885]);
  });
});

describe('bugs.md catalog', () => {
  it('XEN-1: unpin while a vCPU\'s hypervisor CR3 still references the pgd (X1); 9f79991d4186 fixes it', () => {
    const r = run({ variant: variant('v2.6.23') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('X1');
    expect(r.trace!.length).toBe(17);
    expectInOrder(r, ['cpu0 exit_mm:EM5', 'cpu1 context_switch:CS1 (next=1)', 'cpu1 switch_mm_irqs_off:CLRPREV', 'cpu0 exit_mmap:XD3', 'cpu0 exit_mmap:XD6']);
    // the vCPU is still inside its context switch: the CR3 hypercall has not been issued
    expect(steps(r).some((s) => s.startsWith('cpu1 context_switch:CS6'))).toBe(false);
    expect(run({ variant: variant('v2.6.24') }).verdict).toBe('ok');
  });

  it('XEN-1 on the mainline skeleton: a drop mask from xen_cr3 / loaded_mm misses the queued switch (X1)', () => {
    const r = run({ variant: variant('linux-view') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('X1');
    expectInOrder(r, ['cpu1 context_switch:CS1 (next=1)', 'cpu1 switch_mm_irqs_off:R1', 'cpu0 exit_mmap:XD3', 'cpu0 exit_mmap:XD6']);
    expect(r.trace!.length).toBe(21);
  });
});

describe('lazy MMU sections (XEN_LAZY_MMU)', () => {
  const defaults = (spec: Record<string, { default: unknown }>) => Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, v.default]));
  const e = makeEnv(defaults(model.params as any) as any, defaults(model.flags as any) as any, xenHardware);
  /** LM2 with parts of xen_leave_lazy_mmu left out. */
  const leave = (name: string, opts: { flush: boolean; leave: boolean }) =>
    defineVariant({
      model: 'xen-pv',
      name,
      description: `xen_leave_lazy_mmu without ${opts.flush ? 'leave_lazy' : 'xen_mc_flush'}`,
      edits: [
        replace('change_ptes:LM2', step('LM2', 'arch_leave_lazy_mmu_mode, broken', {
          do: (s: any, c: number, x) => {
            const me = s.cpu[c];
            if (opts.flush) xenMcFlush(s, c, e, x);
            if (opts.leave) me.xenLazy = XenLazy.ids.NONE;
            const op = me.lmOp - 1;
            me.lmOp = 0;
            startFlush(s, c, op, x, e);
          },
        })),
      ],
      violates: [],
    });

  it('the PTE change is queued at F0 and reaches the hypervisor at LM2, before the flush: leaving without xen_mc_flush breaks X5', () => {
    const r = run({ variant: leave('no-mc-flush', { flush: false, leave: true }) });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('X5');
    expect(steps(r).slice(-2)).toEqual([expect.stringMatching(/change_ptes:F0 \(op=0\)$/), expect.stringMatching(/change_ptes:LM2$/)]);
  });

  it('a section left open trips the BUG_ON of the next lazy-mode entry (X4)', () => {
    const r = run({ variant: leave('no-leave', { flush: true, leave: false }) });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('X4');
    const cpu = steps(r).find((x) => x.includes('change_ptes:LM2'))!.slice(0, 4);
    expectInOrder(r, [`${cpu} change_ptes:F0 (op=0)`, `${cpu} change_ptes:LM2`, `${cpu} flush_tlb_mm_range:F7`]);
    // still in XEN_LAZY_MMU, the vCPU's next context switch enters XEN_LAZY_CPU
    expect(steps(r).at(-1)).toMatch(new RegExp(`^${cpu} context_switch:CS1`));
  });

  it('without lazy MMU sections (xenLazyMmu=false) the count is the one of the direct PTE store', () => {
    const r = run({ flags: { xenLazyMmu: false } });
    expect([r.verdict, r.states]).toEqual(['ok', 105070]);
  });
});

describe('reductions', () => {
  it('every step touches only its own vCPU\'s own fields and every invariant only its declared reads (mainline, SC and TSO)', () => {
    for (const memory of ['sc', 'tso']) {
      const fp = verifyFootprints(compile(instantiate(model, allProperties, { memory })));
      expect(fp.complete).toBe(true);
      expect(fp.problems).toEqual([]);
    }
  });

  // configuration: the full search's verdict, property and states; the states stored with partial-order
  // and symmetry reduction together (for a violation: the states stored when it was found)
  const table: ReductionRow[] = [
    ['mainline', 'ok', undefined, 106218, 73533],
    ['v2.6.23', 'violation', 'X1', 1538, 1299],
    ['v2.6.24', 'ok', undefined, 5562, 4002],
    ['linux-view', 'violation', 'X1', 2275, 1866],
  ];
  itReducesSoundly(model, xenPvVariants, table);
});

describe('historical drop handlers (2.6.24-4.12: load_cr3(swapper_pg_dir); v4.13+: xen_mc_flush())', () => {
  /** Runs DR2 on vCPU 1 from a state where its xen_current_cr3 is still mm0's pgd and mm1's switch is queued. */
  const dr2 = (flags: Record<string, unknown>) => {
    const prog = compile(instantiate(model, allProperties, { flags: flags as never }));
    const m = new Machine(prog);
    m.init();
    const st = prog.steps.find((s) => s.name === 'drop_mm_ref_this_cpu:DR2')!;
    const k = prog.actorKinds.find((a) => a.name === 'cpu')!;
    const s = m.view;
    const e = makeEnv(prog.instance.params as never, prog.instance.flags as never, xenHardware);
    s.cpu[0].putMm = 0;
    s.cpu[1].dropFrom = 0;
    s.cpu[1].xenCurrentCr3 = 0;
    s.cpu[1].cr3Mm = 0;
    s.cpu[1].mcCr3 = 1;
    m.cur[k.pcSlot + 1 * k.ctlStride] = st.pc;
    expect(m.enabled(st, 1, 0)).toBe(true);
    m.apply(st, 1);
    return { cr3: s.cpu[1].cr3Mm, current: s.cpu[1].xenCurrentCr3, linux: s.cpu[1].xenCr3, queued: s.cpu[1].mcCr3, INIT: e.INIT, NULL: e.NULL, text: st.text };
  };

  it('the handler issues the queued switch (v4.13+) or switches the hypervisor CR3 to swapper_pg_dir (2.6.24-4.12)', () => {
    const now = dr2({});
    expect([now.cr3, now.current, now.queued]).toEqual([1, 1, now.NULL]);
    expect(now.text).toContain('xen_mc_flush()');
    const old = dr2({ xenHandlerLoadsSwapper: true });
    expect([old.cr3, old.current, old.linux, old.queued]).toEqual([old.INIT, old.INIT, old.INIT, old.NULL]);
    expect(old.text).toContain('load_cr3(swapper_pg_dir)');
  });

  it('v2.6.24 and v4.12 (shape A, load_cr3 handler, leave_mm BUG checked) are ok; v2.6.23 still breaks X1', () => {
    for (const name of ['v2.6.24', 'v4.12']) {
      const r = run({ variant: variant(name), liveness: false });
      expect([name, r.verdict, r.states]).toEqual([name, 'ok', 5562]);
      expect(r.program.instance.flags.xenHandlerLoadsSwapper).toBe(true);
    }
    expect(run({ variant: variant('v2.6.23'), liveness: false }).property).toBe('X1');
  });

  it('shape A: leave_mm from the drop handler on a CPU that is not lazy is the BUG(), as in v4.13+ the WARN', () => {
    // A drop handler that finds this CPU running the mm it drops (not lazy): shape A's leave_mm BUG()s.
    const prog = compile(instantiate(model, allProperties, { variant: variant('v4.12') }));
    const m = new Machine(prog);
    m.init();
    const st = prog.steps.find((s) => s.name === 'drop_mm_ref_this_cpu:DR1')!;
    const k = prog.actorKinds.find((a) => a.name === 'cpu')!;
    const s = m.view;
    s.cpu[0].putMm = s.cpu[1].loadedMm;
    s.cpu[1].dropFrom = 0;
    s.cpu[1].isLazy = false;
    m.cur[k.pcSlot + 1 * k.ctlStride] = st.pc;
    expect(m.enabled(st, 1, 0)).toBe(true);
    m.apply(st, 1);
    expect(m.violation?.reason).toBe('cpu1 ran leave_mm while not lazy');
  });
});
