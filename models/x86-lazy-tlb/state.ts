// State of the lazy-TLB model (lazy-tlb.md section 2): per-CPU `cpu_tlbstate`, the running task and
// the runqueue, the hardware (CR3, TLB and paging-structure caches per PCID), the flush_tlb_info of
// the CPU as initiator, per-mm `mm_struct` fields, and the locals of the procedures in flight.
import { bool, enumOf, int, ref, setOf } from '../../src/lang/domain.ts';
import type { Params } from '../../src/lang/model.ts';
import { arrayOf, perCpu, perMm, plain } from '../../src/lang/schema.ts';

/** What happened to an mm's lower-level page-table page (one per mm) — lazy-tlb.md 2.6 `tablePage.state`. */
export const Table = enumOf(['linked', 'unlinked', 'freed']);
/** mm_struct life: not yet allocated (exec's new mm), alive, pgd freed by __mmdrop. */
export const Life = enumOf(['unborn', 'live', 'dead']);
export const Shapes = enumOf(['A', 'B', 'C', 'D', 'E', 'mainline']);

export function lazyTlbState(p: Params) {
  const M = p.mms;
  const N = p.cpus;
  const G = p.gens;
  // one encoding for every mm reference: user mms 0..M-1, init_mm, LOADED_MM_SWITCHING, NULL, and the
  // pseudo-value 'kthread' (context_switch's next task is a kernel thread); see env.ts
  const mmRef = () => ref('mm', M, { extra: ['init_mm', 'SWITCHING', 'NULL', 'kthread'] });
  const mm = mmRef;
  const mmOrNull = mmRef;
  const userMmOrNull = mmRef;
  const loaded = mmRef;
  const cpuOrNull = () => ref('cpu', N, { extra: ['none'] });
  const asid = () => int(0, p.asids - 1);
  return {
    // configuration (lazy-tlb.md 2.1), constant in a run: the shape and the lazy-reference scheme
    shape: Shapes,
    refcount: bool(),
    // scope bound: page-table changes (PTE change, table unlink, reclaim) still allowed, all mms together
    changes: int(0, p.changes),
    // scope bound: task exits (exit_mm) still allowed
    exits: int(0, p.exits),
    cpu: perCpu(N, {
      online: bool(),
      // scope bound: context switches this CPU may still do
      switches: int(0, p.switches),
      irqsOn: bool(),
      // the running task (rq->curr): PF_KTHREAD, tsk->mm, tsk->active_mm; and rq->prev_mm
      currKthread: bool(),
      currMm: userMmOrNull(),
      activeMm: mmOrNull(),
      prevMm: userMmOrNull(),
      // cpu_tlbstate / cpu_tlbstate_shared
      loadedMm: plain(loaded()),
      loadedAsid: asid(),
      isLazy: plain(bool()),
      nextAsid: asid(),
      ctxs: arrayOf(p.asids, { ctxId: mmOrNull(), tlbGen: int(0, G + 1) }, 'asid'),
      // hardware: CR3 (pgd, PCID), TLB entries as page-table versions (gens+2 = none), PSC holds the table page
      cr3Mm: mm(),
      cr3Asid: asid(),
      tlb: arrayOf(p.asids, { ver: arrayOf(p.pages, { v: int(0, G + 2) }), psc: bool() }, 'asid'),
      // queued flush_tlb_func calls (call_single_queue), one bit per initiating CPU
      csd: setOf('cpu', N),
      // SHOOTDOWN scheme: queued do_shoot_lazy_tlb calls, one bit per initiator
      shootCsd: setOf('cpu', N),
      // this CPU as flush initiator: its flush_tlb_info and loop state
      fMm: userMmOrNull(),
      fBatch: bool(),
      fPage: int(0, p.pages),
      fFreed: bool(),
      fGen: int(0, G + 1),
      fTrim: bool(),
      fUnlink: bool(),
      fSnap: setOf('cpu', N),
      fIter: int(0, N),
      fLm: loaded(),
      batchMask: setOf('cpu', N),
      batchMm: userMmOrNull(),
      // flush_tlb_func in progress: the initiator whose info it reads (NULL: none)
      ftFrom: cpuOrNull(),
      // switch_mm_irqs_off locals
      swNext: mm(),
      swPrev: loaded(),
      swPrevAsid: asid(),
      swWasLazy: bool(),
      swGen: int(0, G + 1),
      swAsid: asid(),
      swFlush: bool(),
      // context_switch: the next task (a user task of mm, or KTHREAD), the mm finish_task_switch drops
      csNext: mmRef(),
      csDrop: userMmOrNull(),
      csForceK: bool(),
      preemptible: bool(),
      // mmdrop argument; exec_mmap, kthread_use_mm, exit_mm / mmput locals
      mdMm: userMmOrNull(),
      exOld: mmOrNull(),
      exHolds: bool(),
      kuMm: userMmOrNull(),
      kuOld: mmOrNull(),
      putMm: userMmOrNull(),
      exNew: userMmOrNull(),
      shFrom: cpuOrNull(),
    }),
    mm: perMm(M, {
      life: Life,
      tlbGen: int(0, G + 1),
      ptv: arrayOf(p.pages, { v: int(0, G + 1) }),
      cpumask: setOf('cpu', N),
      table: Table,
      users: int(0, 3),
      count: int(0, 7),
    }),
  };
}
