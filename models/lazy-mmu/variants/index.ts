// The historical kernels of the lazy-mmu model (docs/models/bugs.md LMMU-1, LMMU-2, LMMU-3) and their fixes, and a
// constructed variant for L8 (sleeping inside a section on powerpc).
import type { VariantDef } from '../../../src/lang/variant.ts';
import arm64NestedTolerate from './arm64-nested-tolerate.ts';
import arm64NestedWarn from './arm64-nested-warn.ts';
import sleepInSection from './constructed-sleep-in-section.ts';
import v70RcXenTaskCounters from './v7.0-rc-xen-task-counters.ts';
import xenNestingCounter from './xen-nesting-counter.ts';
import xenV615NoNesting from './xen-v6.15-no-nesting.ts';

export const lazyMmuVariants: readonly VariantDef[] = [xenNestingCounter, xenV615NoNesting, arm64NestedWarn, arm64NestedTolerate, v70RcXenTaskCounters, sleepInSection];
