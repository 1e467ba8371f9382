// Liveness under weak fairness on the shipped models. Per model, a variant made by one label edit
// turns a wait into a retry loop that may retry forever although it could complete (the shape of a
// cmpxchg or trylock loop that interference can always defeat): no actor is stuck — every state can
// still complete the wait — but a fair cycle keeps it open, and the liveness property reports it as
// a lasso that re-checks as a fair cycle. Mainline passes every liveness property at the same scope.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { verifyLasso } from '../../src/engine/liveness.ts';
import { compile } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import type { AnyModel } from '../../src/lang/model.ts';
import { step } from '../../src/lang/model.ts';
import { defineVariant, replace } from '../../src/lang/variant.ts';
import { allProperties } from '../../properties/index.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import xenPv from '../../models/xen-pv/model.ts';
import shootdown from '../../models/bench/shootdown.ts';
import membarrier from '../../models/membarrier/model.ts';
import contextTracking from '../../models/context-tracking/model.ts';
import lazyMmu from '../../models/lazy-mmu/model.ts';

type Opts = NonNullable<Parameters<typeof check>[2]>;

/**
 * The model with step `at` made a retry: choice 0 goes back to the step unchanged (a seq step jumps
 * to itself; a rule does nothing), choice 1 is the step as it was.
 */
function retry(model: AnyModel, at: string, opts: Opts) {
  const st = compile(instantiate(model, allProperties, opts)).steps.find((x) => x.name === at)!;
  const label = st.label;
  const text = `${st.text} — or retry (the attempt may fail: try again)`;
  const edit =
    st.kind === 'seq'
      ? step(label, text, { when: st.guard ?? undefined, choose: { name: 'retry', count: 2, of: null }, jumps: [...new Set([label, ...Object.keys(st.labels)])], do: (s, a, x) => (x.choice === 0 ? x.goto(label) : st.effect?.(s, a, x)) })
      : step(label, text, { when: st.guard ?? undefined, choose: { name: 'retry', count: 2, of: null }, do: (s, a, x) => void (x.choice === 1 && st.effect?.(s, a, x)) });
  return defineVariant({ model: model.name, name: `retry-${at}`, description: text, edits: [replace(at, edit)] });
}

interface Case {
  readonly what: string;
  readonly model: AnyModel;
  readonly at: string;
  readonly opts: Opts;
  readonly property: string;
  readonly reason: string;
  /** Stem length and whole trace length of the lasso. */
  readonly lasso: readonly [number, number];
}

const cases: Case[] = [
  {
    what: "x86: csd_lock_wait (F7) may retry forever: flush_tlb_mm_range never returns",
    model: x86,
    at: 'flush_tlb_mm_range:F7',
    opts: { params: { switches: 1 } },
    property: 'FLUSH-RETURNS',
    reason: "cpu0 never returns from flush_tlb_mm_range: a fair cycle keeps it inside, at flush_tlb_mm_range:F7 (csd_lock_wait: every queued flush_tlb_func has run (IRQs on meanwhile); flush complete; put_cpu() \u2014 or retry (the attempt may fail: try again)); every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)",
    lasso: [18, 20],
  },
  {
    what: 'xen-pv: csd_lock_wait (F7) may retry forever: flush_tlb_mm_range never returns',
    model: xenPv,
    at: 'flush_tlb_mm_range:F7',
    opts: { params: { switches: 1 } },
    property: 'FLUSH-RETURNS',
    reason: "cpu0 never returns from flush_tlb_mm_range: a fair cycle keeps it inside, at flush_tlb_mm_range:F7 (csd_lock_wait: every queued flush_tlb_func has run (IRQs on meanwhile); flush complete; put_cpu() \u2014 or retry (the attempt may fail: try again)); every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)",
    lasso: [7, 9],
  },
  {
    what: 'xen-pv: xen_exit_mmap waiting for drop_mm_ref_this_cpu (XD5) may retry forever: exit_mmap never returns',
    model: xenPv,
    at: 'exit_mmap:XD5',
    opts: { params: { switches: 1 } },
    property: 'EXIT-MMAP-RETURNS',
    reason: "cpu0 never returns from exit_mmap: a fair cycle keeps it inside, at exit_mmap:XD5 (wait for every drop_mm_ref_this_cpu; put_cpu() \u2014 or retry (the attempt may fail: try again)); every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)",
    lasso: [25, 26],
  },
  {
    what: 'membarrier: task_lock in kthread_use_mm (KU4) may be retried forever: kthread_use_mm never returns',
    model: membarrier,
    at: 'kthread_use_mm:KU4',
    opts: { flags: { switchMmSameMmShortcut: false }, params: { otherExits: 0, rseq: 0 } },
    property: 'KTHREAD-USE-MM-RETURNS',
    reason: "cpu1 never returns from kthread_use_mm: a fair cycle keeps it inside, at kthread_use_mm:KU4 (task_lock(tsk); local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm \u2014 or retry (the attempt may fail: try again)); every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)",
    lasso: [12, 13],
  },
  {
    what: 'shootdown: the flush IPI handler may be re-entered forever without acking: the flush never returns',
    model: shootdown,
    at: 'flush_ipi:I',
    opts: {},
    property: 'flush-returns',
    reason: "the flush never completes: a fair cycle keeps it open forever, flush_tlb_mm_range of generation 1 waits for the flush IPIs of cpu1; every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)",
    lasso: [4, 15],
  },
];

describe('a wait that fairness does not force to complete is a liveness violation, per shipped model', () => {
  for (const c of cases) {
    it(c.what, () => {
      const variant = retry(c.model, c.at, c.opts);
      const r = check(c.model, allProperties, { ...c.opts, variant });
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe(c.property);
      expect(r.reason).toBe(c.reason);
      expect([r.cycleAt, r.trace!.length]).toEqual(c.lasso);
      const prop = r.program.instance.properties.findIndex((p) => p.name === c.property);
      expect(verifyLasso(r.program, r.rawTrace!, r.cycleAt!, prop)).toBeNull();
      // Not stuck (the stuck check runs first and passed), and the safety search alone passes it.
      expect(check(c.model, allProperties, { ...c.opts, variant, liveness: false }).verdict).toBe('ok');
    });
  }
});

// Mainline at the same scopes (and lazy-mmu, context-tracking at their defaults): no stuck actor and
// no fair cycle on which a wait stays open.
const mainline: { what: string; model: AnyModel; opts: Opts; properties: readonly string[] }[] = [
  { what: 'x86-lazy-tlb', model: x86, opts: { params: { switches: 1 } }, properties: ['FLUSH-RETURNS', 'EXIT-MMAP-RETURNS'] },
  { what: 'xen-pv', model: xenPv, opts: { params: { switches: 1 } }, properties: ['FLUSH-RETURNS', 'EXIT-MMAP-RETURNS'] },
  { what: 'membarrier (the MBP-1 fix)', model: membarrier, opts: { flags: { switchMmSameMmShortcut: false }, params: { otherExits: 0, rseq: 0 } }, properties: ['KTHREAD-USE-MM-RETURNS'] },
  { what: 'shootdown', model: shootdown, opts: {}, properties: ['flush-returns'] },
  { what: 'context-tracking', model: contextTracking, opts: {}, properties: [] },
  { what: 'lazy-mmu', model: lazyMmu, opts: {}, properties: [] },
];

describe('mainline has no liveness violation', () => {
  for (const c of mainline) {
    it(c.what, () => {
      const r = check(c.model, allProperties, c.opts);
      expect(r.verdict).toBe('ok');
      expect(r.liveness?.verdict).toBe('ok');
      expect(r.properties.filter((p) => allProperties.find((d) => d.name === p && d.models.includes(c.model.name))?.kind === 'liveness')).toEqual(c.properties);
    });
  }
});
