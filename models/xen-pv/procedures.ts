// The Xen PV guest: the lazy-TLB procedures with the hypervisor as hardware (hypervisor.ts) and, by
// step label, the Xen hooks: xen_start/end_context_switch around the context switch (CS2, CS5), the
// TLB-flush transport xen_flush_tlb_multi (F5), and xen_exit_mmap -> drop_mm_ref_this_cpu -> unpin
// at the start of exit_mmap (docs/models/xen-pv.md sections 5, 6, 8).
import { addProcedure, insertAfter, insertBefore, replace } from '../../src/lang/variant.ts';
import { applyEdits } from '../../src/lang/instantiate.ts';
import type { ProcedureDef, StepDef } from '../../src/lang/model.ts';
import { bit, rules, seq, step, type Env } from '../x86-lazy-tlb/env.ts';
import { startFlush } from '../x86-lazy-tlb/flush.ts';
import { lazyTlbProcedures } from '../x86-lazy-tlb/procedures.ts';
import { Assert } from '../x86-lazy-tlb/switch.ts';
import { hypervisorFlushMulti, xenHardware, xenMcFlush } from './hypervisor.ts';
import { XenLazy } from './state.ts';

export const XenBug = { enterLazyNotNone: 1, leaveLazyNotCurrent: 2 } as const;

function find(procs: readonly ProcedureDef<any>[], at: string): StepDef<any> {
  const [proc, label] = at.split(':');
  return procs.find((p) => p.name === proc)!.steps.find((s) => s.label === label)!;
}

/** A step that runs `before`, then the lazy-TLB step it wraps (same label, guard and choices). */
function wrap(orig: StepDef<any>, text: string, before: (s: any, c: number, x: any) => void): StepDef<any> {
  return { ...orig, text: `${text}; ${orig.text}`, do: (s, c, x) => (before(s, c, x), orig.do?.(s, c, x)) };
}

/** Which vCPUs xen_exit_mmap IPIs (XD3): by xen_current_cr3 (since 9f79991d4186) or by Linux-side state. */
function dropTarget(s: any, v: number, m: number, e: Env): boolean {
  const o = s.cpu[v];
  const inMask = (s.mm[m].cpumask & bit(v)) !== 0;
  if (e.f.xenDropMask === 'linuxView') return e.shape === 'A' ? inMask : o.xenCr3 === m || o.loadedMm === m;
  return (e.shape === 'A' && inMask) || o.xenCurrentCr3 === m;
}

export function xenPvProcedures(e: Env): ProcedureDef<any>[] {
  const base = lazyTlbProcedures(e);
  const N = e.p.cpus;
  const xenExitMmap = [
    step('XD2', 'xen_exit_mmap: get_cpu(); drop_mm_ref_this_cpu(mm) locally', {
      do: (s, c, x) => {
        s.cpu[c].irqsOn = false;
        s.cpu[c].dropFrom = c;
        x.call('drop_mm_ref_this_cpu');
      },
    }),
    step('XD3', 'mask = { vCPU v != self : xen_current_cr3(v) == __pa(mm->pgd) } (racy remote reads)', {
      do: (s, c) => {
        const me = s.cpu[c];
        me.fSnap = 0;
        for (let v = 0; v < N; v++) if (v !== c && s.cpu[v].online && dropTarget(s, v, me.putMm, e)) me.fSnap = me.fSnap | bit(v);
      },
    }),
    step('XD4', 'smp_call_function_many(mask, drop_mm_ref_this_cpu, mm, 1): queue the calls [LOCK]', {
      fence: true,
      do: (s, c) => {
        for (let v = 0; v < N; v++) if (s.cpu[c].fSnap & bit(v)) s.cpu[v].dropCsd = s.cpu[v].dropCsd | bit(c);
      },
    }),
    step('XD5', 'wait for every drop_mm_ref_this_cpu; put_cpu()', {
      when: (s, c) => {
        for (let v = 0; v < N; v++) if (s.cpu[v].dropCsd & bit(c)) return false;
        return true;
      },
      do: (s, c) => {
        s.cpu[c].fSnap = 0;
      },
    }),
    step('XD6', 'spin_lock(&mm->page_table_lock); xen_pgd_unpin(mm): MMUEXT_UNPIN_TABLE, make the tables writable (issued at once)', {
      fence: true,
      do: (s, c, x) => {
        const m = s.cpu[c].putMm;
        if (!s.mm[m].pinned) return;
        x.emit('XenUnpin', c, m);
        s.mm[m].pinned = false;
      },
    }),
  ];
  const dropMmRef = seq('drop_mm_ref_this_cpu', 'cpu', [
    step('DR1', 'if (this_cpu_read(cpu_tlbstate.loaded_mm) == mm) leave_mm()  [leave_mm: WARN if not lazy (v4.13+); shape A: BUG if cpu_tlbstate.state == TLBSTATE_OK]', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (me.loadedMm !== s.cpu[me.dropFrom].putMm) return;
        // leave_mm() must find the CPU lazy: the WARN of v4.13+ and, in shape A (<= 4.12), the
        // BUG() on cpu_tlbstate.state == TLBSTATE_OK (arch/x86/mm/tlb.c leave_mm)
        if (!me.isLazy) x.emit('Assert', c, Assert.leaveMmNotLazy);
        me.swNext = e.INIT;
        x.call('switch_mm_irqs_off');
      },
    }),
    step('DR2', e.f.xenHandlerLoadsSwapper
      ? 'if (this_cpu_read(xen_current_cr3) == __pa(mm->pgd)) load_cr3(swapper_pg_dir) [xen_write_cr3: issued at once, outside lazy-CPU mode]; csd_unlock'
      : 'if (this_cpu_read(xen_current_cr3) == __pa(mm->pgd)) xen_mc_flush(); csd_unlock', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (e.f.xenHandlerFlushesPending && me.xenCurrentCr3 === s.cpu[me.dropFrom].putMm) {
          // 2.6.24-4.12 drop_other_mm_ref: load_cr3(swapper_pg_dir) (2.6.24 then also
          // arch_flush_lazy_cpu_mode(), a no-op once the write issued the batch); v4.13+: xen_mc_flush()
          if (e.f.xenHandlerLoadsSwapper) xenHardware.writeCr3(s, c, e.INIT, 0, true, e, x);
          else xenMcFlush(s, c, e, x);
        }
        if (me.dropFrom !== c) me.dropCsd = me.dropCsd & ~bit(me.dropFrom);
        me.dropFrom = e.NOCPU;
        me.irqsOn = true;
      },
    }),
  ]);
  const dropIpi = rules('ipi_drop', 'cpu', [
    step('DROP', 'drop_mm_ref_this_cpu IPI taken (IRQs on)', {
      choose: { name: 'from', count: N, of: 'cpu' },
      when: (s, c, x) => s.cpu[c].irqsOn && (s.cpu[c].dropCsd & bit(x.choice)) !== 0,
      do: (s, c, x) => {
        s.cpu[c].irqsOn = false;
        s.cpu[c].dropFrom = x.choice;
        x.call('drop_mm_ref_this_cpu');
      },
    }),
  ]);
  const xenF5 = step('F5', 'if (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) xen_flush_tlb_multi: MMUEXT_TLB_FLUSH_MULTI(mm_cpumask(mm)) [hypercall]; else if (mm == loaded_mm) local flush', {
    fence: true,
    jumps: ['F7', 'FL'],
    do: (s, c, x) => {
      const me = s.cpu[c];
      const mask = s.mm[me.fMm].cpumask;
      if ((mask & ~bit(c)) !== 0) {
        hypervisorFlushMulti(s, mask, e);
        x.goto('F7');
        return;
      }
      me.fSnap = me.loadedMm === me.fMm ? bit(c) : 0;
      x.goto('FL');
    },
  });
  const cs1 = find(base, 'context_switch:CS1');
  const cs6 = find(base, 'context_switch:CS6');
  // Lazy MMU sections (docs/models/xen-pv.md sections 3 and 7; arch/x86/xen/mmu_pv.c): a PTE change of page x is
  // made as change_pte_range makes it (mprotect): arch_enter_lazy_mmu_mode; set_pte -> xen_set_pte ->
  // xen_batched_set_pte queues an MMU_UPDATE, issued with xen_mc_issue(XEN_LAZY_MMU), i.e. not yet;
  // arch_leave_lazy_mmu_mode -> xen_leave_lazy_mmu: xen_mc_flush, then leave_lazy; flush_tlb_range
  // after the section. The section runs under the PTE lock (preemption off), IRQs on: a flush IPI
  // taken meanwhile runs in interrupt context, where xen_get_lazy_mode() is NONE, and its CR3 hypercall
  // issues the whole per-CPU batch, the queued MMU_UPDATE first. A section never spans a context
  // switch here, so xen_start_context_switch's leave-and-remember (TIF_LAZY_MMU_UPDATES, the lazy-mmu
  // model) is not exercised: its BUG_ON on entering XEN_LAZY_CPU from another mode stays as is.
  // The khugepaged table unlink (pmdp_collapse_flush) and reclaim unmaps are not lazy MMU sections.
  const X = e.p.pages;
  const f0 = find(base, 'change_ptes:F0');
  const lazyF0 = {
    ...f0,
    jumps: [...(f0.jumps ?? []), 'LM2'],
    text: `op < ${X}: arch_enter_lazy_mmu_mode: xen_enter_lazy_mmu: enter_lazy(XEN_LAZY_MMU) [BUG_ON(xen_lazy_mode != XEN_LAZY_NONE)]; set_pte: xen_batched_set_pte queues MMU_UPDATE (xen_mc_issue(XEN_LAZY_MMU): batched); else ${f0.text}`,
    do: (s: any, c: number, x: any) => {
      if (x.choice >= X) return f0.do!(s, c, x);
      const me = s.cpu[c];
      s.changes = s.changes - 1;
      if (me.xenLazy !== XenLazy.ids.NONE) x.emit('XenLazyBug', c, XenBug.enterLazyNotNone);
      me.xenLazy = XenLazy.ids.MMU;
      me.mcPte = x.choice + 1;
      me.lmOp = x.choice + 1;
      x.goto('LM2');
    },
  };
  const lm2 = step('LM2', 'arch_leave_lazy_mmu_mode: xen_leave_lazy_mmu: xen_mc_flush() [hypercall: the queued MMU_UPDATE executes]; leave_lazy(XEN_LAZY_MMU) [BUG_ON(xen_lazy_mode != XEN_LAZY_MMU)]; then flush_tlb_range', {
    jumps: ['BA', 'FREE'],
    do: (s, c, x) => {
      const me = s.cpu[c];
      xenMcFlush(s, c, e, x);
      if (me.xenLazy !== XenLazy.ids.MMU) x.emit('XenLazyBug', c, XenBug.leaveLazyNotCurrent);
      me.xenLazy = XenLazy.ids.NONE;
      const op = me.lmOp - 1;
      me.lmOp = 0;
      startFlush(s, c, op, x, e);
    },
  });
  return applyEdits(base, [
    ...(e.f.xenLazyMmu ? [replace('change_ptes:F0', lazyF0), insertAfter('change_ptes:F0', lm2)] : []),
    // CS2 arch_start_context_switch: purely local, folded into CS1
    replace(
      'context_switch:CS1',
      wrap(cs1, 'xen_start_context_switch: enter XEN_LAZY_CPU (CS2)', (s, c, x) => {
        const me = s.cpu[c];
        if (me.xenLazy !== XenLazy.ids.NONE) x.emit('XenLazyBug', c, XenBug.enterLazyNotNone);
        me.xenLazy = XenLazy.ids.CPU;
      }),
    ),
    replace(
      'context_switch:CS6',
      wrap(cs6, 'xen_end_context_switch: xen_mc_flush() [hypercall]; leave XEN_LAZY_CPU (CS5)', (s, c, x) => {
        const me = s.cpu[c];
        xenMcFlush(s, c, e, x);
        if (me.xenLazy !== XenLazy.ids.CPU) x.emit('XenLazyBug', c, XenBug.leaveLazyNotCurrent);
        me.xenLazy = XenLazy.ids.NONE;
      }),
    ),
    replace('flush_tlb_mm_range:F5', xenF5),
    insertBefore('exit_mmap:EXM1', ...xenExitMmap),
    addProcedure(dropMmRef),
    addProcedure(dropIpi),
  ]);
}
