// Properties of the Xen PV guest (docs/models/xen-pv.md section 10): X1-X4, the hypervisor's rules
// as error transitions and the lazy-mode BUG_ONs. The lazy-TLB properties (P3, P4, P7a in its Xen
// form, ...) are bound to the xen-pv model in lazy-tlb.ts.
import { property } from '../src/lang/property.ts';
import { XenBug } from '../models/xen-pv/procedures.ts';
import { XenLazy } from '../models/xen-pv/state.ts';

const XEN = ['xen-pv'];
const NULL = (p: any) => p.mms + 2;

export default [
  property({
    name: 'X1',
    statement: 'When the hypervisor unpins an mm\'s page tables and makes them writable, no vCPU\'s hypervisor CR3 references its pgd and no queued multicall switches to it.',
    ref: 'docs/models/xen-pv.md X1; xen_exit_mmap, xen_pgd_unpin (arch/x86/xen/mmu_pv.c); 9f79991d4186',
    models: XEN,
    on: {
      XenUnpin: (s, _g, x, c, m) => {
        for (let v = 0; v < s.cpu.length; v++) {
          if (s.cpu[v].cr3Mm === m) return x.fail(`vcpu${c} unpins mm${m} and makes its page tables writable while vcpu${v}'s hypervisor CR3 still references its pgd (the hypervisor refuses: failed multicall)`);
          if (s.cpu[v].mcCr3 === m) return x.fail(`vcpu${c} unpins mm${m} while vcpu${v} has NEW_BASEPTR(mm${m}) queued`);
        }
      },
    },
  }),
  property({
    name: 'X2',
    statement: 'MMUEXT_NEW_BASEPTR executes only for a pinned (validated) pgd; after xen_exit_mmap no vCPU loads it again.',
    ref: 'docs/models/xen-pv.md X2; xen_write_cr3, set_current_cr3 (arch/x86/xen/mmu_pv.c)',
    models: XEN,
    on: {
      XenNewBaseptr: (s, _g, x, c, m) => {
        if (m < s.mm.length && !s.mm[m].pinned) x.fail(`vcpu${c}: the hypervisor loads CR3 with mm${m}'s pgd, which is not pinned`);
      },
    },
  }),
  property({
    name: 'X3',
    statement: 'A vCPU\'s queued multicalls are issued before it runs with IRQs on (interrupt context never batches), and with an empty batch xen_current_cr3 is the hypervisor\'s CR3.',
    ref: 'docs/models/xen-pv.md X3 and P7a (Xen form); xen_mc_flush, xen_get_lazy_mode (arch/x86/xen/multicalls.h)',
    models: XEN,
    reads: ['cpu.online', 'cpu.irqsOn', 'cpu.mcCr3', 'cpu.xenCurrentCr3', 'cpu.cr3Mm'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        if (!me.online) continue;
        if (me.irqsOn && me.mcCr3 !== NULL(p)) return `vcpu${c} runs with IRQs on while a CR3 switch is still queued in its multicall batch`;
        if (me.mcCr3 === NULL(p) && me.xenCurrentCr3 !== me.cr3Mm) return `vcpu${c}: empty batch but xen_current_cr3 differs from the hypervisor's CR3`;
      }
      return null;
    },
  }),
  property({
    name: 'X4',
    statement: 'A lazy mode (XEN_LAZY_CPU, XEN_LAZY_MMU) is entered only from NONE and left only when it is the current one (the BUG_ONs of enter_lazy / leave_lazy), and XEN_LAZY_CPU is active exactly during a context switch.',
    ref: 'docs/models/xen-pv.md X4 and section 3 BUG_ONs; enter_lazy, leave_lazy, xen_start_context_switch, xen_end_context_switch (arch/x86/xen/enlighten_pv.c), xen_enter_lazy_mmu, xen_leave_lazy_mmu (arch/x86/xen/mmu_pv.c)',
    models: XEN,
    on: {
      XenLazyBug: (_s, _g, x, c, kind) => {
        x.fail(kind === XenBug.enterLazyNotNone ? `vcpu${c} enters a lazy mode while another lazy mode is active (BUG_ON in enter_lazy)` : `vcpu${c} leaves a lazy mode that is not the current one (BUG_ON in leave_lazy)`);
      },
    },
    reads: ['cpu.xenLazy', 'cpu.csNext'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        if ((me.xenLazy === XenLazy.ids.CPU) !== (me.csNext !== NULL(p))) return `vcpu${c}: XEN_LAZY_CPU is ${me.xenLazy === XenLazy.ids.CPU ? 'on outside' : 'off inside'} a context switch`;
      }
      return null;
    },
  }),
  property({
    name: 'X5',
    statement: 'Batch ordering: a TLB flush starts only after the vCPU\'s own queued page-table updates were issued (a lazy MMU section is left with xen_mc_flush before the flush that relies on it).',
    ref: 'docs/models/xen-pv.md X3 (batch ordering) and section 3; xen_leave_lazy_mmu, xen_mc_flush (arch/x86/xen/mmu_pv.c, multicalls.c)',
    models: XEN,
    on: {
      FlushStart: (s, _g, x, c, m) => {
        if (s.cpu[c].mcPte !== 0) x.fail(`vcpu${c} starts a TLB flush of mm${m} while its MMU_UPDATE is still queued in the multicall batch: the flush can complete before the hypervisor sees the new PTE`);
      },
    },
  }),
];
