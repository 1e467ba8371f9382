// The x86 lazy-TLB model: mainline verdicts under SC and TSO (regression pins), one test per catalog
// entry TLB-1 … TLB-5 (the buggy kernel violates the catalog's property with a shortest trace through
// the catalog's interleaving; the fixed kernel is ok from the same start), the TSO handshake H2, and
// the reductions (own fields and invariant reads respected; partial-order and symmetry reduction
// reach the same verdict as the full search, with pinned state counts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.ts';
import { verifyFootprints } from '../../src/engine/verify.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import model from '../../models/x86-lazy-tlb/model.ts';
import { x86LazyTlbVariants } from '../../models/x86-lazy-tlb/variants/index.ts';
import { allProperties } from '../../properties/index.ts';
import { itReducesSoundly, type ReductionRow } from '../helpers/reductions.ts';
import { expectInOrder, steps } from '../helpers/trace-steps.ts';

type Opts = Parameters<typeof check>[2];
const run = (opts: Opts = {}) => check(model, allProperties, { maxSeconds: 60, ...opts });
const variant = (name: string) => x86LazyTlbVariants.find((v) => v.name === name)!;

describe('x86-lazy-tlb mainline', () => {
  it('default scope under SC: ok, complete', () => {
    const r = run();
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(174279);
  });

  it('default scope under TSO: ok, complete', () => {
    const r = run({ memory: 'tso' });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(293831);
  });

  it('every property of the family is bound, with the ids of the domain guide', () => {
    const r = run({ params: { changes: 0, switches: 0 } });
    expect(r.properties).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9']);
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

  it('finding: v4.14-v6.13 clear prev\'s bit before the CR3 write again (the TLB-1 window, P3)', () => {
    const r = run({ variant: variant('v4.14') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(11);
    expectInOrder(r, ['cpu1 context_switch:CS1', 'cpu1 switch_mm_irqs_off:CLRPREV', 'cpu0 flush_tlb_mm_range:F5', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 change_ptes:FREE']);
  });

  it('TLB-3: exec_mmap read active_mm before a preemption that dropped it (P5); d53c3dfb23c4 fixes it', () => {
    const r = run({ variant: variant('v5.9') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P5');
    expect(r.trace!.length).toBe(20);
    expectInOrder(r, ['cpu0 exec_mmap:EX1', 'cpu0 preempt:PREEMPT', 'cpu0 context_switch:CS1 (next=1)', 'cpu0 context_switch:CS6', 'cpu0 mmdrop:MD1', 'cpu0 context_switch:CS1 (next=3)', 'cpu0 context_switch:CS4k', 'cpu0 exec_mmap:EX3']);
    expect(run({ variant: variant('v5.10') }).verdict).toBe('ok');
  });

  it('TLB-4: flush_tlb_range without freed_tables skipped a lazy CPU before the table was freed (P3); 3ef938c35035 fixes it', () => {
    const r = run({ variant: variant('pre-3ef938c35035') });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P3');
    expect(r.trace!.length).toBe(10);
    expectInOrder(r, ['cpu0 change_ptes:F0 (op=1)', 'cpu0 flush_tlb_mm_range:F2', 'cpu0 flush_tlb_mm_range:SF1', 'cpu0 flush_tlb_mm_range:SF2', 'cpu0 flush_tlb_mm_range:F7', 'cpu0 change_ptes:FREE']);
    const fixed = run({ variant: variant('3ef938c35035') });
    expect(fixed.verdict).toBe('ok');
    expect(fixed.states).toBe(256781);
    // v6.13 (shape D, tlb_is_not_lazy) has the same bug
    const d = run({ variant: variant('v6.13') });
    expect([d.verdict, d.property, d.trace!.length]).toEqual(['violation', 'P3', 9]);
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
    expect(fixed.states).toBe(196769);
  });
});

describe('lazy mm reference schemes', () => {
  it('SHOOTDOWN on the x86 skeleton: a lazy CPU that T4 moved to init_mm loses its mask bit (T1), so the final mmdrop misses it (P6)', () => {
    const r = run({ flags: { lazyRefs: 'shootdown' } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('P6');
    expectInOrder(r, ['cpu0 context_switch:CS4k', 'cpu0 flush_tlb_func:T4', 'cpu0 flush_tlb_func:T1', 'cpu1 exit_mmap:EXM2', 'cpu1 mmdrop:MD1', 'cpu1 mmdrop:MD2']);
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

  // configuration: the full search's verdict, property and states; the states stored with partial-order
  // and symmetry reduction together (for a violation: the states stored when it was found)
  const table: ReductionRow[] = [
    ['mainline', 'ok', undefined, 174279, 87142],
    ['v2.6.39', 'violation', 'P3', 2491, 1327],
    ['v3.0', 'ok', undefined, 89657, 44943],
    ['v4.13', 'violation', 'P3', 387, 383],
    ['v4.14', 'violation', 'P3', 722, 709],
    ['v5.9', 'violation', 'P5', 335, 261],
    ['v5.10', 'ok', undefined, 869, 435],
    ['v6.13', 'violation', 'P3', 554, 544],
    ['v6.14', 'violation', 'P3', 9562, 8334],
    ['pre-fea4e317f9e7', 'violation', 'P1', 13826, 12618],
    ['fea4e317f9e7', 'ok', undefined, 196769, 196635],
    ['pre-3ef938c35035', 'violation', 'P3', 898, 879],
    ['3ef938c35035', 'ok', undefined, 256781, 166706],
    ['no-sw3c-fence', 'violation', 'P1', 22365, 20357],
  ];
  itReducesSoundly(model, x86LazyTlbVariants, table);
});
