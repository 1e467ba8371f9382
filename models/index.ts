// The shipped models and their named variants. Add a model here with its variants; properties are
// bound to models by name in properties/index.ts.
import type { ModelDef } from '../src/lang/model.ts';
import type { VariantDef } from '../src/lang/variant.ts';
import shootdown from './bench/shootdown.ts';
import shootdownNoFlushOnUnlazy from './bench/variants/no-flush-on-unlazy.ts';
import x86LazyTlb from './x86-lazy-tlb/model.ts';
import { x86LazyTlbVariants } from './x86-lazy-tlb/variants/index.ts';
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
}

export const shipped: readonly ShippedModel[] = [
  { model: shootdown, variants: [shootdownNoFlushOnUnlazy], summary: true, summaryVariants: ['no-flush-on-unlazy'] },
  { model: x86LazyTlb, variants: x86LazyTlbVariants, summary: true, summaryVariants: ['v6.14'] },
  { model: contextTracking, variants: contextTrackingVariants, summary: true },
  { model: lazyMmu, variants: lazyMmuVariants, summary: true },
  { model: membarrier, variants: membarrierVariants, summary: true },
];
