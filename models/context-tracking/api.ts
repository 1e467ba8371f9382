// The API of the context-tracking model for variant files: named constants for the values its state
// holds and the helpers a patch of kernel/context_tracking.c or kernel/entry/common.c may call, so a
// variant writes the kernel's statement instead of copying the model's internals (docs/language.md,
// "Variant API: context-tracking"). A variant file imports it as
// `lazytlb/models/context-tracking/api.ts`.
import { ids, NONIDLE, reportQs, watching } from './state.ts';

/** enum ctx_state: CT_STATE_KERNEL, CT_STATE_IDLE, CT_STATE_USER, CT_STATE_GUEST (`s.cpu[c].ctx`). */
export const CT_STATE = ids.ctx;
/** What the CPU executes (`s.cpu[c].mode`, and the interrupted mode in an interrupt frame): kernel, user, guest. */
export const MODE = ids.mode;
/** CT_NESTING_IRQ_NONIDLE: `ct->nmi_nesting` of process context outside an extended quiescent state. */
export const CT_NESTING_IRQ_NONIDLE = NONIDLE;
/** The user task's state (`s.task.state`) and the grace period's phase (`s.rcu.phase`). */
export const TASK = ids.task;
export const GP = ids.gp;

/** rcu_is_watching_curr_cpu(): the RCU-watching bit of CPU c (the counter `w` is odd). */
export function rcuIsWatching(s: any, c: number): boolean {
  return watching(s.cpu[c].w);
}

/** ct_state_inc(CT_RCU_WATCHING): the counter flips watching (the caller's step is `fence: true`: fully ordered). */
export function ctStateIncWatching(s: any, c: number): void {
  s.cpu[c].w = (s.cpu[c].w + 1) & 3;
}

/** rcu_qs() → rcu_report_qs_rdp(): CPU c reports a quiescent state for the current grace period. */
export function rcuQs(s: any, c: number): void {
  reportQs(s, c);
}

/** The frame the hardware saved for the innermost interrupt of CPU c: `{ mode, irqs }` (user_mode(regs), regs->flags & IF). */
export function interruptedRegs(s: any, c: number): { mode: number; irqs: boolean } {
  const me = s.cpu[c];
  return me.frame[me.depth - 1];
}

/** is_idle_task(current): CPU c runs its idle task, not the user task. */
export function isIdleTask(s: any, c: number): boolean {
  return !s.cpu[c].runsTask;
}
