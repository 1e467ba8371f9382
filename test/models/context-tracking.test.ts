// Context tracking: the mainline default scope is ok (state count pinned); CT-1 and CT-2 of bugs.md
// are reproduced by their historical variants with the catalog's property and interleaving.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { allProperties } from '../../properties/index.ts';
import model from '../../models/context-tracking/model.ts';
import ct1 from '../../models/context-tracking/variants/v5.8-rc-idtentry-cond-rcu.ts';
import ct2 from '../../models/context-tracking/variants/x86-64-pre-v4.3-syscall.ts';
import { property } from '../../src/lang/property.ts';

const run = (opts: Parameters<typeof check>[2] = {}) => check(model as any, allProperties, opts);
const steps = (r: ReturnType<typeof run>) => (r.trace ?? []).map((t) => `${t.procedure}:${t.label}`);
/** `want` occurs in `got` in order (not necessarily adjacent). */
function inOrder(got: string[], want: string[]): boolean {
  let i = 0;
  for (const g of got) if (i < want.length && g === want[i]) i++;
  return i === want.length;
}

describe('context-tracking', () => {
  it('mainline: every CTP holds on the default scope (1 CPU, nesting 2, NMI-like exceptions inside NMIs)', () => {
    const r = run();
    expect(r.verdict).toBe('ok');
    // 110,736 states without the machine check (below); the #MC source, at every kernel instruction
    // boundary and inside NMIs, multiplies the interleavings of the nesting level.
    expect(r.states).toBe(504258);
  });

  // A probe (not a kernel property): two NMI-like handlers at once (in_nmi() 2), each inside its
  // ct_nmi_enter between NE2 and NE3: a machine check's nested in an NMI's; each frame keeps its own
  // incby (per-frame locals). An NMI inside an IRQ's ct_nmi_enter has in_nmi() 1.
  const twoEnters = property({
    name: 'probe-two-nmi-enters',
    statement: 'never two NMI-like ct_nmi_enter frames between NE2 and NE3',
    ref: 'test probe',
    models: ['context-tracking'],
    check: (s) => {
      const incby: number[] = [];
      for (const fr of s.$ctl.cpu[0].frame) if (fr.ct_nmi_enter.incby > 0) incby.push(fr.ct_nmi_enter.incby);
      return incby.length >= 2 && s.cpu[0].inNmi === 2 ? `incby ${incby.join(', ')} (in_nmi ${s.cpu[0].inNmi}, nmi_nesting ${s.cpu[0].nmiNesting})` : null;
    },
  });

  it('a machine check nests inside an NMI, in the middle of its ct_nmi_enter: both incby kept, counters re-read', () => {
    const r = check(model as any, [...allProperties, twoEnters], { liveness: false });
    expect(r.verdict).toBe('violation');
    expect(steps(r)).toEqual(['nmi:NMI', 'exc_nmi:NM1', 'ct_nmi_enter:NE2', 'mce:MCE', 'exc_machine_check:MC1', 'ct_nmi_enter:NE2']);
    // The NMI came from EQS (incby 1, now watching); the #MC finds RCU watching (incby 2); NE3 of
    // neither has run, so nmi_nesting is still 0.
    expect(r.reason).toBe('incby 1, 2 (in_nmi 2, nmi_nesting 0)');
    // Without NMI-like exceptions NMIs do not nest: the probe holds, with the CTPs, on the count of the
    // model before them.
    const flat = check(model as any, [...allProperties, twoEnters], { liveness: false, flags: { nmiLike: false } });
    expect([flat.verdict, flat.states]).toEqual(['ok', 110736]);
  });

  it('CT-1: v5.8-rc conditional RCU entry in the idle task ends a grace period under a softirq reader (CTP-6)', () => {
    const r = run({ variant: ct1 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('CTP-6');
    expect(r.trace).toHaveLength(34);
    const s = steps(r);
    // idle EQS; IRQ1 enters RCU (nmi_nesting 1); softirq reader; IRQ2 (tick) skips ct_irq_enter; the
    // GP starts; the tick reports a QS "from idle"; the GP completes under the reader.
    expect(inOrder(s, ['ct_kernel_exit:KX6', 'irq:IRQ', 'ct_nmi_enter:NE3', '__do_softirq:SQ1', 'rcu_read_section:RD1', 'irq:IRQ', 'common_interrupt:IE1', 'rcu_gp_kthread:GP1', 'common_interrupt:IE2', 'rcu_gp_kthread:GP4'])).toBe(true);
    expect(s.slice(-5)).toEqual(['irq:IRQ', 'common_interrupt:IE1', 'rcu_gp_kthread:GP1', 'common_interrupt:IE2', 'rcu_gp_kthread:GP4']);
    expect(r.trace![r.trace!.length - 2].changes.some((c) => c.path === 'rcu.qsmask')).toBe(true);
  });

  it('CT-2: x86-64 before v4.3 takes an IRQ with kernel registers while ctx = USER (CTP-4, CTP-2, CTP-5)', () => {
    const r = run({ variant: ct2 });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('CTP-4');
    expect(steps(r)).toEqual(['do_syscall_64:SY0', 'do_syscall_64:SY2', 'irq:IRQ']);
    const r2 = run({ variant: ct2, properties: ['CTP-2'] });
    expect(r2.property).toBe('CTP-2');
    expect(steps(r2)).toEqual(['do_syscall_64:SY0', 'do_syscall_64:SY2', 'irq:IRQ', 'common_interrupt:IE1', 'common_interrupt:IE2']);
    const r5 = run({ variant: ct2, properties: ['CTP-5'] });
    expect(r5.property).toBe('CTP-5');
    expect(r5.trace).toHaveLength(9);
    expect(steps(r5).slice(-3)).toEqual(['common_interrupt:IE4', 'preempt_schedule_irq:PS1', 'schedule:SC1']);
  });

  it('two CPUs: symmetry over the CPUs keeps each verdict and shortest trace (CT-2)', () => {
    const scope = { params: { cpus: 2, nesting: 1 }, flags: { nmiAnywhere: false } };
    for (const [property, length] of [['CTP-4', 3], ['CTP-2', 5], ['CTP-5', 9]] as const) {
      const full = run({ ...scope, variant: ct2, properties: [property] });
      const sym = run({ ...scope, variant: ct2, properties: [property], symmetry: true, por: true });
      expect([full.verdict, full.property, full.trace?.length]).toEqual(['violation', property, length]);
      expect([sym.verdict, sym.property, sym.trace?.length]).toEqual(['violation', property, length]);
    }
  });
});
