// The API of the lazy-mmu model for variant files: named constants for its special values and the
// helpers a patch of the lazy_mmu layer (include/linux/pgtable.h) or an arch backend may call
// (docs/language.md, "Variant API: lazy-mmu"). A variant file imports it as
// `lazytlb/models/lazy-mmu/api.ts`.
import type { StepCtx } from '../../src/lang/model.ts';
import { archEnter, archLeave, type LazyFlags } from './arch.ts';
import { ids, noCpu, noTask, taskActive } from './state.ts';

// The arch backend and the layer are flags, read in a step as `x.flags.arch` ('xen', 'arm64',
// 'powerpc', 'sparc') and `x.flags.layer` ('generic', 'directHooks'); the state holds no copy.
/** xen_lazy_mode: XEN_LAZY_NONE, XEN_LAZY_MMU, XEN_LAZY_CPU (`s.cpu[c].xenMode`). */
export const XEN_LAZY = ids.xen;
/** The arch call a counter step decided (`s.task[t].call`): none, enter, leave, flush. */
export const ARCH_CALL = ids.call;

/** "No task" (the idle task as `curr`, no owner of a batch) and "no CPU" (a runnable task's `on`). */
export const NO_TASK = noTask;
export const NO_CPU = noCpu;

/** current on CPU c (the task index, or NO_TASK(s) for the idle task). */
export function current(s: any, c: number): number {
  return s.cpu[c].curr;
}
/** __task_lazy_mmu_mode_active(t): t is in a lazy MMU section that is not paused. */
export function taskLazyMmuModeActive(s: any, t: number): boolean {
  return taskActive(s.task[t]);
}
/** The task's lazy_mmu_state counters. */
export function lazyMmuState(s: any, t: number): { enableCount: number; pauseCount: number } {
  return s.task[t];
}

/**
 * The backend's arch_enter_lazy_mmu_mode() / arch_leave_lazy_mmu_mode() for task t on CPU c, as the
 * model's steps call them, under the flags `f` (give the variant's own flag settings: the backend
 * reads `arch`, `layer`, `xenNestingCounter`, `arm64NestedEnter`).
 */
export function archHooks(f: Partial<LazyFlags>): { enter(s: any, c: number, t: number, x: StepCtx): void; leave(s: any, c: number, t: number, x: StepCtx): void } {
  const flags: LazyFlags = { arch: 'xen', layer: 'generic', xenNestingCounter: false, arm64NestedEnter: 'tolerate', xenSwitchRearm: 'tifFlag', nestedSections: true, sleepingCallback: false, ...f };
  return { enter: (s, c, t, x) => archEnter(s, c, t, x, flags), leave: (s, c, t, x) => archLeave(s, c, t, x, flags) };
}
