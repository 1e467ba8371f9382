// The x86 lazy-TLB model: mainline verdicts under SC and TSO (regression pins), one test per catalog
// entry TLB-1 … TLB-5 (the buggy kernel violates the catalog's property with a shortest trace through
// the catalog's interleaving; the fixed kernel is ok from the same start), the TSO handshake H2, and
// the reductions (own fields and invariant reads respected; partial-order and symmetry reduction
// reach the same verdict as the full search, with pinned state counts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { step } from '../../src/lang/model.ts';
import { defineVariant, patch, remove, replace } from '../../src/lang/variant.ts';
import * as api from '../../models/x86-lazy-tlb/api.ts';
import { x86Env } from '../../models/x86-lazy-tlb/api.ts';
import model from '../../models/x86-lazy-tlb/model.ts';
import xenPv from '../../models/xen-pv/model.ts';
import { lazyTlbFlags, lazyTlbParams } from '../../models/x86-lazy-tlb/config.ts';
import { flushPcid, makeEnv, nativeHardware } from '../../models/x86-lazy-tlb/env.ts';
import { funcDone } from '../../models/x86-lazy-tlb/flush.ts';
import { contextSwitch } from '../../models/x86-lazy-tlb/sched.ts';
import { x86LazyTlbVariants } from '../../models/x86-lazy-tlb/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import { property } from '../../src/lang/property.ts';
import { itReducesSoundly, type ReductionRow } from '../helpers/reductions.ts';
import { expectInOrder, steps } from '../helpers/trace-steps.ts';
import { loadVariantFile } from '../../src/cli/load.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Opts = Parameters<typeof check>[2];
const run = (opts: Opts = {}) => check(model, allProperties, { maxSeconds: 60, ...opts });
const variant = (name: string) => x86LazyTlbVariants.find((v) => v.name === name)!;
// pinned full-search state counts (no reduction)
const MAINLINE_SC = 219680;
const MAINLINE_TSO = 382202;
const MAINLINE_IMMEDIATE = 130309;
const V612PV = 314439;
const KU_STATES = 7953;
const TEMP_STATES = 140883;
const TEMP3_STATES = 226459;
const TWO_PAGES_STATES = 84475;
const HOTPLUG_STATES = 29778;
const HOTPLUG_SHOOTDOWN_STATES = 37454;
const KTHREAD_FLUSH_STATES = 122302;
const KTHREAD_FLUSH_REDUCED = 60908;
const KU_WINDOW_STATES = 291472;
const KU_IRQS_ON_STATES = 306184;

describe('x86-lazy-tlb mainline', () => {
  it('default scope under SC: ok, complete', () => {
    const r = run();
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(MAINLINE_SC);
  });

  it('default scope under TSO: ok, complete', () => {
    const r = run({ memory: 'tso' });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(MAINLINE_TSO);
  });

  it('every property of the family is bound, with the ids of the domain guide', () => {
    const r = run({ params: { changes: 0, switches: 0 } });
    // The safety properties, then the liveness ones (properties/liveness.ts): every flush and exit_mmap returns.
    expect(r.properties).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P7e', 'P8', 'P9', 'FLUSH-RETURNS', 'EXIT-MMAP-RETURNS']);
  });
});

describe('bugs.md catalog', () => {
  it('TLB-1: shape A cleared prev\'s mm_cpumask bit before the CR3 write (P3); 831d52bc1539 fixes it', () => {
    const r = run({ variant: variant('v2.6.39') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(11);
    expectInOrder(r, ['cpu0 context_switch:CS1 (next=1)', 'cpu0 switch_mm_irqs_off:CLRPREV', 'cpu1 change_ptes:F0 (op=1)', 'cpu1 flush_tlb_mm_range:F2', 'cpu1 flush_tlb_mm_range:F5', 'cpu1 flush_tlb_mm_range:F7', 'cpu1 change_ptes:FREE']);
    expect(steps(r).some((s) => s.startsWith('cpu0 switch_mm_irqs_off:R1'))).toBe(false);
    expect(run({ variant: variant('v3.0') }).verdict).toBe('ok');
  });

  it('TLB-2: v4.13 lazy CPUs left mm_cpumask and got no flush before a table was freed (P3); v4.14 fixes that race', () => {
    const r = run({ variant: variant('v4.13') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(8);
    expectInOrder(r, ['cpu0 change_ptes:F0 (op=1)', 'cpu0 flush_tlb_mm_range:F2', 'cpu0 flush_tlb_mm_range:F5', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 change_ptes:FREE']);
    expect(steps(r).some((s) => s.startsWith('cpu1'))).toBe(false);
    // v4.14 with the lazy CPU staying put: the flush reaches it (T4 switches it to init_mm)
    expect(run({ variant: variant('v4.14'), params: { switches: 0 } }).verdict).toBe('ok');
  });

  it('finding: v4.14-v4.19 on bare metal clear prev\'s bit before the CR3 write and free the retracted table at once (the TLB-1 window, P3); RCU-deferred freeing would close it', () => {
    const r = run({ variant: variant('v4.14') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(11);
    expectInOrder(r, ['cpu1 context_switch:CS1', 'cpu1 switch_mm_irqs_off:CLRPREV', 'cpu0 flush_tlb_mm_range:F5', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 change_ptes:FREE']);
    // the switcher is still before its CR3 write, with IRQs off
    expect(steps(r).some((x) => x.startsWith('cpu1 switch_mm_irqs_off:R1'))).toBe(false);
    // the same switch with the frees RCU-deferred: the IRQs-off window holds off the grace period
    expect(run({ variant: variant('v4.14'), flags: { tableFree: 'rcu', collapseTableFree: 'rcu' } }).verdict).toBe('ok');
  });

  it('finding: a v4.20-v6.13 stable kernel with 3ef938c35035 (6.12.y) on bare metal: exit_mmap frees the table right after the flush while a CPU leaving the mm is in the window (P3); as a paravirt guest (tlb_remove_table, RCU) it is ok', () => {
    const r = run({ variant: variant('v6.12.y') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(21);
    expectInOrder(r, ['cpu0 exit_mm:EM5', 'cpu0 exit_mmap:EXM1', 'cpu1 switch_mm_irqs_off:CLRPREV', 'cpu0 flush_tlb_mm_range:F5', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 exit_mmap:EXM2']);
    expect(steps(r).at(-1)).toBe('cpu0 exit_mmap:EXM2');
    expect(steps(r).some((x) => x.startsWith('cpu1 switch_mm_irqs_off:R1'))).toBe(false);
    const pv = run({ variant: variant('v6.12.y-pv') });
    expect([pv.verdict, pv.states]).toEqual(['ok', V612PV]);
  });

  it('TLB-1 needed the immediate free of its time: with RCU-deferred freeing the IRQs-off window of v2.6.39 holds the free off', () => {
    expect(run({ variant: variant('v2.6.39'), flags: { tableFree: 'rcu', collapseTableFree: 'rcu' } }).verdict).toBe('ok');
  });

  it('TLB-3: exec_mmap read active_mm before a preemption that dropped it (P5); d53c3dfb23c4 fixes it', () => {
    const r = run({ variant: variant('v5.9') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P5');
    expect(r.trace!.length).toBe(20);
    expectInOrder(r, ['cpu0 exec_mmap:EX1', 'cpu0 preempt:PREEMPT', 'cpu0 context_switch:CS1 (next=1)', 'cpu0 context_switch:CS6', 'cpu0 mmdrop:MD1', 'cpu0 context_switch:CS1 (next=3)', 'cpu0 context_switch:CS4k', 'cpu0 exec_mmap:EX3']);
    expect(run({ variant: variant('v5.10') }).verdict).toBe('ok');
  });

  it('v5.9 also has TLB-4 (flush_tlb_range without freed_tables until 3ef938c35035): P3 from two CPUs, as its variant declares', () => {
    const r = run({ variant: variant('v5.9'), params: { cpus: 2 }, symmetry: true, por: true });
    expect([r.verdict, r.property]).toEqual(['violation', 'P3']);
    expect(variant('v5.9').violates).toEqual(['P5', 'P3']);
    // the flush that skips the lazy CPU, then the free of the page-table page
    const names = r.trace!.map((t) => `${t.procedure}:${t.label}`);
    expect(names.indexOf('flush_tlb_mm_range:F2')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('flush_tlb_mm_range:F2')).toBeLessThan(names.indexOf('change_ptes:FREE'));
  });

  it('TLB-4: flush_tlb_range without freed_tables skipped a lazy CPU before the table was freed (P3); 3ef938c35035 fixes it', () => {
    const r = run({ variant: variant('pre-3ef938c35035') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(12);
    // pte_free_defer: the skipped lazy CPU (IRQs on) passes a quiescent state, the grace period ends
    expectInOrder(r, ['cpu0 change_ptes:F0 (op=1)', 'cpu0 flush_tlb_mm_range:F2', 'cpu0 flush_tlb_mm_range:SF1', 'cpu0 flush_tlb_mm_range:SF2', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 change_ptes:FREE', 'cpu1 rcu:QS']);
    expect(steps(r).filter((x) => x.includes('rcu:QS'))).toHaveLength(2);
    expect(steps(r).at(-1)).toMatch(/rcu:QS$/);
    const fixed = run({ variant: variant('3ef938c35035') });
    expect(fixed.verdict).toBe('ok');
    expect(fixed.states).toBe(342220);
    // v6.13 (shape D, tlb_is_not_lazy) has the same bug
    const d = run({ variant: variant('v6.13') });
    expect([d.verdict, d.property, d.trace!.length]).toEqual(['violation', 'P3', 11]);
  });

  it('TLB-5: should_flush_tlb skipped a CPU in the LOADED_MM_SWITCHING window (P1); fea4e317f9e7 fixes it', () => {
    const r = run({ variant: variant('pre-fea4e317f9e7') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P1');
    expect(r.trace!.length).toBe(18);
    expectInOrder(r, [
      'cpu0 change_ptes:F0 (op=0)',
      'cpu1 switch_mm_irqs_off:SW3b',
      'cpu1 switch_mm_irqs_off:SW3c',
      'cpu1 switch_mm_irqs_off:SW3d',
      'cpu0 flush_tlb_mm_range:F2',
      'cpu0 flush_tlb_mm_range:SF1',
      'cpu0 flush_tlb_mm_range:SF2',
      'cpu0 flush_tlb_mm_range:F7',
      'cpu1 switch_mm_irqs_off:R1',
      'cpu1 switch_mm_irqs_off:R2',
      'cpu1 user:ACCESS',
    ]);
    const fixed = run({ variant: variant('fea4e317f9e7') });
    expect(fixed.verdict).toBe('ok');
    expect(fixed.states).toBe(295490);
  });
});

describe('RCU-deferred page-table freeing (mmu_gather tlb_remove_table, pte_free_defer)', () => {
  it('mainline is ok with the frees deferred and with them immediate (its switch never gives up the mask bit early)', () => {
    const r = run({ flags: { tableFree: 'immediate', collapseTableFree: 'immediate' } });
    expect([r.verdict, r.states]).toEqual(['ok', MAINLINE_IMMEDIATE]);
  });
});

describe('NMIs (P9)', () => {
  // without LOADED_MM_SWITCHING (before 4012e77a903d) nmi_uaccess_okay() sees loaded_mm == current->mm
  // between the CR3 write and loaded_mm = next
  const noSwitching = defineVariant({ model: 'x86-lazy-tlb', name: 'no-sw3b', description: 'mainline without loaded_mm = LOADED_MM_SWITCHING', edits: [replace('switch_mm_irqs_off:SW3b', step('SW3b', 'no LOADED_MM_SWITCHING store (before 4012e77a903d)', {}))], violates: ['P9'] });

  it('an NMI inside switch_mm_irqs_off between R1 and R2 uses the new CR3 for the old current->mm when SW3b is missing (P9)', () => {
    const r = run({ variant: noSwitching });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P9');
    expectInOrder(r, ['cpu0 context_switch:CS1', 'cpu0 switch_mm_irqs_off:R1', 'cpu0 nmi:NMI']);
    expect(steps(r).at(-1)).toBe('cpu0 nmi:NMI');
    expect(steps(r).at(-2)).toBe('cpu0 switch_mm_irqs_off:R1');
  });

  it('open finding P1n (on request): an NMI between enter_lazy_tlb and switch_to reads through a TLB entry the completed flush skipped', () => {
    expect(run({ params: { changes: 0, switches: 0 } }).properties).not.toContain('P1n');
    const r = run({ properties: ['P1n'] });
    expect([r.verdict, r.property, r.trace!.length, r.states]).toEqual(['violation', 'P1n', 28, 37034]);
    // cpu0 goes lazy with the user task still current; cpu1's flush passes it by (is_lazy) and
    // completes; then the NMI on cpu0
    expectInOrder(r, ['cpu0 context_switch:CS3k', 'cpu1 flush_tlb_mm_range:SF2', 'cpu1 flush_tlb_mm_range:F7', 'cpu0 nmi:NMI']);
    expect(steps(r).at(-1)).toBe('cpu0 nmi:NMI');
    expect(steps(r).filter((x) => x.startsWith('cpu0')).at(-2)).toBe('cpu0 context_switch:CS3k');
    expect(r.reason).toMatch(/^an NMI on cpu0 finds nmi_uaccess_okay\(\) and reads page 0 of mm1 through a TLB entry of page-table version 0, but a flush covering version 1 has completed$/);
  });

  it('P1n: nmi_uaccess_okay() testing is_lazy (candidate fix) closes the window under SC and TSO; Xen PV flushes lazy vCPUs and is ok', () => {
    expect(run({ properties: ['P1n'], flags: { nmiChecksLazy: true } }).verdict).toBe('ok');
    expect(run({ properties: ['P1n'], flags: { nmiChecksLazy: true }, memory: 'tso' }).verdict).toBe('ok');
    const xen = check(xenPv, allProperties, { properties: ['P1n'], maxSeconds: 60, por: true, symmetry: true });
    expect([xen.verdict, xen.states]).toEqual(['ok', 73533]);
  });

  it('the NMI step adds transitions, not states', () => {
    const r = run();
    const without = run({ variant: defineVariant({ model: 'x86-lazy-tlb', name: 'no-nmi', description: 'no NMIs', edits: [remove('nmi:NMI')], violates: [] }) });
    expect([r.verdict, without.verdict]).toEqual(['ok', 'ok']);
    expect(without.states).toBe(r.states);
    expect(r.transitions).toBeGreaterThan(without.transitions);
  });
});

describe('P7e (belief soundness)', () => {
  // flush_tlb_func that records mm->context.tlb_gen in ctxs[] without flushing
  const e = makeEnv({ ...Object.fromEntries(Object.entries(lazyTlbParams).map(([k, v]) => [k, v.default])) }, Object.fromEntries(Object.entries(lazyTlbFlags).map(([k, v]) => [k, v.default])), nativeHardware);
  const noFlush = defineVariant({
    model: 'x86-lazy-tlb',
    name: 'record-without-flush',
    description: 'flush_tlb_func records the generation but flushes nothing',
    edits: [
      replace('flush_tlb_func:T9', step('T9', 'ctxs[asid].tlb_gen = mm_tlb_gen (no flush)', {
        fence: true,
        do: (s: any, c: number, x) => {
          const me = s.cpu[c];
          me.ctxs[me.loadedAsid].tlbGen = s.mm[me.loadedMm].tlbGen;
          funcDone(s, c, e);
          x.ret();
        },
      })),
    ],
    violates: ['P7e'],
  });

  it('a flush that records the generation without flushing breaks P7e at once, before any stale use (P1)', () => {
    const r = run({ variant: noFlush, params: { switches: 1 } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P7e');
    expect(steps(r).at(-1)).toMatch(/flush_tlb_func:T9$/);
  });

  // two pages, two changes: one CPU's PTE store to page 1 lands before another CPU's flush of page 0
  // increments tlb_gen; that flush (a partial flush, new_tlb_gen == local + 1) covers page 0 only
  const twoPages = { pages: 2, changes: 2, switches: 1, exits: 0 };

  it('a flush covers its own range: another CPU\'s store to a page whose flush has not incremented tlb_gen yet is no stale belief (ok, pages=2 changes=2)', () => {
    const r = run({ params: twoPages });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(TWO_PAGES_STATES);
  });

  it('a partial flush without new_tlb_gen == local + 1 leaves the other page of an earlier generation stale: P7e', () => {
    const partialAlways = defineVariant({
      model: 'x86-lazy-tlb',
      name: 'partial-flush-always',
      description: 'flush_tlb_func flushes only f\'s page even when other generations are pending',
      edits: [
        replace('flush_tlb_func:T9', step('T9', 'partial flush whenever f->end != TLB_FLUSH_ALL', {
          fence: true,
          do: (s: any, c: number, x) => {
            const me = s.cpu[c];
            const f = s.cpu[me.ftFrom];
            const a = me.loadedAsid;
            const mmGen = s.mm[me.loadedMm].tlbGen;
            if (f.fGen > me.ctxs[a].tlbGen && me.ctxs[a].tlbGen < mmGen) {
              flushPcid(s, c, me.cr3Asid, f.fPage, e);
              me.ctxs[a].tlbGen = mmGen;
            }
            funcDone(s, c, e);
            x.ret();
          },
        })),
      ],
      violates: ['P7e'],
    });
    const r = run({ variant: partialAlways, params: twoPages });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P7e');
    expect(steps(r).at(-1)).toMatch(/flush_tlb_func:T9$/);
  });
});

describe('kthread_use_mm with preemption (kthreadUseMm + kthreadUseMmPreempt scope)', () => {
  const params = { cpus: 1, switches: 3 };
  const flags = { kthreadUseMm: true, kthreadUseMmPreempt: true };

  it('a kthread preempted between kthread_use_mm and kthread_unuse_mm is switched back in like a user task: ok', () => {
    const r = run({ params, flags });
    expect([r.verdict, r.states]).toEqual(['ok', KU_STATES]);
  });

  it('switching it back in without switch_mm_irqs_off (as a lazy kthread) runs its uaccess on another CR3 (P1)', () => {
    const e = makeEnv({ ...Object.fromEntries(Object.entries(lazyTlbParams).map(([k, v]) => [k, v.default])), ...params }, { ...Object.fromEntries(Object.entries(lazyTlbFlags).map(([k, v]) => [k, v.default])), ...flags }, nativeHardware);
    const cs1 = contextSwitch(e).steps[0];
    const lazyResume = defineVariant({
      model: 'x86-lazy-tlb',
      name: 'ku-resume-lazy',
      description: 'the kthread_use_mm kthread is switched in as a lazy kthread',
      edits: [
        replace('context_switch:CS1', {
          ...cs1,
          do: (s: any, c: number, x) => {
            if (x.choice !== e.M + 1) return cs1.do!(s, c, x);
            const me = s.cpu[c];
            me.irqsOn = false;
            me.switches = me.switches - 1;
            me.csNext = e.KTHREAD;
            me.csKu = true;
            x.goto('CS6');
          },
        }),
      ],
      violates: ['P1'],
    });
    const r = run({ params, flags, variant: lazyResume });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P1');
    expectInOrder(r, ['cpu0 kthread_use_mm:KU8', 'cpu0 context_switch:CS1 (next=1)', 'cpu0 context_switch:CS1 (next=3)', 'cpu0 user:ACCESS']);
  });
});

describe('temporary mms (temporaryMm scope: text_poke_mm / efi_mm, notrack)', () => {
  const flags = { temporaryMm: true };

  it('use_temporary_mm / unuse_temporary_mm around any task: ok (cold, 2 CPUs; the last mm is the temporary mm)', () => {
    const r = run({ flags });
    expect([r.verdict, r.states]).toEqual(['ok', TEMP_STATES]);
  });

  // P7c without the notrack exemption: unuse_temporary_mm clears the CPU's bit in mm_cpumask(temp_mm)
  // before its switch back writes CR3, so the exemption is what keeps P7c true
  const strictP7c = property({
    name: 'P7c-strict',
    statement: 'mm_cpumask covers every CPU whose CR3 holds the mm, notrack mms included',
    ref: 'test',
    models: ['x86-lazy-tlb'],
    check: (s: any, _g, p) => {
      for (let c = 0; c < p.cpus; c++) if (s.cpu[c].cr3Mm < p.mms && !(s.mm[s.cpu[c].cr3Mm].cpumask & (1 << c))) return `cpu${c}`;
      return null;
    },
  });

  it('the P7c exemption for notrack mms is needed: unuse_temporary_mm clears the bit before the CR3 write', () => {
    const r = check(model, [strictP7c], { maxSeconds: 60, flags });
    expect(r.verdict).toBe('violation');
    expect(steps(r).at(-1)).toMatch(/use_temporary_mm:TM4$/);
    expectInOrder(r, ['cpu0 use_temporary_mm:TM1', 'cpu0 use_temporary_mm:TM2', 'cpu0 switch_mm_irqs_off:R1', 'cpu0 use_temporary_mm:TM3', 'cpu0 use_temporary_mm:TM4']);
  });

  // an EFI call (IRQs on) takes a flush IPI of the user mm it borrowed from: T1 trims the CPU's bit,
  // and the switch back sets it again before its CR3 write (P7c holds throughout, see the ok above)
  const trimmedOnTemp = property({
    name: 'REACH',
    statement: 'a CPU on the temporary mm with IRQs on lost its bit in the mask of the mm it goes back to',
    ref: 'test',
    models: ['x86-lazy-tlb'],
    check: (s: any, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        // use_temporary_mm is an entry procedure: its frame is level 0 of the CPU's control stack
        const prev = s.$ctl.cpu[c].frame[0].use_temporary_mm.prev;
        if (me.loadedMm === p.mms - 1 && me.irqsOn && prev >= 0 && prev < p.mms - 1 && !(s.mm[prev].cpumask & (1 << c))) return `cpu${c}`;
      }
      return null;
    },
  });

  it('reachable: a flush IPI taken during an EFI call on efi_mm trims the borrowed user mm\'s bit (T1)', () => {
    // three mms: two user mms (mm1 has two threads, one on each CPU) and the temporary mm
    const params = { mms: 3, exits: 0 };
    const r = check(model, [trimmedOnTemp], { maxSeconds: 60, flags, params });
    expect(r.verdict).toBe('violation');
    const tm = steps(r).find((x) => x.includes('use_temporary_mm:TM2'))!.slice(0, 4);
    expectInOrder(r, [`${tm} use_temporary_mm:TM2`, `${tm} use_temporary_mm:TM3 (irqs=1)`, `${tm} ipi:FLUSH`, `${tm} flush_tlb_func:T1`]);
    const full = run({ flags, params });
    expect([full.verdict, full.states]).toEqual(['ok', TEMP3_STATES]);
  });
});

describe('lazy mm reference schemes', () => {
  // Genuine, not a modelling error: x86's mm_cpumask follows loaded_mm, and T4 moves a lazy CPU to
  // init_mm without touching current->active_mm, so the Kconfig requirement of MMU_LAZY_TLB_SHOOTDOWN
  // (mm_cpumask covers every CPU lazy on the mm) does not hold on x86 (see doShootLazyTlb)
  it('SHOOTDOWN on the x86 skeleton (genuine: x86 does not meet its Kconfig requirement): a lazy CPU that T4 moved to init_mm keeps active_mm but loses its mask bit (T1), so the final mmdrop misses it (P6)', () => {
    const r = run({ flags: { lazyRefs: 'shootdown' } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P6');
    expectInOrder(r, ['cpu0 context_switch:CS4k', 'cpu0 flush_tlb_func:T4', 'cpu0 flush_tlb_func:T1', 'cpu1 exit_mmap:EXM2', 'cpu1 mmdrop:MD1', 'cpu1 mmdrop:MD2']);
  });
});

describe('CPU hotplug (hotplug=true): an offline CPU is still lazy on its idle task\'s active_mm until finish_cpu', () => {
  // no page-table changes: the SHOOTDOWN scheme's x86 mask gap above needs a flush
  const params = { changes: 0 };

  it('mainline: sched_force_init_mm drops the lazy mm while the CPU is online, finish_cpu the init_mm reference (REFCOUNT and SHOOTDOWN ok)', () => {
    const r = run({ flags: { hotplug: true }, params });
    expect([r.verdict, r.states]).toEqual(['ok', HOTPLUG_STATES]);
    const sd = run({ flags: { hotplug: true, lazyRefs: 'shootdown' }, params });
    expect([sd.verdict, sd.states]).toEqual(['ok', HOTPLUG_SHOOTDOWN_STATES]);
  });

  it('before sched_force_init_mm (idle_task_exit after __cpu_disable) under SHOOTDOWN: the offline CPU lost its mask bit while lazy, so the final mmdrop misses it (P6)', () => {
    const r = run({ flags: { hotplug: true, hotplugForceInitMm: false, lazyRefs: 'shootdown' }, params, properties: ['P6'] });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P6');
    expect(r.reason).toBe('final mmdrop of mm0: cpu1 (offline) uses it as active_mm but is not in mm_cpumask');
    expectInOrder(r, ['cpu1 cpu_down:HP2', 'cpu0 mmdrop:MD1', 'cpu0 mmdrop:MD2']);
    expect(steps(r).some((x) => x.startsWith('cpu1 cpu_down:HP3'))).toBe(false);
  });
});

describe('kernel-thread flush initiators (kthreadFlush: khugepaged collapse, kswapd reclaim)', () => {
  const flags = { kthreadFlush: true };
  const params = { exits: 0 };

  it('mainline: a kthread lazy on a user mm or on init_mm changes and flushes it: ok', () => {
    const r = run({ flags, params });
    expect([r.verdict, r.states]).toEqual(['ok', KTHREAD_FLUSH_STATES]);
  });

  // reachability monitors: each fails at the first state where the named initiator completed a flush
  const reach = (name: string, statement: string, hit: (s: any, c: number, m: number, M: number) => boolean) =>
    property({ name, statement, ref: 'test', models: ['x86-lazy-tlb'], on: { FlushDone: (s: any, _g, x, c, m) => { if (hit(s, c, m, s.mm.length)) x.fail(name); } } });
  // a remote target flushes (T9) for a khugepaged initiator running on init_mm
  const fromInitMm = property({
    name: 'KH-INIT',
    statement: 'another CPU flushes for khugepaged running on init_mm',
    ref: 'test',
    models: ['x86-lazy-tlb'],
    on: {
      Flushed: (s: any, _g, x, d, m) => {
        const k = s.cpu[d].ftFrom;
        const M = s.mm.length;
        if (k !== d && k < s.cpu.length && s.cpu[k].currKthread && s.cpu[k].currMm === M + 2 && s.cpu[k].putMm === m && s.cpu[k].loadedMm === M) x.fail('KH-INIT');
      },
    },
  });
  const lazyBatch = reach('KS-LAZY', 'kswapd lazy on the mm completes its batched flush, having left it (the local flush_tlb_func switched it to init_mm)', (s, c, m, M) => s.cpu[c].currKthread && s.cpu[c].currMm === M + 2 && s.cpu[c].batchMm === m && s.cpu[c].loadedMm === M && s.cpu[c].activeMm === m);

  it('reachable: khugepaged on init_mm flushes a user mm running on the other CPU; kswapd lazy on the mm leaves it through its own local flush', () => {
    const a = check(model, [fromInitMm], { maxSeconds: 60, flags, params });
    expect([a.verdict, a.property]).toEqual(['violation', 'KH-INIT']);
    const o = steps(a).at(-1)!.slice(0, 4);
    const k = o === 'cpu0' ? 'cpu1' : 'cpu0';
    // freed_tables: every CPU of the mask is IPIed (no should_flush_tlb); the initiator on init_mm is not in it
    expectInOrder(a, [`${o} context_switch:CS1 (next=0)`, `${k} collapse_pte_mapped_thp:KH1`, `${k} flush_tlb_mm_range:F2`, `${k} flush_tlb_mm_range:F5`, `${k} flush_tlb_mm_range:SF1`, `${o} ipi:FLUSH`, `${o} flush_tlb_func:T1`, `${o} flush_tlb_func:T9`]);
    expect(steps(a).at(-1)).toBe(`${o} flush_tlb_func:T9`);
    const b = check(model, [lazyBatch], { maxSeconds: 60, flags, params });
    expect([b.verdict, b.property]).toEqual(['violation', 'KS-LAZY']);
    const j = steps(b).at(-1)!.slice(0, 4);
    // F6: only this CPU in the batch mask: flush_tlb_func runs locally and, lazy, switches to init_mm
    expectInOrder(b, [`${j} context_switch:CS3k`, `${j} shrink_folio_list:KS1`, `${j} shrink_folio_list:BA`, `${j} arch_tlbbatch_flush:BF`, `${j} arch_tlbbatch_flush:F5`, `${j} arch_tlbbatch_flush:FL`, `${j} flush_tlb_func:T1`, `${j} flush_tlb_func:T4`, `${j} switch_mm_irqs_off:R2`, `${j} arch_tlbbatch_flush:F7`]);
  });

  it('the example patch of docs/language.md (owner-only-local-flush, written against api.ts) loads as a variant file and reports P3: the lazy khugepaged CPU skipped its own flush', async () => {
    // the doc's code block, as a user would save it outside the repository (imports lazytlb/...)
    const doc = readFileSync('docs/language.md', 'utf8');
    const code = doc.slice(doc.indexOf('### x86-lazy-tlb: the variant API')).split('```ts\n')[1].split('```')[0];
    expect(code).toContain("from 'lazytlb/models/x86-lazy-tlb/api.ts'");
    const dir = mkdtempSync(join(tmpdir(), 'lazytlb-x86-api-'));
    const file = join(dir, 'owner-only-local-flush.ts');
    writeFileSync(file, code);
    const shippedCopy = await loadVariantFile('models/x86-lazy-tlb/examples/owner-only-local-flush.ts', 'x86-lazy-tlb');
    for (const v of [await loadVariantFile(file, 'x86-lazy-tlb'), shippedCopy]) {
      const r = run({ variant: v });
      expect([r.verdict, r.property, r.trace!.length]).toEqual(['violation', 'P3', 20]);
      expect(r.reason).toBe("cpu0 has CR3 on mm0 and its paging-structure cache still points into mm0's freed page-table page");
      expectInOrder(r, ['cpu0 context_switch:CS3k', 'cpu0 collapse_pte_mapped_thp:KH1 (mm=mm0)', 'cpu0 flush_tlb_mm_range:F5 (trim=0)', 'cpu0 flush_tlb_mm_range:FL', 'cpu0 collapse_pte_mapped_thp:FREE', 'cpu0 rcu:QS', 'cpu1 rcu:QS']);
      // mainline at that scope is the ok above: there FL's flush_tlb_func switched the CPU to init_mm
      expect(steps(r).some((x) => x.includes('flush_tlb_func'))).toBe(false);
    }
    rmSync(dir, { recursive: true });
  });
});

describe('the variant API (models/x86-lazy-tlb/api.ts)', () => {
  it('the special values are the model\'s encodings, and a helper refuses a state of another scope than its x86Env', () => {
    const e = x86Env();
    const s = { mm: [0, 0], cpu: [0, 0] };
    expect([api.initMm(s), api.loadedMmSwitching(s), api.nullMm(s), api.kthreadNext(s), api.noCpu(s)]).toEqual([e.INIT, e.SWITCHING, e.NULL, e.KTHREAD, e.NOCPU]);
    // T9 patched to call flushPcid with the default scope's configuration, checked at mms=3
    const t9 = api.shippedStep('flush_tlb_func:T9', e);
    const v = defineVariant({ model: 'x86-lazy-tlb', name: 'wrong-env', description: 'a helper called with another scope\'s env', edits: [patch('flush_tlb_func:T9', { do: (st: any, c: number, x) => { api.flushPcid(st, c, 0, e.ALL, e); t9.do!(st, c, x); } })], violates: [] });
    const r = run({ variant: v, params: { mms: 3 } });
    expect([r.verdict, r.property]).toEqual(['error', 'model-error']);
    expect(r.reason).toContain("flushPcid: the variant's x86Env is for cpus=2 mms=2 asids=2 pages=1, but the check runs cpus=2 mms=3 asids=2 pages=1: pass the check's params to x86Env");
    // at the scope of its x86Env the same patch checks: an extra flush of the slot is harmless
    expect(run({ variant: v, params: { exits: 0 } }).verdict).toBe('ok');
  });
});

describe('historical shapes', () => {
  const inv = (name: string, statement: string, hit: (me: any, M: number, N: number) => boolean) =>
    property({
      name, statement, ref: 'test', models: ['x86-lazy-tlb'],
      check: (s: any, _g, p) => {
        for (let c = 0; c < p.cpus; c++) if (hit(s.cpu[c], p.mms, p.cpus)) return `cpu${c}`;
        return null;
      },
    });

  // before 38cf307c1f20 (v5.9) kthread_use_mm set tsk->mm with IRQs on; switch_mm() disabled them
  // kuOld is set from KU4 (active_mm = tsk->active_mm) to KU8
  const ipiInKuWindow = inv('KU-WINDOW', 'a flush IPI runs between kthread_use_mm\'s tsk->mm = mm and its switch_mm', (me, M, N) => me.kuMm < M && me.currMm === me.kuMm && me.kuOld !== M + 2 && me.ftFrom < N);
  // one user mm: cpu0 runs its thread, goes lazy on it, then its kthread uses it; cpu1 runs the thread
  const kuParams = { mms: 1, switches: 3, exits: 0 };

  it('kthreadUseMmIrqsOff=false (before v5.9): a flush IPI is taken after tsk->mm = mm and before switch_mm; with the fix IRQs are off there', () => {
    const flags = { kthreadUseMm: true, kthreadUseMmIrqsOff: false };
    const r = check(model, [ipiInKuWindow], { maxSeconds: 60, flags, params: kuParams });
    expect([r.verdict, r.property]).toEqual(['violation', 'KU-WINDOW']);
    const c = steps(r).at(-1)!.slice(0, 4);
    expectInOrder(r, [`${c} kthread_use_mm:KU1`, `${c} kthread_use_mm:KU4`, `${c} ipi:FLUSH`]);
    expect(steps(r).some((x) => x.startsWith(`${c} kthread_use_mm:KU6`))).toBe(false);
    const fixed = check(model, [ipiInKuWindow], { maxSeconds: 60, flags: { kthreadUseMm: true }, params: kuParams });
    expect([fixed.verdict, fixed.states]).toEqual(['ok', KU_WINDOW_STATES]);
  });

  it('kthreadUseMmIrqsOff=false is still ok on x86 (flush_tlb_func goes by loaded_mm, not active_mm), and switch_mm_irqs_off still runs with IRQs off', () => {
    const r = run({ flags: { kthreadUseMm: true, kthreadUseMmIrqsOff: false }, params: kuParams });
    expect([r.verdict, r.states]).toEqual(['ok', KU_IRQS_ON_STATES]);
  });

  // before d53c3dfb23c4 (v5.10) exec_mmap stored tsk->mm with IRQs on; activate_mm's switch_mm disabled them
  const execIrqsOnAfterMm = inv('EX-WINDOW', 'IRQs on after exec_mmap\'s tsk->mm = mm, before activate_mm', (me, M) => me.exHolds && me.exNew < M && me.irqsOn);

  it('execIrqsOff=false (v5.9): IRQs are still on after tsk->mm = mm, until activate_mm; v5.10 disables them first', () => {
    const r = check(model, [execIrqsOnAfterMm], { maxSeconds: 60, variant: variant('v5.9') });
    expect([r.verdict, r.property]).toEqual(['violation', 'EX-WINDOW']);
    expect(steps(r).at(-1)).toBe('cpu0 exec_mmap:EX3');
    const fixed = check(model, [execIrqsOnAfterMm], { maxSeconds: 60, variant: variant('v5.10') });
    expect([fixed.verdict, fixed.states]).toEqual(['ok', 869]);
  });

  // shape A's leave_mm kept cpu_tlbstate.active_mm and TLBSTATE_LAZY: the return to the same mm found
  // the CPU's bit clear and reloaded CR3 (switch_mm's `!cpumask_test_and_set_cpu` branch)
  // switch_mm_irqs_off's prev and need_flush are locals of its frame, at whatever level the call runs
  const reloadSameMm = property({
    name: 'SW2A-RELOAD', statement: 'switch_mm to the mm already loaded reloads CR3', ref: 'test', models: ['x86-lazy-tlb'],
    check: (s: any, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        for (const f of s.$ctl.cpu[c].frame) if (f.switch_mm_irqs_off.prev === me.swNext && me.swNext < p.mms && f.switch_mm_irqs_off.needFlush) return `cpu${c}`;
      }
      return null;
    },
  });

  it('v3.0 (shape A): a flush IPI\'s leave_mm keeps the lazy mm, and the switch back to it takes SW2a\'s reload branch; with the v4.13+ leave_mm (to init_mm) it never runs', () => {
    const r = check(model, [reloadSameMm], { maxSeconds: 60, variant: variant('v3.0') });
    expect([r.verdict, r.property]).toEqual(['violation', 'SW2A-RELOAD']);
    const c = steps(r).at(-1)!.slice(0, 4);
    expectInOrder(r, [`${c} context_switch:CS3k`, `${c} ipi:FLUSH`, `${c} flush_tlb_func:T4`, `${c} context_switch:CS1`, `${c} switch_mm_irqs_off:SW1`, `${c} switch_mm_irqs_off:SW2a`]);
    const old = check(model, [reloadSameMm], { maxSeconds: 60, variant: variant('v3.0'), flags: { shapeA_leaveMmKeepsLazy: false } });
    expect([old.verdict, old.states]).toEqual(['ok', 86933]);
  });
});

describe('memory model', () => {
  it('H2 needs the smp_mb() on the already-set branch of SW3c only under TSO', () => {
    expect(run({ variant: variant('no-sw3c-fence'), memory: 'sc' }).verdict).toBe('ok');
    const r = run({ variant: variant('no-sw3c-fence'), memory: 'tso' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P1');
    expectInOrder(r, ['cpu1 switch_mm_irqs_off:SW3b', 'cpu1 switch_mm_irqs_off:SW3d', 'cpu0 flush_tlb_mm_range:SF1', 'cpu0 flush_tlb_mm_range:F7', 'cpu1 user:ACCESS']);
  });
});

describe('reductions', () => {
  it('every step touches only its own CPU\'s own fields and every invariant only its declared reads (mainline, SC)', () => {
    const fp = verifyFootprints(compile(instantiate(model, allProperties, {})));
    expect(fp.complete).toBe(true);
    expect(fp.problems).toEqual([]);
  });

  it('kthreadFlush: footprints hold, and partial-order and symmetry reduction reach the full search\'s verdicts (mainline ok; the owner-only self-only rule P3, same trace length)', async () => {
    const flags = { kthreadFlush: true };
    const params = { exits: 0 };
    const fp = verifyFootprints(compile(instantiate(model, allProperties, { flags, params })));
    expect(fp.complete).toBe(true);
    expect(fp.problems).toEqual([]);
    const ok = run({ flags, params, por: true, symmetry: true });
    expect([ok.verdict, ok.states]).toEqual(['ok', KTHREAD_FLUSH_REDUCED]);
    const v = await loadVariantFile('models/x86-lazy-tlb/examples/owner-only-local-flush.ts', 'x86-lazy-tlb');
    const full = run({ variant: v });
    const red = run({ variant: v, por: true, symmetry: true });
    expect([red.verdict, red.property, red.trace!.length]).toEqual([full.verdict, full.property, full.trace!.length]);
  }, 600_000);

  // configuration: the full search's verdict, property and states; the states stored with partial-order
  // and symmetry reduction together (for a violation: the states stored when it was found)
  const table: ReductionRow[] = [
    ['mainline', 'ok', undefined, MAINLINE_SC, 109084],
    ['v2.6.39', 'violation', 'P3', 2487, 1325],
    ['v3.0', 'ok', undefined, 83349, 41787],
    ['v4.13', 'violation', 'P3', 387, 380],
    ['v4.14', 'violation', 'P3', 722, 681],
    ['v5.9', 'violation', 'P5', 335, 261],
    ['v5.10', 'ok', undefined, 869, 435],
    ['v6.13', 'violation', 'P3', 995, 960],
    ['v6.12.y', 'violation', 'P3', 10021, 9096],
    ['v6.12.y-pv', 'ok', undefined, V612PV, 225221],
    ['v6.14', 'violation', 'P1', 15880, 14358],
    ['pre-fea4e317f9e7', 'violation', 'P1', 14413, 12996],
    ['fea4e317f9e7', 'ok', undefined, 295490, 293952],
    ['pre-3ef938c35035', 'violation', 'P3', 1494, 1442],
    ['3ef938c35035', 'ok', undefined, 342220, 233031],
    ['no-sw3c-fence', 'violation', 'P1', 23260, 20919],
  ];
  itReducesSoundly(model, x86LazyTlbVariants, table);
});
