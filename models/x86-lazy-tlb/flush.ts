// TLB flushing (arch/x86/mm/tlb.c; each step in docs/steps/x86-lazy-tlb.md, "Flushing"): the
// caller's page-table change (change_ptes:F0, or a kernel thread's: collapse_pte_mapped_thp,
// shrink_folio_list), flush_tlb_mm_range (F2 ... F7) with native_flush_tlb_multi and should_flush_tlb
// evaluated per target on the initiator, the IPI wait, flush_tlb_func (T1, T9, T4) as IPI handler and
// as local flush, the page-table free after the flush returned, and batched reclaim flushes
// (arch_tlbbatch_add_pending / arch_tlbbatch_flush).
import { Table } from './state.ts';
import { Assert } from './switch.ts';
import { bit, flushPcid, rules, seq, step, type Env } from './env.ts';
import { Life } from './state.ts';
import { mmput } from './lifetime.ts';
import { freeTable } from './rcu.ts';

/** Reset the initiator's flush_tlb_info and loop state (put_cpu; the info buffer is released). */
export function releaseInfo(me: any, e: Env): void {
  me.fMm = e.NULL;
  me.fBatch = false;
  me.fPage = 0;
  me.fFreed = false;
  me.fGen = 0;
  me.fTrim = false;
  me.fSnap = 0;
  me.fIter = e.NOCPU;
  me.fLm = e.NULL;
}

/** Whether any CPU still has a flush_tlb_func call queued or running for initiator `c`. */
export function callsOutstanding(s: any, c: number, n: number): boolean {
  for (let d = 0; d < n; d++) if (s.cpu[d].csd & bit(c)) return true;
  return false;
}

/** F0's page-table store of operation `op` (see changePtes) in mm m: the new PTE / the cleared PMD. */
export function pteStore(s: any, m: number, op: number, e: Env): void {
  const X = e.p.pages;
  const mm = s.mm[m];
  if (op < X) mm.ptv[op].v = mm.ptv[op].v + 1;
  else for (let y = 0; y < X; y++) mm.ptv[y].v = mm.ptv[y].v + 1;
  if (op === X) mm.table = Table.ids.unlinked;
}

/**
 * After F0's store: the caller fills flush_tlb_info for operation `op` on mm `m` (the running task's
 * mm, or the mm a kernel thread changed) and calls the flush.
 */
export function startFlush(s: any, c: number, op: number, x: any, e: Env, m: number = s.cpu[c].currMm): void {
  const X = e.p.pages;
  const me = s.cpu[c];
  me.fMm = m;
  if (op < X) {
    me.fPage = op;
  } else if (op === X) {
    me.fUnlink = true;
    me.fPage = e.ALL;
    // flush_tlb_range() passes freed_tables = true since 3ef938c35035 (TLB-4)
    me.fFreed = e.f.flushRangeFreedTables;
  } else {
    me.fPage = e.ALL;
    me.fBatch = true;
  }
  x.emit('FlushStart', c, m, me.fPage);
  if (me.fBatch) x.goto('BA');
  else x.call('flush_tlb_mm_range', 'FREE');
}

/** Whether operation `op` (see changePtes) may change mm m within the scope's generation bound. */
function changeAllowed(s: any, m: number, op: number, e: Env): boolean {
  const X = e.p.pages;
  const mm = s.mm[m];
  if (mm.tlbGen >= e.p.gens) return false;
  if (op < X) return mm.ptv[op].v < e.p.gens;
  for (let y = 0; y < X; y++) if (mm.ptv[y].v >= e.p.gens) return false;
  if (op === X) return mm.table === Table.ids.linked;
  return true;
}

/**
 * The end of a page-table change, shared by every initiator: BA, the reclaim path's
 * arch_tlbbatch_add_pending and arch_tlbbatch_flush, and FREE, the retracted table's free once the
 * flush returned (and a kernel thread's release of the mm it changed, see kthreadInitiators).
 */
function changeEpilogue(e: Env) {
  const { f } = e;
  return [
    step('BA', 'arch_tlbbatch_add_pending: inc_mm_tlb_gen(mm) [LOCK XADD]; batch->cpumask |= mm_cpumask(mm)', {
      jumps: ['FREE'],
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        incMmTlbGen(s, c, x, me.fMm);
        me.batchMask = me.batchMask | s.mm[me.fMm].cpumask;
        me.batchMm = me.fMm;
        me.fMm = e.NULL;
        me.fPage = 0;
        x.call('arch_tlbbatch_flush', 'FREE');
      },
    }),
    step('FREE', f.collapseTableFree === 'rcu' ? 'pte_free_defer(mm, pgtable): call_rcu(pte_free_now) (after the flush returned)' : 'pte_free(mm, pgtable): the retracted table is freed at once (after the flush returned)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        // a kernel thread changed the mm it holds in putMm; the mm's own task changed current->mm
        const hold = me.putMm !== e.NULL;
        if (me.fUnlink) freeTable(s, c, hold ? me.putMm : me.currMm, f.collapseTableFree === 'rcu', x, e);
        me.fUnlink = false;
        if (hold) mmput(s, c, x, e);
      },
    }),
  ];
}

/**
 * Page-table changes by the running task of mm m (tsk->mm, also inside kthread_use_mm): change one PTE
 * (flush_tlb_page / flush_tlb_mm_range over one page, freed_tables = false), unlink the lower-level
 * table (khugepaged collapse_pte_mapped_thp -> pmdp_collapse_flush -> flush_tlb_range), or a
 * reclaim unmap batched with arch_tlbbatch_add_pending.
 */
export function changePtes(e: Env) {
  const { p, f } = e;
  const X = p.pages;
  // choices: 0..X-1 = change PTE of page x; X = unlink the table page; X+1 = reclaim (batched)
  const ops = X + 1 + (f.batchedFlush ? 1 : 0);
  return seq('change_ptes', 'cpu', [
    step('F0', 'page-table store: PTE change of page x, PMD clear unlinking the table (collapse), or reclaim unmap', {
      jumps: ['BA', 'FREE'],
      choose: { name: 'op', count: ops, of: null },
      when: (s, c, x) => {
        const me = s.cpu[c];
        if (me.currMm >= e.M || !me.online || s.changes === 0) return false;
        return changeAllowed(s, me.currMm, x.choice, e);
      },
      do: (s, c, x) => {
        const m = s.cpu[c].currMm;
        s.changes = s.changes - 1;
        pteStore(s, m, x.choice, e);
        startFlush(s, c, x.choice, x, e, m);
      },
    }),
    ...changeEpilogue(e),
  ], { entry: true });
}

/**
 * Kernel threads that change and flush a user mm they do not run (kthreadFlush scope): khugepaged's
 * collapse (collapse_pte_mapped_thp -> pmdp_collapse_flush -> flush_tlb_range, then pte_free_defer)
 * and kswapd's reclaim (shrink_folio_list -> try_to_unmap_one -> set_tlb_ubc_flush_pending ->
 * arch_tlbbatch_add_pending, then try_to_unmap_flush -> arch_tlbbatch_flush). The kthread runs
 * lazily on whatever mm it borrowed (any user mm, its bit still set in that mm's mm_cpumask) or on
 * init_mm, so flush_tlb_mm_range's local flush is decided by `mm == loaded_mm` (F5), not by who
 * owns the mm. khugepaged holds mmap_read_lock (collapse) or the i_mmap lock (retract_page_tables)
 * and reclaim the rmap locks, which keep exit_mmap's free_pgtables out until they are done; the
 * model takes that exclusion as an mm_users hold (mmget_not_zero at the start, mmput at FREE: the
 * kthread may then run the last __mmput), kept in putMm.
 */
export function kthreadInitiators(e: Env) {
  const X = e.p.pages;
  const [ba, free] = changeEpilogue(e);
  const begin = (label: string, text: string, op: number) =>
    step(label, text, {
      jumps: [op === X ? 'FREE' : 'BA'],
      choose: { name: 'mm', count: e.M, of: 'mm' },
      when: (s, c, x) => {
        const me = s.cpu[c];
        // a kernel thread not inside kthread_use_mm (current->mm == NULL), lazy on some mm or on init_mm
        if (!me.currKthread || me.currMm !== e.NULL || !me.online || s.changes === 0) return false;
        const m = s.mm[x.choice];
        // khugepaged's hpage_collapse_test_exit(mm) / reclaim's page still mapped: mm_users > 0
        return m.life === Life.ids.live && m.users > 0 && !m.notrack && changeAllowed(s, x.choice, op, e);
      },
      fence: true,
      do: (s, c, x) => {
        const m = x.choice;
        s.changes = s.changes - 1;
        s.mm[m].users = s.mm[m].users + 1;
        s.cpu[c].putMm = m;
        pteStore(s, m, op, e);
        startFlush(s, c, op, x, e, m);
      },
    });
  return [
    seq('collapse_pte_mapped_thp', 'cpu', [
      begin('KH1', 'khugepaged: collapse_pte_mapped_thp(mm) -> pmdp_collapse_flush: pmdp_huge_get_and_clear (the PMD unlinking the PTE table) -> flush_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE)', X),
      free,
    ], { entry: true }),
    seq('shrink_folio_list', 'cpu', [
      begin('KS1', 'kswapd: shrink_folio_list -> try_to_unmap_one: ptep_get_and_clear (the PTEs of the folio); set_tlb_ubc_flush_pending(mm)', X + 1),
      ba,
      free,
    ], { entry: true }),
  ];
}

/** should_flush_tlb(cpu, info) once loaded_mm(cpu) was read into fLm and is_lazy(cpu) is `lazy`. */
function shouldFlush(s: any, i: number, lazy: boolean, e: Env): boolean {
  const me = s.cpu[i];
  if (lazy) return false;
  if (me.fBatch) return true;
  if (me.fLm === e.SWITCHING && e.f.shouldFlushChecksSwitching) return true;
  if (me.fLm === me.fMm) return true;
  return me.fTrim;
}

/** Does the initiator target every CPU of the snapshot (no per-CPU condition)? */
function unconditional(s: any, c: number, e: Env): boolean {
  const me = s.cpu[c];
  return e.shape === 'A' || e.shape === 'B' || e.shape === 'C' || (me.fFreed && !me.fBatch);
}

/** Queue flush_tlb_func on target d (llist_add + IPI: a LOCKed op). */
function enqueue(s: any, c: number, d: number): void {
  s.cpu[d].csd = s.cpu[d].csd | bit(c);
}

/**
 * The initiator's side once tlb_gen was bumped: F5 target selection over a snapshot of the mask,
 * the per-target should_flush_tlb (SF1 loaded_mm, SF2 is_lazy), the local call, the wait, F7.
 * Shared by flush_tlb_mm_range and arch_tlbbatch_flush.
 */
function flushMulti(e: Env) {
  const { p, INIT } = e;
  const N = p.cpus;
  // smp_call_function_many_cond walks its copy of the mask with for_each_cpu, in CPU order. With
  // anyOrderTargets (an over-approximation) SF1 visits any target of the snapshot not yet visited
  // (fLeft): the in-order walk is one of those choices at every step, so every kernel execution is
  // one of the model's, with the same steps; the CPUs are then interchangeable (symmetry.ts).
  const anyOrder = e.f.anyOrderTargets === true;
  /**
   * The next online CPU of the snapshot other than self, from `from` on: SF1 for it, else the local
   * call. With anyOrderTargets: the online targets not yet visited (fLeft); SF1 chooses one of them,
   * fIter = self meanwhile (the loop is running, its next target not yet chosen).
   */
  const nextTarget = (s: any, c: number, from: number, x: any): void => {
    const me = s.cpu[c];
    if (anyOrder) {
      let left = me.fLeft;
      for (let d = 0; d < N; d++) if (!s.cpu[d].online) left = left & ~bit(d); // & cpu_online_mask
      me.fLeft = left;
      me.fIter = left !== 0 ? c : e.NOCPU;
      x.goto(left !== 0 ? 'SF1' : 'FL');
      return;
    }
    let d = from;
    while (d < N && (d === c || !(me.fSnap & bit(d)) || !s.cpu[d].online)) d++; // & cpu_online_mask
    me.fIter = d < N ? d : e.NOCPU;
    x.goto(d < N ? 'SF1' : 'FL');
  };
  /**
   * FL, this CPU in the snapshot: F6 (the snapshot is this CPU alone) needs no should_flush_tlb, F5
   * already tested loaded_mm; flush_tlb_multi's on_each_cpu_cond_mask evaluates should_flush_tlb(self)
   * like a remote target's.
   */
  const runsLocally = (s: any, c: number): boolean => {
    const me = s.cpu[c];
    if ((me.fSnap & ~bit(c)) === 0 || unconditional(s, c, e)) return true;
    if (e.shape === 'D') return !me.isLazy;
    me.fLm = me.loadedMm;
    const run = shouldFlush(s, c, me.isLazy, e);
    me.fLm = e.NULL;
    return run;
  };
  return [
    step('F5', 'if (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) { trim = should_trim_cpumask(mm); flush_tlb_multi(); } else if (mm == loaded_mm) local flush', {
      jumps: ['FL', 'SF1'],
      choose: { name: 'trim', count: e.f.trimCpumask && (e.shape === 'E' || e.shape === 'mainline') ? 2 : 1, of: null },
      when: (s, c, x) => x.choice === 0 || (!s.cpu[c].fBatch && (s.mm[s.cpu[c].fMm].cpumask & ~bit(c)) !== 0),
      do: (s, c, x) => {
        const me = s.cpu[c];
        const mask = me.fBatch ? me.batchMask : s.mm[me.fMm].cpumask;
        me.fTrim = x.choice === 1;
        if ((mask & ~bit(c)) === 0) {
          // F6, only this CPU: flush_tlb_mm_range flushes locally `else if (mm ==
          // this_cpu_read(cpu_tlbstate.loaded_mm))`, whoever the initiating task is (a kernel thread
          // lazy on mm, or on init_mm, flushing a user mm); arch_tlbbatch_flush `else if
          // (cpumask_test_cpu(cpu, &batch->cpumask))`. fSnap = this CPU's bit: FL calls flush_tlb_func
          me.fSnap = (me.fBatch ? mask & bit(c) : me.loadedMm === me.fMm) ? bit(c) : 0;
          x.goto('FL');
          return;
        }
        me.fSnap = mask; // smp_call_function_many_cond copies the mask
        if (anyOrder) me.fLeft = mask & ~bit(c);
        nextTarget(s, c, 0, x);
      },
    }),
    step('SF1', anyOrder ? 'for each target cpu, in any order (the over-approximation anyOrderTargets): should_flush_tlb: lm = per_cpu(cpu_tlbstate.loaded_mm, cpu)' : 'for each target cpu: should_flush_tlb: lm = per_cpu(cpu_tlbstate.loaded_mm, cpu)', {
      jumps: ['FL', 'SF1'],
      ...(anyOrder ? { choose: { name: 'target', count: N, of: 'cpu' }, when: (s: any, c: number, x: any) => (s.cpu[c].fLeft & bit(x.choice)) !== 0 } : {}),
      do: (s, c, x) => {
        const me = s.cpu[c];
        if (anyOrder) {
          me.fIter = x.choice;
          me.fLeft = me.fLeft & ~bit(x.choice);
        }
        const d = me.fIter;
        if (unconditional(s, c, e)) {
          x.fence();
          enqueue(s, c, d);
        } else if (e.shape === 'D') {
          // v4.20-v6.13: tlb_is_not_lazy(cpu)
          if (!s.cpu[d].isLazy) {
            x.fence();
            enqueue(s, c, d);
          } else x.emit('FlushSkip', c, d, me.fBatch ? me.batchMm : me.fMm);
        } else {
          me.fLm = s.cpu[d].loadedMm;
          return;
        }
        nextTarget(s, c, d + 1, x);
      },
    }),
    step('SF2', 'should_flush_tlb: if (is_lazy(cpu)) skip; NULL mm, SWITCHING, lm == mm or trim: IPI [llist_add, LOCK]', {
      jumps: ['FL', 'SF1'],
      do: (s, c, x) => {
        const me = s.cpu[c];
        const d = me.fIter;
        if (shouldFlush(s, c, s.cpu[d].isLazy, e)) {
          x.fence();
          enqueue(s, c, d);
        } else x.emit('FlushSkip', c, d, me.fBatch ? me.batchMm : me.fMm);
        me.fLm = e.NULL;
        nextTarget(s, c, d + 1, x);
      },
    }),
    step('FL', 'local: F6 (only this CPU, mm == loaded_mm), or this CPU of flush_tlb_multi passes the condition: local_irq_disable(); flush_tlb_func(info)', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        const mine = (me.fSnap & bit(c)) !== 0;
        const run = mine && runsLocally(s, c);
        // The mask copy and info->trim_cpumask die here: smp_call_function_many_cond's walk over
        // the copy and should_flush_tlb (its only reader of trim_cpumask) are done, and neither
        // csd_lock_wait nor flush_tlb_func reads them. They are cleared now rather than at
        // put_flush_tlb_info (F7), so that flushes that differ only in them are one state.
        me.fSnap = 0;
        me.fTrim = false;
        if (!mine) return;
        if (!run) {
          if (me.loadedMm !== INIT) x.emit('FlushSkip', c, c, me.fBatch ? me.batchMm : me.fMm);
          return;
        }
        me.irqsOn = false;
        me.ftFrom = c;
        x.call('flush_tlb_func');
      },
    }),
    step('F7', 'csd_lock_wait: every queued flush_tlb_func has run (IRQs on meanwhile); flush complete; put_cpu()', {
      when: (s, c) => !callsOutstanding(s, c, N),
      do: (s, c, x) => {
        const me = s.cpu[c];
        x.emit('FlushDone', c, me.fBatch ? me.batchMm : me.fMm);
        if (me.fBatch) {
          me.batchMask = 0;
          me.batchMm = e.NULL;
        }
        releaseInfo(me, e);
      },
    }),
  ];
}

/**
 * inc_mm_tlb_gen(mm) [LOCK XADD] from a step, for the range the caller filled in (fPage: one page or
 * ALL): the new generation. P7e records what it covers: that range's page tables as they are now.
 */
function incMmTlbGen(s: any, c: number, x: any, mm: number): number {
  const m = s.mm[mm];
  m.tlbGen = m.tlbGen + 1;
  x.emit('TlbGenInc', c, mm, s.cpu[c].fPage);
  return m.tlbGen;
}

/** flush_tlb_mm_range(mm, start, end, stride, freed_tables): caller filled fMm, fPage, fFreed. */
export function flushTlbMmRange(e: Env) {
  return seq('flush_tlb_mm_range', 'cpu', [
    step('F2', 'new_tlb_gen = inc_mm_tlb_gen(mm) [LOCK XADD]; fill flush_tlb_info', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        const gen = incMmTlbGen(s, c, x, me.fMm);
        me.fGen = e.gens ? gen : 0;
      },
    }),
    ...flushMulti(e),
  ]);
}

/** arch_tlbbatch_flush(batch): info = { mm = NULL, full flush, TLB_GENERATION_INVALID } over batch->cpumask. */
export function archTlbbatchFlush(e: Env) {
  return seq('arch_tlbbatch_flush', 'cpu', [
    step('BF', 'info = get_flush_tlb_info(NULL, 0, TLB_FLUSH_ALL, 0, false, TLB_GENERATION_INVALID)', {
      do: (s, c) => {
        const me = s.cpu[c];
        me.fBatch = true;
        me.fMm = e.NULL;
        me.fPage = e.ALL;
        me.fGen = 0;
      },
    }),
    ...flushMulti(e).map((st) => ({ ...st })),
  ]);
}

/** The end of flush_tlb_func: csd_unlock (an IPI: the initiator may stop waiting) and IRQs back on. */
export function funcDone(s: any, c: number, e: Env): void {
  const me = s.cpu[c];
  if (me.ftFrom !== c) me.csd = me.csd & ~bit(me.ftFrom);
  me.ftFrom = e.NOCPU;
  me.irqsOn = true;
}

/**
 * flush_tlb_func(info) on this CPU, IRQs off (IPI handler or local call). T1: its early returns (a
 * CPU that no longer has f->mm loaded clears its stale mask bit; init_mm; a lazy CPU goes to T4,
 * switch_mm_irqs_off to init_mm); T9: the rest in one step, from the read of ctxs[asid].tlb_gen to
 * its update (the flush is serializing; only remote tlb_gen increments race with it).
 */
export function flushTlbFunc(e: Env) {
  const { shape, INIT } = e;
  const info = (s: any, c: number) => s.cpu[s.cpu[c].ftFrom];
  return seq('flush_tlb_func', 'cpu', [
    step('T1', 'if (f->mm && f->mm != loaded_mm) { clear stale cpumask bit; return } if (loaded_mm == &init_mm) return; if (is_lazy) goto T4', {
      jumps: ['T4'],
      do: (s, c, x) => {
        const me = s.cpu[c];
        const f = info(s, c);
        if (!f.fBatch && f.fMm !== me.loadedMm) {
          // v6.14+: trim the stale bit (LOCK BTR); older shapes just return
          if (shape === 'E' || shape === 'mainline') {
            x.fence();
            s.mm[f.fMm].cpumask = s.mm[f.fMm].cpumask & ~bit(c);
          }
          funcDone(s, c, e);
          x.ret();
          return;
        }
        if (me.loadedMm === INIT) {
          funcDone(s, c, e);
          x.ret();
          return;
        }
        if (me.isLazy && shape !== 'B') x.goto('T4');
      },
    }),
    step('T9', 'local = ctxs[asid].tlb_gen; mm_tlb_gen = mm->context.tlb_gen; partial (INVLPG) or full flush [serializing]; ctxs[asid].tlb_gen = mm_tlb_gen', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        const f = info(s, c);
        const a = me.loadedAsid;
        if (!e.gens) {
          flushPcid(s, c, me.cr3Asid, e.ALL, e);
          x.emit('Flushed', c, me.loadedMm);
          funcDone(s, c, e);
          x.ret();
          return;
        }
        const local = me.ctxs[a].tlbGen;
        // T6 (v5.13+): this CPU already flushed past that generation
        if ((shape === 'E' || shape === 'mainline') && f.fGen !== 0 && f.fGen <= local) {
          funcDone(s, c, e);
          x.ret();
          return;
        }
        const mmGen = s.mm[me.loadedMm].tlbGen;
        if (local > mmGen) x.emit('Assert', c, Assert.localGenAhead);
        if (f.fGen > mmGen && !f.fBatch) x.emit('Assert', c, Assert.flushGenAhead);
        if (local === mmGen) {
          funcDone(s, c, e);
          x.ret();
          return;
        }
        const partial = f.fPage !== e.ALL && f.fGen === local + 1 && f.fGen === mmGen;
        flushPcid(s, c, me.cr3Asid, partial ? f.fPage : e.ALL, e);
        me.ctxs[a].tlbGen = mmGen;
        x.emit('Flushed', c, me.loadedMm);
        funcDone(s, c, e);
        x.ret();
      },
    }),
    shape === 'A' && e.f.shapeA_leaveMmKeepsLazy
      ? step('T4', 'lazy: leave_mm(cpu): BUG_ON(state == TLBSTATE_OK); if (cpumask_test_cpu(cpu, mm_cpumask(active_mm))) { cpumask_clear_cpu [LOCK]; load_cr3(swapper_pg_dir) } (active_mm and TLBSTATE_LAZY stay)', {
          // v2.6.24-v4.12 leave_mm (arch/x86/mm/tlb.c): cpu_tlbstate.active_mm (loaded_mm here) is
          // kept, so a return to the same mm finds its bit clear and reloads CR3 (SW2a)
          do: (s, c, x) => {
            const me = s.cpu[c];
            if (!me.isLazy) x.emit('Assert', c, Assert.leaveMmNotLazy);
            const m = s.mm[me.loadedMm];
            if (!(m.cpumask & bit(c))) return;
            x.fence();
            m.cpumask = m.cpumask & ~bit(c);
            e.hw.writeCr3(s, c, INIT, 0, true, e, x);
            x.emit('Cr3Write', c, INIT, 1);
          },
        })
      : step('T4', shape === 'A' ? 'lazy: leave_mm: switch_mm_irqs_off(NULL, &init_mm, NULL)' : 'lazy: switch_mm_irqs_off(NULL, &init_mm, NULL)', {
          do: (s, c, x) => {
            s.cpu[c].swNext = INIT;
            x.call('switch_mm_irqs_off');
          },
        }),
    step('DONE', 'csd_unlock (an IPI: the initiator may stop waiting); IRQs back on', {
      do: (s, c) => funcDone(s, c, e),
    }),
  ]);
}

/** Interrupt delivery: a queued flush_tlb_func call runs on this CPU when IRQs are on. */
export function flushIpi(e: Env) {
  return rules('ipi', 'cpu', [
    step('FLUSH', 'flush IPI taken (IRQs on): flush_tlb_func(info of the initiator)', {
      choose: { name: 'from', count: e.p.cpus, of: 'cpu' },
      when: (s, c, x) => s.cpu[c].irqsOn && (s.cpu[c].csd & bit(x.choice)) !== 0,
      do: (s, c, x) => {
        const me = s.cpu[c];
        me.irqsOn = false;
        me.ftFrom = x.choice;
        x.call('flush_tlb_func');
      },
    }),
  ]);
}
