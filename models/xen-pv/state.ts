// Xen PV additions to the lazy-TLB state (xen-pv.md section 2): Linux's view of CR3 (xen_cr3), the
// CR3 the last executed hypercall set (xen_current_cr3), the per-vCPU multicall batch (bounded to the
// one CR3 switch a context switch queues), the lazy mode, and per-mm pinning. The MMU's CR3 of the
// lazy-TLB model (cr3Mm) is the hypervisor's CR3 here.
import { bool, enumOf, ref } from '../../src/lang/domain.ts';
import type { Params } from '../../src/lang/model.ts';
import { perCpu, perMm } from '../../src/lang/schema.ts';
import { lazyTlbState } from '../x86-lazy-tlb/state.ts';

export const XenLazy = enumOf(['NONE', 'MMU', 'CPU']);

export function xenPvState(p: Params) {
  const base = lazyTlbState(p);
  const mmRef = () => ref('mm', p.mms, { extra: ['init_mm', 'SWITCHING', 'NULL', 'kthread'] });
  return {
    ...base,
    cpu: perCpu(p.cpus, {
      ...base.cpu.elem,
      xenCr3: mmRef(),
      xenCurrentCr3: mmRef(),
      // queued MMUEXT_NEW_BASEPTR (NULL: the multicall batch is empty)
      mcCr3: mmRef(),
      xenLazy: XenLazy,
      // drop_mm_ref_this_cpu calls queued on this vCPU, one bit per initiator; the one running
      dropCsd: base.cpu.elem.csd,
      dropFrom: base.cpu.elem.ftFrom,
    }),
    mm: perMm(p.mms, { ...base.mm.elem, pinned: bool() }),
  };
}
