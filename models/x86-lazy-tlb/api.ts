// The x86-lazy-tlb model's API for variant files (docs/language.md, "x86-lazy-tlb: the variant
// API"): the helpers a patch may call from a step it writes, the encodings of the special mm and CPU
// values, and the shipped steps to wrap. Everything a variant needs from the model's internals is
// exported from here; the other modules of the model may change shape without notice.
//
// A variant file outside the project imports it as `lazytlb/models/x86-lazy-tlb/api.ts`.
import { ModelError } from '../../src/lang/errors.ts';
import type { Flags, Params, StepDef } from '../../src/lang/model.ts';
import { lazyTlbFlags, lazyTlbParams } from './config.ts';
import { bit, flushPcid as flushPcidEnv, makeEnv, mmuFill as mmuFillEnv, nativeHardware, step, type Env } from './env.ts';
import { funcDone as funcDoneEnv, releaseInfo } from './flush.ts';
import { lazyTlbProcedures } from './procedures.ts';
import { Life, Table } from './state.ts';
import { clearLocals, enterLazyTlb as enterLazyTlbEnv } from './switch.ts';

export { bit, step, Life, Table, type Env };

// Special values of the mm and CPU references (state.ts `mmRef`): user mms are 0..M-1, M = the
// number of user mms (`s.mm.length`); a CPU reference holds 0..N-1 or `noCpu(s)`.
/** init_mm (`&init_mm`: loaded_mm of a CPU that left every user mm, active_mm of the idle task). */
export const initMm = (s: any): number => s.mm.length;
/** LOADED_MM_SWITCHING (cpu_tlbstate.loaded_mm inside switch_mm_irqs_off, SW3b to R2). */
export const loadedMmSwitching = (s: any): number => s.mm.length + 1;
/** NULL: a nullable mm reference that holds no mm (tsk->mm of a kernel thread, an unused local). */
export const nullMm = (s: any): number => s.mm.length + 2;
/** context_switch's `next` is a kernel thread (csNext). */
export const kthreadNext = (s: any): number => s.mm.length + 3;
/** No CPU (ftFrom: no flush_tlb_func running; fIter: not iterating over the targets). */
export const noCpu = (s: any): number => s.cpu.length;

/**
 * The model's configuration for the helpers below, at the scope the variant is checked at: the
 * model's default params and flags, overridden by `params` and `flags` (give the ones the variant
 * sets, and check it at that scope). The helpers refuse a state of another size.
 */
export function x86Env(params: Partial<Params> = {}, flags: Partial<Flags> = {}): Env {
  const p = { ...Object.fromEntries(Object.entries(lazyTlbParams).map(([k, v]) => [k, v.default])), ...params } as Params;
  const f = { ...Object.fromEntries(Object.entries(lazyTlbFlags).map(([k, v]) => [k, v.default])), ...flags } as Flags;
  return makeEnv(p, f, nativeHardware);
}

function sameScope(s: any, e: Env, who: string): void {
  if (s.mm.length !== e.M || s.cpu.length !== e.p.cpus || s.cpu[0].tlb.length !== e.p.asids || s.mm[0].ptv.length !== e.p.pages) {
    throw new ModelError(`${who}: the variant's x86Env is for cpus=${e.p.cpus} mms=${e.M} asids=${e.p.asids} pages=${e.p.pages}, but the check runs cpus=${s.cpu.length} mms=${s.mm.length} asids=${s.cpu[0].tlb.length} pages=${s.mm[0].ptv.length}: pass the check's params to x86Env`);
  }
}

/** flush_tlb_func's epilogue: csd_unlock of the initiator's call (an IPI), ftFrom = none, IRQs back on. */
export function funcDone(s: any, c: number, e: Env): void {
  sameScope(s, e, 'funcDone');
  funcDoneEnv(s, c, e);
}

/** Invalidate the TLB entries of one page (or all: `page = e.ALL`) and the paging-structure cache of PCID `asid` on CPU c (INVLPG / invpcid / a CR3 write with flush). */
export function flushPcid(s: any, c: number, asid: number, page: number, e: Env): void {
  sameScope(s, e, 'flushPcid');
  flushPcidEnv(s, c, asid, page, e);
}

/** A page walk from CR3 (the eager fill): TLB entries at the current page-table versions, the linked table page in the PSC. */
export function mmuFill(s: any, c: number, e: Env): void {
  sameScope(s, e, 'mmuFill');
  mmuFillEnv(s, c, e);
}

/** enter_lazy_tlb(mm, tsk): is_lazy = true unless loaded_mm is init_mm (shape B: leave mm_cpumask). */
export function enterLazyTlb(s: any, c: number, e: Env): void {
  sameScope(s, e, 'enterLazyTlb');
  enterLazyTlbEnv(s, c, e);
}

/**
 * The end of switch_mm_irqs_off: reset its argument `next` (swNext) so a finished call leaves no trace;
 * call it before `x.ret()` (the procedure's locals, `x.locals.prev` …, are reset by the return).
 */
export function switchDone(s: any, c: number, e: Env): void {
  sameScope(s, e, 'switchDone');
  clearLocals(s.cpu[c], e);
}

/** The end of flush_tlb_mm_range / arch_tlbbatch_flush (F7's put_cpu): reset the initiator's flush_tlb_info and loop state. */
export function flushInfoDone(s: any, c: number, e: Env): void {
  sameScope(s, e, 'flushInfoDone');
  releaseInfo(s.cpu[c], e);
}

/**
 * The shipped step `procedure:label` as the model builds it for `e` (its guard, effect, choice,
 * fence and jumps), to wrap in a `replace` or `patch`: `patch('p:L', { do: (s, c, x) => { ...;
 * shipped.do!(s, c, x); } })`.
 */
export function shippedStep(name: string, e: Env): StepDef<any> {
  const [proc, label] = name.split(':');
  const def = lazyTlbProcedures(e).find((q) => q.name === proc);
  const st = def?.steps.find((x) => x.label === label);
  if (!st) throw new ModelError(`shippedStep: no step '${name}' in x86-lazy-tlb at this configuration (see \`lazytlb steps x86-lazy-tlb\`)`);
  return st;
}
