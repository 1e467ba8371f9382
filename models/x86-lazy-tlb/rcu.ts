// RCU-deferred page-table freeing (docs/steps/x86-lazy-tlb.md, rcu:QS, exit_mmap:EXM2; mm/mmu_gather.c, mm/pgtable-generic.c).
//
// Under MMU_GATHER_RCU_TABLE_FREE, tlb_remove_table() batches the table pages and tlb_table_flush()
// first invalidates (tlb_table_invalidate -> tlb_flush_mmu_tlbonly, the flush with freed_tables), then
// hands the batch to call_rcu(tlb_remove_table_rcu); khugepaged's pte_free_defer() is call_rcu(pte_free_now)
// after pmdp_collapse_flush. The page is freed by the RCU callback once a grace period has elapsed:
// every CPU has passed a quiescent state after call_rcu. mm/mmu_gather.c: "We use the sched RCU
// variant, as that guarantees that IRQ/preempt disabling holds off grace periods" — an IRQs-off
// region (switch_mm_irqs_off inside context_switch, flush_tlb_func, do_shoot_lazy_tlb, exec's
// activate_mm) is a read-side critical section, and that is what protects a CPU whose CR3 still
// references a table of an mm whose mask bit it has already given up.
//
// Abstraction: mm.gp = the online CPUs that have not passed a quiescent state since call_rcu. A CPU
// reports one (QS) at any point with IRQs on: there it can take the scheduling-clock interrupt,
// which reports a quiescent state when it interrupted user mode or the idle loop, and under
// PREEMPT_RCU whenever it interrupted code outside a read-side critical section. The model does not
// track preempt_count / rcu_read_lock, so it lets every IRQs-on point report one: never later than
// the kernel, hence the table is never freed later than the kernel would free it (P3 sees the
// earliest free). The callback runs at the end of the grace period (folded into the last QS: freeing
// later only shortens the window P3 checks). An offline CPU is ignored (rcu_report_dead at HP2).
//
// tlb_remove_table_one() (the batch page could not be allocated): tlb_table_invalidate, then
// tlb_remove_table_sync_one() = smp_call_function(tlb_remove_table_smp_sync, NULL, 1) — an IPI to
// every other CPU, waited for — then __tlb_remove_table at once. An IPI is taken only with IRQs on, so
// in this abstraction the synchronous IPI is the same "every CPU reached an IRQs-on point" as the
// grace period: it is not modeled separately.
import { Table } from './state.ts';
import { bit, rules, step, type Env } from './env.ts';

/** Free the unlinked table page of mm m: at once (pte_free / tlb_remove_page) or via call_rcu. */
export function freeTable(s: any, c: number, m: number, rcu: boolean, x: any, e: Env): void {
  const mm = s.mm[m];
  if (!rcu) {
    mm.table = Table.ids.freed;
    x.emit('TableFree', c, m);
    return;
  }
  let online = 0;
  for (let d = 0; d < e.p.cpus; d++) if (s.cpu[d].online) online = online | bit(d);
  mm.table = Table.ids.deferred;
  mm.gp = online;
}

/** CPU c no longer holds up the grace periods in progress (QS, or rcu_report_dead when offlined). */
export function reportQs(s: any, c: number, x: any, e: Env): void {
  for (let m = 0; m < e.M; m++) {
    const mm = s.mm[m];
    if (!(mm.gp & bit(c))) continue;
    mm.gp = mm.gp & ~bit(c);
    if (mm.gp === 0) {
      // rcu_do_batch: tlb_remove_table_rcu / pte_free_now frees the page
      mm.table = Table.ids.freed;
      x.emit('TableFree', c, m);
    }
  }
}

function waitedFor(s: any, c: number, e: Env): boolean {
  for (let m = 0; m < e.M; m++) if (s.mm[m].gp & bit(c)) return true;
  return false;
}

/** Whether any table free of this configuration goes through call_rcu. */
export const rcuTableFree = (e: Env): boolean => e.f.tableFree === 'rcu' || e.f.collapseTableFree === 'rcu';

export function rcuQuiescentStates(e: Env) {
  return rules('rcu', 'cpu', [
    step('QS', 'rcu_sched_clock_irq / context switch / idle: this CPU reports a quiescent state (IRQs on, so not in an IRQs-off read-side section)', {
      // the CPU's own IRQ flag first: with IRQs off the guard reads nothing another CPU writes
      when: (s, c) => s.cpu[c].irqsOn && s.cpu[c].online && waitedFor(s, c, e),
      do: (s, c, x) => reportQs(s, c, x, e),
    }),
  ]);
}
