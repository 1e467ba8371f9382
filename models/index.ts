// The shipped models and their named variants. Add a model here with its variants; properties are
// bound to models by name in properties/index.ts.
import type { ModelDef } from '../src/lang/model.ts';
import type { VariantDef } from '../src/lang/variant.ts';
import shootdown from './bench/shootdown.ts';
import shootdownNoFlushOnUnlazy from './bench/variants/no-flush-on-unlazy.ts';
import x86LazyTlb from './x86-lazy-tlb/model.ts';
import { x86LazyTlbVariants } from './x86-lazy-tlb/variants/index.ts';
import xenPv from './xen-pv/model.ts';
import { xenPvVariants } from './xen-pv/variants/index.ts';
import contextTracking from './context-tracking/model.ts';
import { contextTrackingVariants } from './context-tracking/variants/index.ts';
import lazyMmu from './lazy-mmu/model.ts';
import { lazyMmuVariants } from './lazy-mmu/variants/index.ts';
import membarrier from './membarrier/model.ts';
import { membarrierVariants } from './membarrier/variants/index.ts';

export interface ShippedModel {
  readonly model: ModelDef<any, any, any>;
  readonly variants: readonly VariantDef[];
  /** Included in `npm start` (the summary) at default scope. */
  readonly summary: boolean;
  /** Variants shown in the summary (historical kernels that show a real counterexample). */
  readonly summaryVariants?: readonly string[];
  /**
   * Violations the model finds in mainline itself, not known to be fixed upstream: the summary shows
   * them (a violation is the honest result), and checks the candidate fix (flag settings) as ok.
   */
  readonly openFindings?: readonly OpenFinding[];
}

export interface OpenFinding {
  /** The properties it breaks (the first is the one a full check reports). */
  readonly properties: readonly string[];
  readonly summary: string;
  readonly fix: Readonly<Record<string, boolean | number | string>>;
}

export const shipped: readonly ShippedModel[] = [
  { model: shootdown, variants: [shootdownNoFlushOnUnlazy], summary: true, summaryVariants: ['no-flush-on-unlazy'] },
  {
    model: x86LazyTlb,
    variants: x86LazyTlbVariants,
    summary: true,
    summaryVariants: ['v6.14'],
    openFindings: [
      {
        properties: ['P1n'],
        summary:
          'between enter_lazy_tlb (is_lazy = true) and switch_to in context_switch, current is still the user task: nmi_uaccess_okay() allows a user access from an NMI (perf_callchain_user) while should_flush_tlb skips the CPU, so the NMI can read through a TLB entry a completed flush did not remove',
        fix: { nmiChecksLazy: true },
      },
    ],
  },
  { model: xenPv, variants: xenPvVariants, summary: true },
  { model: contextTracking, variants: contextTrackingVariants, summary: true },
  { model: lazyMmu, variants: lazyMmuVariants, summary: true },
  {
    model: membarrier,
    variants: membarrierVariants,
    summary: true,
    openFindings: [
      {
        properties: ['MBP-1', 'MBP-2'],
        summary:
          'kthread_unuse_mm / exit_mm set rq->membarrier_state to 0 while the CPU stays lazy on the mm; a switch to a thread of that mm then returns early from membarrier_switch_mm (prev_mm == next_mm) and GLOBAL_EXPEDITED skips the CPU',
        fix: { switchMmSameMmShortcut: false },
      },
    ],
  },
];
