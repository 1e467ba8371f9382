// A patch that hangs a CPU must not pass: per shipped model, a variant made by one label edit leaves
// a wait that never ends, and the stuck-actor check reports it (the safety search alone passes each
// of them: `liveness: false` gives the old verdict `ok`).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import type { AnyModel } from '../../src/lang/model.ts';
import { step } from '../../src/lang/model.ts';
import { defineVariant, replace } from '../../src/lang/variant.ts';
import { allProperties } from '../../properties/index.ts';
import x86 from '../../models/x86-lazy-tlb/model.ts';
import xenPv from '../../models/xen-pv/model.ts';
import membarrier from '../../models/membarrier/model.ts';
import contextTracking from '../../models/context-tracking/model.ts';
import lazyMmu from '../../models/lazy-mmu/model.ts';
import shootdown from '../../models/bench/shootdown.ts';

/** The model with step `at` (`proc:LABEL`) replaced by one whose guard is always false. */
const never = (model: AnyModel, at: string, text: string) =>
  defineVariant({ model: model.name, name: `never-${at}`, description: text, edits: [replace(at, step(at.slice(at.indexOf(':') + 1), text, { when: () => false }))] });

type Opts = Parameters<typeof check>[2];

interface Case {
  readonly what: string;
  readonly model: AnyModel;
  readonly at: string;
  readonly text: string;
  readonly opts: Opts;
  readonly reason: string;
  readonly last: string;
}

// membarrier at a scope small enough for a test (no kthread, exits or rseq), with the MBP-1 fix set so
// that the safety search passes and the stuck check runs.
const mbScope: Opts = { flags: { switchMmSameMmShortcut: false }, params: { kthread: 0, otherExits: 0, rseq: 0 } };

const cases: Case[] = [
  {
    what: 'x86: the flush IPI is never taken, so the initiator waits in csd_lock_wait forever',
    model: x86,
    at: 'ipi:FLUSH',
    text: 'the flush IPI is never taken',
    opts: { params: { switches: 1 } },
    reason: "cpu0 is stuck in flush_tlb_mm_range at F7 (csd_lock_wait: every queued flush_tlb_func has run (IRQs on meanwhile); flush complete; put_cpu()), called from change_ptes (returning to FREE): that step's guard stays false in every state reachable from here",
    last: 'cpu0 flush_tlb_func:T9',
  },
  {
    what: 'xen-pv: the drop_mm_ref_this_cpu IPI is never taken, so xen_exit_mmap waits forever',
    model: xenPv,
    at: 'ipi_drop:DROP',
    text: 'the drop_mm_ref IPI is never taken',
    opts: { params: { switches: 1 } },
    reason: "cpu0 is stuck in exit_mmap at XD5 (wait for every drop_mm_ref_this_cpu; put_cpu()): that step's guard stays false in every state reachable from here",
    last: '',
  },
  {
    what: 'membarrier: the call-function IPI is never taken, so PRIVATE_EXPEDITED waits for its csd forever',
    model: membarrier,
    at: 'irq:IRQ',
    text: 'the call-function IPI is never taken',
    opts: mbScope,
    reason: 'the membarrier call never completes: membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ_CPU1) is at P6w, and stays there in every execution from here',
    last: '',
  },
  {
    what: 'membarrier: no CPU passes a quiescent state, so MEMBARRIER_CMD_GLOBAL waits in synchronize_rcu forever',
    model: membarrier,
    at: 'rcu_qs:QS',
    text: 'rcu_qs() never runs',
    opts: mbScope,
    reason: 'the membarrier call never completes: membarrier(MEMBARRIER_CMD_GLOBAL) is at GL2, and stays there in every execution from here',
    last: '',
  },
  {
    what: 'context-tracking: rcu_gp_cleanup never runs, so the grace period never ends',
    model: contextTracking,
    at: 'rcu_gp_kthread:GP4',
    text: 'rcu_gp_cleanup() never runs',
    opts: {},
    reason: 'the grace period never completes: grace period G waits for a quiescent state of no CPU, and stays there in every execution from here',
    last: '',
  },
  {
    what: 'lazy-mmu: a task that sleeps in the arm64 callback inside a section is never woken',
    model: lazyMmu,
    at: 'might_sleep_callback:SL2',
    text: 'never woken up',
    opts: { flags: { arch: 'arm64' } },
    reason: "task0 is stuck in might_sleep_callback at SL2 (never woken up), called from apply_to_page_range (returning to S4): that step's guard stays false in every state reachable from here",
    last: '',
  },
  {
    what: 'shootdown: the flush IPI handler never runs, so the flush never returns',
    model: shootdown,
    at: 'flush_ipi:I',
    text: 'the flush IPI is never taken',
    opts: {},
    reason: 'the flush never completes: flush_tlb_mm_range of generation 1 waits for the flush IPIs of cpu1, and stays there in every execution from here',
    last: 'cpu0 flush_start:F',
  },
];

describe('a wait that never ends is reported as stuck, per shipped model', () => {
  for (const c of cases) {
    it(c.what, () => {
      const variant = never(c.model, c.at, c.text);
      const r = check(c.model, allProperties, { ...c.opts, variant });
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe('stuck');
      expect(r.reason).toBe(c.reason);
      expect(r.trace!.length).toBeGreaterThan(0);
      if (c.last) {
        const t = r.trace![r.trace!.length - 1];
        expect(`${t.actor} ${t.procedure}:${t.label}`).toBe(c.last);
      }
      // The safety search alone passes the hang: the check is what catches it.
      expect(check(c.model, allProperties, { ...c.opts, variant, liveness: false }).verdict).toBe('ok');
    });
  }
});
