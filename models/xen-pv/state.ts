// Xen PV additions to the lazy-TLB state (docs/models/xen-pv.md section 2): Linux's view of CR3 (xen_cr3), the
// CR3 the last executed hypercall set (xen_current_cr3), the per-vCPU multicall batch (bounded to the
// one CR3 switch a context switch queues), the lazy mode, and per-mm pinning. The MMU's CR3 of the
// lazy-TLB model (cr3Mm) is the hypervisor's CR3 here.
import { bool, enumOf, int, ref } from '../../src/lang/domain.ts';
import type { Params } from '../../src/lang/model.ts';
import { arrayOf, own, perCpu, perMm } from '../../src/lang/schema.ts';
import { lazyTlbState } from '../x86-lazy-tlb/state.ts';

export const XenLazy = enumOf(['NONE', 'MMU', 'CPU']);

export function xenPvState(p: Params) {
  const base = lazyTlbState(p);
  const mmRef = () => ref('mm', p.mms, { extra: ['init_mm', 'SWITCHING', 'NULL', 'kthread'] });
  return {
    ...base,
    cpu: perCpu(p.cpus, {
      ...base.cpu.elem,
      // Not own here, unlike natively: the hypervisor's MMUEXT_TLB_FLUSH_MULTI (xen_flush_tlb_multi)
      // invalidates other vCPUs' TLBs and walks from their CR3, and X1's check at xen_pgd_unpin reads
      // every vCPU's CR3
      cr3Mm: base.cpu.elem.cr3Mm.domain,
      cr3Asid: base.cpu.elem.cr3Asid.domain,
      tlb: arrayOf(p.asids, { ver: arrayOf(p.pages, { v: int(0, p.gens + 2) }), psc: bool() }, 'asid'),
      // xen_cr3 and xen_current_cr3 are read by xen_exit_mmap on another vCPU (its drop mask)
      xenCr3: mmRef(),
      xenCurrentCr3: mmRef(),
      // queued MMUEXT_NEW_BASEPTR (NULL: the multicall batch is empty); X1's check at xen_pgd_unpin
      // reads every vCPU's batch
      mcCr3: mmRef(),
      // own: xen_lazy_mode is a per-CPU variable only this vCPU's context-switch hooks and lazy MMU
      // sections touch
      xenLazy: own(XenLazy),
      // own: a queued MMU_UPDATE (xen_batched_set_pte inside a lazy MMU section): 0 none, else the
      // change_ptes operation + 1; and the operation of the open section (its flush follows the leave)
      mcPte: own(int(0, p.pages + 2)),
      lmOp: own(int(0, p.pages + 2)),
      // drop_mm_ref_this_cpu calls queued on this vCPU, one bit per initiator; the one running (own)
      dropCsd: base.cpu.elem.csd,
      dropFrom: base.cpu.elem.ftFrom,
    }),
    mm: perMm(p.mms, { ...base.mm.elem, pinned: bool() }),
  };
}
