// The API of the xen-pv model for variant files: the encodings of its mm references and the state a
// patch of arch/x86/xen/mmu_pv.c reads, by the kernel's names (docs/language.md, "Variant API:
// xen-pv"). A variant file imports it as `lazytlb/models/xen-pv/api.ts`.
import { XenLazy } from './state.ts';
import { XenBug } from './procedures.ts';

/**
 * The special values of an mm reference (`loaded_mm`, `xen_cr3`, `xen_current_cr3`, the queued CR3):
 * user mms are 0..M-1 (M = `s.mm.length`), then init_mm (swapper_pg_dir), LOADED_MM_SWITCHING, NULL
 * (the multicall batch holds no CR3 switch) and a kernel thread's.
 */
export function mmRefs(s: any): { readonly INIT_MM: number; readonly LOADED_MM_SWITCHING: number; readonly NULL: number; readonly KTHREAD: number } {
  const M = s.mm.length;
  return { INIT_MM: M, LOADED_MM_SWITCHING: M + 1, NULL: M + 2, KTHREAD: M + 3 };
}
/** xen_lazy_mode: XEN_LAZY_NONE, XEN_LAZY_MMU, XEN_LAZY_CPU (`s.cpu[c].xenLazy`). */
export const XEN_LAZY = XenLazy.ids;
/** The kinds of the XenLazyBug event (the BUG_ONs of enter_lazy / leave_lazy). */
export const XEN_LAZY_BUG = XenBug;

/** The mm that xen_exit_mmap(mm) on vCPU c tears down. */
export function exitingMm(s: any, c: number): number {
  return s.cpu[c].putMm;
}
/** per_cpu(xen_current_cr3, v): the CR3 the last executed hypercall of vCPU v set (set_current_cr3). */
export function xenCurrentCr3(s: any, v: number): number {
  return s.cpu[v].xenCurrentCr3;
}
/** per_cpu(xen_cr3, v): Linux's belief about vCPU v's CR3, written when the switch is queued. */
export function xenCr3(s: any, v: number): number {
  return s.cpu[v].xenCr3;
}
/** cpu_tlbstate.loaded_mm of vCPU v. */
export function loadedMm(s: any, v: number): number {
  return s.cpu[v].loadedMm;
}
/** The online vCPUs other than c (for_each_online_cpu, self excluded). */
export function otherOnlineVcpus(s: any, c: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < s.cpu.length; v++) if (v !== c && s.cpu[v].online) out.push(v);
  return out;
}
/** XD3's result: the vCPUs xen_exit_mmap on vCPU c sends drop_mm_ref_this_cpu to (XD4 queues them). */
export function setDropMask(s: any, c: number, vcpus: readonly number[]): void {
  let mask = 0;
  for (const v of vcpus) mask |= 1 << v;
  s.cpu[c].fSnap = mask;
}
