// State of the lazy_mmu model (docs/models/lazy-mmu.md section 7): per task the v7.0 generic counters
// (task_struct.lazy_mmu_state), the local of the call in progress, and the per-task arch state
// (arm64 TIF flags, Xen TIF_LAZY_MMU_UPDATES, preempt count); per CPU the arch state (Xen
// xen_lazy_mode and multicall buffer, powerpc/sparc TLB batch) and the context-switch locals.
import { bool, enumOf, int, ref } from '../../src/lang/domain.ts';
import { arrayOf, own, perCpu, published } from '../../src/lang/schema.ts';

/** xen_lazy_mode (arch/x86/include/asm/xen/hypervisor.h). */
export const XenLazy = enumOf(['NONE', 'MMU', 'CPU']);
/** The arch call decided at E2 / D2 / PA2 / RS2 and made at E3 / D3 / PA3 / RS3. */
export const ArchCall = enumOf(['none', 'enter', 'leave', 'flush']);

export const ids = { xen: XenLazy.ids, call: ArchCall.ids };
// "No task" and "no CPU" are the extra value after the last task / CPU (ref(..., { extra: ['none'] })):
// nullable references do not compile in this version of the language.
export const noTask = (s: any): number => s.task.length;
export const noCpu = (s: any): number => s.cpu.length;

export function lazyMmuState(p: { cpus: number; tasks: number; counts: number }) {
  return {
    cpu: perCpu(p.cpus, {
      curr: ref('task', p.tasks, { extra: ['idle'] }), // idle = the idle task (noTask)
      switching: bool(), // inside context_switch() (IRQs off, preemption off)
      prev: own(ref('task', p.tasks, { extra: ['idle'] })),
      next: own(ref('task', p.tasks, { extra: ['idle'] })),
      xenMode: XenLazy,
      xenNesting: int(0, 2), // xen_lazy_nesting (49147beb0ccb, LMMU-1)
      mcCount: int(0, 3), // queued mmu_update multicalls in this CPU's buffer
      mcOwner: ref('task', p.tasks, { extra: ['none'] }),
      batchActive: bool(), // ppc64_tlb_batch / sparc tlb_batch ->active
      batchN: int(0, 3), // ->index / ->tlb_nr
      batchOwner: ref('task', p.tasks, { extra: ['none'] }),
    }),
    task: arrayOf(
      p.tasks,
      {
        on: ref('cpu', p.cpus, { extra: ['none'] }), // the CPU running it, none (noCpu) when runnable
        enableCount: published(int(0, p.counts)), // xen_end_context_switch reads next's (taskCounters)
        pauseCount: published(int(0, p.counts)),
        call: own(ArchCall),
        tifLazy: own(bool()), // arm64 TIF_LAZY_MMU (direct-hook layer)
        tifPending: own(bool()), // arm64 TIF_LAZY_MMU_PENDING: deferred dsb(ishst); isb
        tifLazyMmuUpdates: bool(), // Xen TIF_LAZY_MMU_UPDATES set by xen_start_context_switch
        preemptCount: int(0, 2),
        sleeping: bool(), // blocked in schedule() (mutex_lock, GFP_KERNEL allocation): current until its CPU switches away

      },
      'task',
    ),
  };
}

/** __task_lazy_mmu_mode_active(t). */
export const taskActive = (t: any): boolean => t.enableCount > 0 && t.pauseCount === 0;
