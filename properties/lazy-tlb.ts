// Properties of the x86 lazy-TLB protocol (docs/steps/x86-lazy-tlb.md, "Properties"): P1-P10 and the code
// assertions the guide names (P7d, P7f, P8). Ghost state (completed-flush versions, skipped CPUs) lives
// here; the model only emits events and exposes its state.
import { int, setOf } from '../src/lang/domain.ts';
import { property } from '../src/lang/property.ts';
import { arrayOf, perCpu, perMm } from '../src/lang/schema.ts';
import { Life, Table } from '../models/x86-lazy-tlb/state.ts';
import { Assert } from '../models/x86-lazy-tlb/switch.ts';

const X86 = ['x86-lazy-tlb', 'xen-pv'];
const sbEmpty = (s: any, c: number) => !s.$sb || s.$sb[c].n === 0;
const mmName = (s: any, m: number) => (m < s.mm.length ? `mm${m}` : ['init_mm', 'SWITCHING', 'NULL', 'kthread'][m - s.mm.length]);

/** mm_count references of m held for a reason (REFCOUNT scheme, docs/steps/x86-lazy-tlb.md#p5). */
function holders(s: any, m: number, cpus: number): number {
  const mm = s.mm[m];
  // the users' reference, or the static reference of a temporary (notrack) mm (text_poke_mm, efi_mm)
  let h = mm.users > 0 || mm.notrack ? 1 : 0;
  for (let c = 0; c < cpus; c++) {
    const x = s.cpu[c];
    if (x.putMm === m && mm.users === 0) h++; // __mmput in progress holds the users' reference
    if (x.putMm === m && x.currMm === m) h++; // exit_mm's mmgrab_lazy_tlb before current->mm = NULL
    // a kernel thread's lazy active_mm (kthread_use_mm and hotplug move it to kuOld first), also the
    // idle task of an offline CPU: finish_cpu drops that reference (mmdrop_lazy_tlb)
    if (x.currKthread && x.currMm === s.mm.length + 2 && x.activeMm === m) h++;
    if (x.prevMm === m) h++;
    if (x.csDrop === m) h++;
    if (x.mdMm === m && mm.count > 0) h++; // at 0 the argument of __mmdrop is no holder
    if (x.kuMm === m) h++;
    if (x.kuOld === m) h++;
    if (x.exOld === m && x.exHolds) h++;
  }
  return h;
}

/** P2 at the point user code of m runs on c. */
function checkSkipped(s: any, g: any, x: { fail(r: string): void }, c: number, m: number): void {
  const me = s.cpu[c];
  const slot = me.ctxs[me.loadedAsid];
  const need = g.skipped[c].mm[m].gen;
  if (slot.ctxId === m && slot.tlbGen < need) {
    x.fail(`cpu${c} runs user code of mm${m} with its ASID slot at generation ${slot.tlbGen}, but a flush of generation ${need} skipped it`);
  }
}

/**
 * Ghost state of P1 and P1n: per mm and page, the page-table version the last completed flush covered
 * (a flush records the versions when it starts, FlushStart, and they count as covered at FlushDone).
 */
const completedFlushes = {
  ghost: (p: any) => ({
    empty: int(0, 7),
    doneVer: perMm(p.mms, { page: arrayOf(p.pages, { v: int(0, p.gens + 1) }) }),
    pend: perCpu(p.cpus, { page: arrayOf(p.pages, { v: int(0, p.gens + 1) }) }),
  }),
  init: (g: any, _s: any, p: any) => {
    g.empty = p.gens + 2;
  },
  on: {
    FlushStart: (s: any, g: any, _x: unknown, c: number, m: number, page: number) => {
      const n = s.mm[m].ptv.length;
      for (let y = 0; y < n; y++) if (page === n || page === y) g.pend[c].page[y].v = s.mm[m].ptv[y].v;
    },
    FlushDone: (s: any, g: any, _x: unknown, c: number, m: number) => {
      for (let y = 0; y < s.mm[m].ptv.length; y++) {
        if (g.pend[c].page[y].v > g.doneVer[m].page[y].v) g.doneVer[m].page[y].v = g.pend[c].page[y].v;
        g.pend[c].page[y].v = 0;
      }
    },
  },
};

export default [
  property({
    name: 'P1',
    statement: 'A user-mode access (or kthread_use_mm uaccess) never uses a TLB entry older than the last completed flush of that page.',
    ref: 'docs/steps/x86-lazy-tlb.md#p1 (flush_tlb_mm_range:F2, flush_tlb_mm_range:F7, user:ACCESS); flush_tlb_mm_range, flush_tlb_func (arch/x86/mm/tlb.c)',
    models: X86,
    ...completedFlushes,
    on: {
      ...completedFlushes.on,
      UserAccess: (s, g, x, c, m, page) => {
        const me = s.cpu[c];
        if (me.cr3Mm !== m) return x.fail(`cpu${c} runs code of mm${m} with CR3 on ${mmName(s, me.cr3Mm)}`);
        const v = me.tlb[me.cr3Asid].ver[page].v;
        const need = g.doneVer[m].page[page].v;
        if (v !== g.empty && v < need) {
          x.fail(`cpu${c} accesses page ${page} of mm${m} through a TLB entry of page-table version ${v}, but a flush covering version ${need} has completed`);
        }
      },
    },
  }),
  property({
    name: 'P1n',
    statement: 'A user access from an NMI that found nmi_uaccess_okay() (perf_callchain_user -> copy_from_user_nmi) never uses a TLB entry older than the last completed flush of that page.',
    ref: 'docs/steps/x86-lazy-tlb.md#p1n, docs/steps/x86-lazy-tlb.md#p9 (nmi:NMI); nmi_uaccess_okay (arch/x86/mm/tlb.c), enter_lazy_tlb, should_flush_tlb, context_switch (kernel/sched/core.c)',
    models: X86,
    // Between enter_lazy_tlb() (is_lazy = true) and switch_to() in context_switch(), current is still
    // the user task: nmi_uaccess_okay() (loaded_mm == current->mm) says yes while should_flush_tlb()
    // already skips the CPU, so an NMI can read the user stack through an entry a completed flush did
    // not remove. No x86 version checks is_lazy there.
    onRequest: 'an open candidate finding on every x86 version with nmi_uaccess_okay (v4.19+)',
    ...completedFlushes,
    on: {
      ...completedFlushes.on,
      NmiUaccess: (s, g, x, c, m) => {
        const me = s.cpu[c];
        if (me.cr3Mm !== m) return; // P9's finding
        for (let page = 0; page < g.doneVer[m].page.length; page++) {
          const v = me.tlb[me.cr3Asid].ver[page].v;
          const need = g.doneVer[m].page[page].v;
          if (v !== g.empty && v < need) {
            return x.fail(`an NMI on cpu${c} finds nmi_uaccess_okay() and reads page ${page} of mm${m} through a TLB entry of page-table version ${v}, but a flush covering version ${need} has completed`);
          }
        }
      },
    },
  }),
  property({
    name: 'P2',
    statement: 'A CPU that a completed flush of mm m skipped while it cached m does not run user code of m before its ASID slot caught up with that generation.',
    ref: 'docs/steps/x86-lazy-tlb.md#p2 (flush_tlb_mm_range:SF2, switch_mm_irqs_off:SW2e); should_flush_tlb, switch_mm_irqs_off (arch/x86/mm/tlb.c)',
    models: ['x86-lazy-tlb'],
    ghost: (p) => ({
      // indexed by mm (not a plain index): it moves with the mms under symmetry reduction
      skipped: perCpu(p.cpus, { mm: perMm(p.mms, { gen: int(0, p.gens + 1) }) }),
      // per initiator: CPUs its flush in flight skipped while they cached the mm, and its generation
      pend: perCpu(p.cpus, { cpus: setOf('cpu', p.cpus), gen: int(0, p.gens + 1) }),
    }),
    on: {
      FlushSkip: (s, g, _x, i, d, m) => {
        const o = s.cpu[d];
        let caches = false;
        for (let a = 0; a < o.ctxs.length; a++) if (o.ctxs[a].ctxId === m) caches = true;
        if (!caches) return;
        g.pend[i].cpus = g.pend[i].cpus | (1 << d);
        g.pend[i].gen = s.cpu[i].fGen || s.mm[m].tlbGen;
      },
      FlushDone: (_s, g, _x, i, m) => {
        for (let d = 0; d < g.pend.length; d++) {
          if (g.pend[i].cpus & (1 << d) && g.pend[i].gen > g.skipped[d].mm[m].gen) g.skipped[d].mm[m].gen = g.pend[i].gen;
        }
        g.pend[i].cpus = 0;
        g.pend[i].gen = 0;
      },
      // user code of m runs: a user access, or kthread_use_mm(m) completing
      UserAccess: (s, g, x, c, m) => checkSkipped(s, g, x, c, m),
      ReturnToUser: (s, g, x, c, m) => checkSkipped(s, g, x, c, m),
    },
  }),
  property({
    name: 'P3',
    statement: 'No CPU walks (through its current PCID\'s paging-structure cache) a page-table page that has been freed.',
    ref: 'docs/steps/x86-lazy-tlb.md#p3 (flush_tlb_mm_range:SF1, change_ptes:FREE, rcu:QS); freed_tables, tlb_remove_table (arch/x86/mm/tlb.c, mm/mmu_gather.c)',
    models: X86,
    reads: ['cpu.cr3Mm', 'cpu.cr3Asid', 'cpu.tlb.psc', 'mm.table'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        if (me.cr3Mm < p.mms && s.mm[me.cr3Mm].table === Table.ids.freed && me.tlb[me.cr3Asid].psc) {
          return `cpu${c} has CR3 on mm${me.cr3Mm} and its paging-structure cache still points into mm${me.cr3Mm}'s freed page-table page`;
        }
      }
      return null;
    },
  }),
  property({
    name: 'P4',
    statement: 'CR3 never references a freed pgd.',
    ref: 'docs/steps/x86-lazy-tlb.md#p4 (mmdrop:MD3); __mmdrop -> mm_free_pgd (kernel/fork.c)',
    models: X86,
    reads: ['cpu.cr3Mm', 'mm.life'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const m = s.cpu[c].cr3Mm;
        if (m < p.mms && s.mm[m].life === Life.ids.dead) return `cpu${c} has CR3 on mm${m}, whose pgd was freed`;
      }
      return null;
    },
  }),
  property({
    name: 'P5',
    statement: 'REFCOUNT: every mm_count reference is held for a reason (no drop without one, no holder without one), and the pgd is freed only when none is left.',
    ref: 'docs/steps/x86-lazy-tlb.md#p5 (context_switch:CS6, mmdrop:MD1); mmgrab_lazy_tlb, mmdrop, finish_task_switch (kernel/sched/core.c), exec_mmap (fs/exec.c)',
    models: X86,
    on: {
      MmDrop: (s, _g, x, c, m) => {
        if (x.flags.lazyRefs === 'refcount' && s.mm[m].count === 0) x.fail(`cpu${c} drops a reference of mm${m} whose mm_count is already 0`);
      },
    },
    reads: ['mm.life', 'mm.users', 'mm.count', 'mm.notrack', 'cpu.online', 'cpu.currKthread', 'cpu.currMm', 'cpu.activeMm', 'cpu.prevMm', 'cpu.csDrop', 'cpu.mdMm', 'cpu.kuMm', 'cpu.kuOld', 'cpu.exOld', 'cpu.exHolds', 'cpu.putMm'],
    check: (s, _g, p, f) => {
      if (f.lazyRefs !== 'refcount') return null;
      for (let m = 0; m < p.mms; m++) {
        if (s.mm[m].life !== Life.ids.live) continue;
        const h = holders(s, m, p.cpus);
        if (h !== s.mm[m].count) {
          return h > s.mm[m].count
            ? `mm${m} has ${h} reference holders but mm_count ${s.mm[m].count}: a reference was dropped twice`
            : `mm${m} has mm_count ${s.mm[m].count} but only ${h} reference holders: a reference leaked`;
        }
      }
      return null;
    },
  }),
  property({
    name: 'P6',
    statement: 'SHOOTDOWN: at the final mmdrop every CPU lazy on the mm, online or offline, is in mm_cpumask, and after cleanup_lazy_tlbs no CPU uses the mm.',
    ref: 'docs/steps/x86-lazy-tlb.md#p6 (mmdrop:MD2, do_shoot_lazy_tlb:SH1, cpu_down:HP1); cleanup_lazy_tlbs, do_shoot_lazy_tlb (kernel/fork.c), sched_force_init_mm (kernel/sched/core.c), finish_cpu (kernel/cpu.c)',
    models: ['x86-lazy-tlb'],
    // An offline CPU counts: its idle task keeps active_mm until finish_cpu, and cleanup_lazy_tlbs'
    // on_each_cpu_mask reaches online CPUs only, so an offline CPU must not be lazy on the mm at all
    // (why sched_force_init_mm switches to init_mm before the CPU goes offline)
    on: {
      FinalDrop: (s, _g, x, _c, m) => {
        for (let d = 0; d < s.cpu.length; d++) {
          const o = s.cpu[d];
          const where = o.online ? '' : ' (offline)';
          if (o.activeMm === m && !(s.mm[m].cpumask & (1 << d))) x.fail(`final mmdrop of mm${m}: cpu${d}${where} uses it as active_mm but is not in mm_cpumask`);
        }
      },
      CleanupDone: (s, _g, x, _c, m) => {
        for (let d = 0; d < s.cpu.length; d++) {
          const o = s.cpu[d];
          const where = o.online ? '' : ' (offline)';
          if (o.activeMm === m || o.loadedMm === m) x.fail(`after cleanup_lazy_tlbs(mm${m}) cpu${d}${where} still uses it`);
        }
      },
    },
  }),
  property({
    name: 'P7',
    statement: 'Bookkeeping: with IRQs on loaded_mm matches CR3 (P7a); is_lazy implies a user mm (P7b); since v6.14 mm_cpumask covers every CPU whose CR3 holds the mm (P7c); no ASID slot or flush is ahead of tlb_gen (P7d, P7f).',
    ref: 'docs/steps/x86-lazy-tlb.md#p7; struct tlb_state_shared comment, flush_tlb_func warnings (arch/x86/mm/tlb.c)',
    models: X86,
    on: {
      Assert: (_s, _g, x, c, kind) => {
        if (kind === Assert.localGenAhead) x.fail(`P7d: cpu${c}: ctxs[asid].tlb_gen is ahead of mm->context.tlb_gen`);
        if (kind === Assert.flushGenAhead) x.fail(`P7f: cpu${c}: f->new_tlb_gen is ahead of mm->context.tlb_gen`);
      },
    },
    // cpu.xenCr3: Linux's view of CR3 in the Xen form of P7a (xen-pv only)
    reads: ['cpu.online', '$sb.n', 'cpu.irqsOn', 'cpu.loadedMm', 'cpu.loadedAsid', 'cpu.cr3Mm', 'cpu.cr3Asid', 'cpu.xenCr3', 'cpu.isLazy', 'mm.cpumask', 'mm.notrack'],
    check: (s, _g, p, f) => {
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        if (!me.online || !sbEmpty(s, c)) continue;
        const cr3 = me.xenCr3 ?? me.cr3Mm;
        // shape A's leave_mm (v2.6.24-v4.12) loads swapper_pg_dir and keeps cpu_tlbstate.active_mm
        // (loaded_mm here) and TLBSTATE_LAZY: a lazy CPU's CR3 may be init_mm's then
        const leftLazily = f.lazyDesign === 'A' && me.isLazy && cr3 === p.mms;
        if (me.irqsOn && !leftLazily && (cr3 !== me.loadedMm || (me.xenCr3 === undefined && me.cr3Asid !== me.loadedAsid))) {
          return `P7a: cpu${c} has IRQs on with loaded_mm ${mmName(s, me.loadedMm)} but CR3 ${mmName(s, cr3)}`;
        }
        if (me.isLazy && me.loadedMm >= p.mms) return `P7b: cpu${c} is lazy on ${mmName(s, me.loadedMm)}`;
        // notrack (temporary) mms are exempt: unuse_temporary_mm clears the bit before its switch back
        if ((f.lazyDesign === 'mainline' || f.lazyDesign === 'E') && me.cr3Mm < p.mms && !s.mm[me.cr3Mm].notrack && !(s.mm[me.cr3Mm].cpumask & (1 << c))) {
          return `P7c: cpu${c} has CR3 on mm${me.cr3Mm} but is not in its mm_cpumask`;
        }
      }
      return null;
    },
  }),
  property({
    name: 'P7e',
    statement: 'Belief soundness: an ASID slot that records mm m at generation g caches no TLB entry of m older than what the flushes of m up to generation g cover (each: the page tables of its range when its inc_mm_tlb_gen ran).',
    ref: 'docs/steps/x86-lazy-tlb.md#p7e, docs/fidelity.md#p7e-a-flush-covers-its-own-range-x86-lazy-tlb-xen-pv (ctxs_c[a] = (id(m), g) => tlb[c][pcid(a)].minVer >= ptvAt(m, g)); the tlb_gen comment in mm_context_t (arch/x86/include/asm/mmu.h), the ctxs[] comment in struct tlb_state (arch/x86/include/asm/tlbflush.h)',
    models: X86,
    // ptvAt(m, g): per page, the page-table version the flushes of m with new_tlb_gen <= g cover. The
    // caller of a flush "will first make its changes to the page tables, then increment tlb_gen, then
    // flush" (mm_context_t): inc_mm_tlb_gen is a LOCK XADD after the caller's stores, so the flush to
    // generation g covers its own range (one page, or TLB_FLUSH_ALL) as it is at the increment. It
    // promises nothing about another page whose store another CPU made but whose own flush has not
    // incremented tlb_gen yet: flush_tlb_func's partial flush (new_tlb_gen == local + 1 == mm_tlb_gen)
    // leaves that page's entries, and the later generation of that page's own flush covers them.
    ghost: (p) => ({ ptvAt: perMm(p.mms, { gen: arrayOf(p.gens + 2, { page: arrayOf(p.pages, { v: int(0, p.gens + 1) }) }) }) }),
    init: (g, s, p) => {
      // a warm start: the generation each mm is at was reached with its current page tables
      for (let m = 0; m < p.mms; m++) for (let y = 0; y < p.pages; y++) g.ptvAt[m].gen[s.mm[m].tlbGen].page[y].v = s.mm[m].ptv[y].v;
    },
    on: {
      TlbGenInc: (s, g, _x, _c, m, range) => {
        const mm = s.mm[m];
        const at = g.ptvAt[m].gen;
        const gen = mm.tlbGen;
        for (let y = 0; y < mm.ptv.length; y++) {
          const before = at[gen - 1].page[y].v;
          const covered = range === mm.ptv.length || range === y ? mm.ptv[y].v : 0;
          at[gen].page[y].v = covered > before ? covered : before;
        }
      },
    },
    // and its own ghost ptvAt, written only by TlbGenInc's monitor (a write of a visible slot: the step
    // that emits it is never reordered)
    reads: ['cpu.online', 'cpu.ctxs', 'cpu.tlb.ver', 'cpu.cr3Mm', 'cpu.xenCr3', 'cpu.mcCr3', '$ghost'],
    check: (s, g, p) => {
      const empty = p.gens + 2;
      for (let c = 0; c < p.cpus; c++) {
        const me = s.cpu[c];
        if (!me.online) continue;
        for (let a = 0; a < p.asids; a++) {
          const m = me.ctxs[a].ctxId;
          if (m >= p.mms) continue;
          // Xen PV (no PCID): the TLB holds the entries of the hypervisor's CR3, and a CR3 write records
          // its generation in ctxs[0] when it queues MMUEXT_NEW_BASEPTR, whose TLB flush happens when
          // the batch is issued (before IRQs are on again, X3): the Xen form holds for the hypervisor's
          // CR3 with an empty batch
          if (me.xenCr3 !== undefined && (me.cr3Mm !== m || me.mcCr3 !== p.mms + 2)) continue;
          const gen = me.ctxs[a].tlbGen;
          for (let y = 0; y < p.pages; y++) {
            const v = me.tlb[a].ver[y].v;
            const need = g.ptvAt[m].gen[gen].page[y].v;
            if (v !== empty && v < need) return `cpu${c}: ASID slot ${a} records mm${m} at generation ${gen}, but caches page ${y} at page-table version ${v}, older than version ${need} of that generation`;
          }
        }
      }
      return null;
    },
  }),
  property({
    name: 'P8',
    statement: 'Code assertions hold: switch_mm_irqs_off runs with IRQs off, prev == next implies the CPU is in mm_cpumask(next), leave_mm runs only when lazy.',
    ref: 'docs/steps/x86-lazy-tlb.md#p8 (switch_mm_irqs_off:SW2a, flush_tlb_func:T4); VM_WARN_ON_ONCE in switch_mm_irqs_off, WARN_ON in leave_mm (arch/x86/mm/tlb.c)',
    models: X86,
    on: {
      Assert: (_s, _g, x, c, kind) => {
        if (kind === Assert.switchIrqsOn) x.fail(`cpu${c} entered switch_mm_irqs_off with IRQs on`);
        if (kind === Assert.sw2aMaskBit) x.fail(`cpu${c} switched to its loaded mm without being in its mm_cpumask (SW2a warning)`);
        if (kind === Assert.leaveMmNotLazy) x.fail(`cpu${c} ran leave_mm while not lazy`);
      },
    },
  }),
  property({
    name: 'P9',
    statement: 'An NMI that finds nmi_uaccess_okay() (loaded_mm == current->mm) accesses user memory through CR3 of that mm.',
    ref: 'docs/steps/x86-lazy-tlb.md#p9 (switch_mm_irqs_off:SW3b, switch_mm_irqs_off:R2); nmi_uaccess_okay (arch/x86/include/asm/tlbflush.h), copy_from_user_nmi, LOADED_MM_SWITCHING (4012e77a903d)',
    models: X86,
    on: {
      // the NMI step of the model (shapes D, E, mainline: nmi_uaccess_okay exists since v4.19); Xen: the
      // hypervisor's CR3 is what the MMU walks
      NmiUaccess: (s, _g, x, c, m) => {
        const cr3 = s.cpu[c].cr3Mm;
        if (cr3 !== m) x.fail(`an NMI on cpu${c} finds loaded_mm == current->mm == mm${m} and accesses user memory, but CR3 is on ${mmName(s, cr3)}`);
      },
    },
  }),
  property({
    name: 'P10',
    statement: 'Between rq->curr = next and next running user code there is a full barrier, and a core-serializing instruction if the user mm changed (membarrier coupling).',
    ref: 'docs/steps/x86-lazy-tlb.md#p10 (context_switch:CS1), docs/steps/membarrier.md; finish_task_switch, membarrier_mm_sync_core_before_usermode',
    // only when the lazy-TLB model is composed with the membarrier model (no such composition yet):
    // listed for completeness, bound to no model
    models: [],
  }),
];
