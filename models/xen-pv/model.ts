// Linux as a Xen PV guest (docs/models/xen-pv.md; arch/x86/xen/mmu_pv.c, enlighten_pv.c): the
// lazy-TLB model with the CR3 write and the flush transport replaced by hypercalls, the per-vCPU
// multicall batch and lazy-CPU mode around context switches, and xen_exit_mmap's drop IPIs and unpin.
import { defineModel } from '../../src/lang/model.ts';
import { deepScopes, lazyTlbEvents, lazyTlbFlags, lazyTlbParams } from '../x86-lazy-tlb/config.ts';
import { makeEnv } from '../x86-lazy-tlb/env.ts';
import { lazyTlbSymmetry } from '../x86-lazy-tlb/symmetry.ts';
import { initState } from '../x86-lazy-tlb/warm.ts';
import { xenHardware } from './hypervisor.ts';
import { xenPvProcedures } from './procedures.ts';
import { XenLazy, xenPvState } from './state.ts';

const flags = {
  ...lazyTlbFlags,
  warm: { ...lazyTlbFlags.warm, default: 'xenLazyOnA' },
  xenLazyCpuBatching: { default: true, doc: 'CR3 writes are queued between xen_start_context_switch and xen_end_context_switch' },
  xenDropMask: { default: 'currentCr3', values: ['linuxView', 'currentCr3'], doc: 'xen_exit_mmap IPIs vCPUs by xen_current_cr3 (9f79991d4186, XEN-1) or by Linux-side state' },
  xenLazyMmu: { default: true, doc: 'a PTE change runs in a lazy MMU section (change_pte_range: arch_enter/leave_lazy_mmu_mode = xen_enter/leave_lazy_mmu), its MMU_UPDATE batched until the leave' },
  xenHandlerFlushesPending: { default: true, doc: 'drop_mm_ref_this_cpu issues a pending CR3 switch (xen_mc_flush) (9f79991d4186, XEN-1)' },
  xenHandlerLoadsSwapper: { default: false, doc: 'the drop handler pushes out a stale CR3 with load_cr3(swapper_pg_dir), as drop_other_mm_ref did in 2.6.24-4.12 (9f79991d4186), instead of xen_mc_flush() (v4.13+)' },
};

export default defineModel({
  name: 'xen-pv',
  title: 'Xen PV: pinned page tables, multicall batching, lazy-CPU mode, unpin at exit',
  description:
    'The x86 lazy-TLB protocol of a Xen PV guest: CR3 switches are hypercalls batched in lazy-CPU mode during a context switch, TLB flushes are hypervisor flushes, and exit_mmap unpins the page tables after dropping every vCPU that may still use them.',
  // Xen PV has no PCID
  params: { ...lazyTlbParams, asids: { ...lazyTlbParams.asids, default: 1, max: 1 } },
  flags,
  memory: ['sc', 'tso'],
  storeBufferDepth: 2,
  stackDepth: 6,
  events: { ...lazyTlbEvents, XenNewBaseptr: ['cpu', 'mm'], XenUnpin: ['cpu', 'mm'], XenLazyBug: ['cpu', 'kind'] },
  scopes: {
    // ok, 1,077,223 states with the default reductions, under half a minute
    wide: { doc: '3 vCPUs (one context switch each), 3 generations, 2 page-table changes', params: { cpus: 3, switches: 1, gens: 3, changes: 2 } },
    ...deepScopes('vCPUs'),
  },
  actors: (p) => ({ cpu: p.cpus }),
  state: (p) => xenPvState(p),
  init: (s, p, f) => {
    const e = makeEnv(p, f, xenHardware);
    initState(s, e);
    for (let c = 0; c < p.cpus; c++) {
      const me = s.cpu[c];
      me.xenCr3 = me.cr3Mm;
      me.xenCurrentCr3 = me.cr3Mm;
      me.mcCr3 = e.NULL;
      me.xenLazy = XenLazy.ids.NONE;
      me.dropFrom = e.NOCPU;
    }
    // every mm's tables are pinned (xen_pgd_pin at fork; exec's new mm at activate_mm)
    for (let m = 0; m < p.mms; m++) s.mm[m].pinned = true;
  },
  procedures: (p, f) => xenPvProcedures(makeEnv(p, f, xenHardware)),
  symmetry: (p, f) => lazyTlbSymmetry(p, f),
  end: () => true,
});
