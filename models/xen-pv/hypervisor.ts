// The hypervisor side of Xen PV (docs/models/xen-pv.md sections 1, 4, 8) as the lazy-TLB model's hardware:
// xen_write_cr3 queues MMUEXT_NEW_BASEPTR (issued at once unless the vCPU is in XEN_LAZY_CPU mode),
// xen_mc_flush executes the batch in order and runs the set_current_cr3 callback, and
// MMUEXT_TLB_FLUSH_MULTI flushes other vCPUs' TLBs without a guest IPI.
import { flushPcid, type Env, type Hardware } from '../x86-lazy-tlb/env.ts';
import { pteStore } from '../x86-lazy-tlb/flush.ts';
import { XenLazy } from './state.ts';

/** Hypervisor executes MMUEXT_NEW_BASEPTR(mm) for vCPU c: its CR3 changes, TLB flushed (no PCID); callback xen_current_cr3 = mm. */
function newBaseptr(s: any, c: number, mm: number, e: Env, x: any): void {
  const me = s.cpu[c];
  x.emit('XenNewBaseptr', c, mm);
  me.cr3Mm = mm;
  me.cr3Asid = 0;
  flushPcid(s, c, 0, e.ALL, e);
  me.xenCurrentCr3 = mm;
}

/** xen_mc_flush(): issue the queued multicalls (a hypercall: a full fence), then the callbacks. */
export function xenMcFlush(s: any, c: number, e: Env, x: any): void {
  const me = s.cpu[c];
  x.fence();
  // the batch executes in order: a queued MMU_UPDATE of the running task's mm (lazy MMU section), then
  // the CR3 switch
  if (me.mcPte !== 0) {
    const op = me.mcPte - 1;
    me.mcPte = 0;
    pteStore(s, me.currMm, op, e);
  }
  if (me.mcCr3 !== e.NULL) {
    const mm = me.mcCr3;
    me.mcCr3 = e.NULL;
    newBaseptr(s, c, mm, e, x);
  }
}

export const xenHardware: Hardware = {
  // xen_write_cr3: XW1 xen_mc_batch; XW2 xen_cr3 = cr3; XW3 queue NEW_BASEPTR (+ user pgd);
  // XW4 xen_mc_issue(XEN_LAZY_CPU): issued now unless in lazy-CPU mode
  writeCr3(s, c, mm, _asid, _flush, e, x) {
    const me = s.cpu[c];
    me.xenCr3 = mm;
    me.mcCr3 = mm;
    if (!(e.f.xenLazyCpuBatching && me.xenLazy === XenLazy.ids.CPU)) xenMcFlush(s, c, e, x);
  },
};

/** MMUEXT_TLB_FLUSH_MULTI over the online vCPUs of `mask`: the hypervisor flushes their TLBs and PSCs. */
export function hypervisorFlushMulti(s: any, mask: number, e: Env): void {
  for (let d = 0; d < e.p.cpus; d++) if (mask & (1 << d) && s.cpu[d].online) flushPcid(s, d, s.cpu[d].cr3Asid, e.ALL, e);
}
