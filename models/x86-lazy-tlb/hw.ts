// Hardware actions and user code (README "TLB and paging-structure-cache fills"): the MMU may fill the
// TLB and the paging-structure caches from the page tables CR3 points at, at any moment (kernel mode,
// lazy mode, IRQs off, inside switch_mm_irqs_off); user code accesses its pages through the TLB.
import { Table } from './state.ts';
import { mmuFill, rules, step, type Env } from './env.ts';

/**
 * What a fill would add now: TLB entries for the pages not cached, and the table page if it is linked.
 * The CPU's own CR3 and TLB are tested before the shared page tables (the same answer, fewer shared reads).
 */
function fillable(s: any, c: number, e: Env): boolean {
  const me = s.cpu[c];
  if (me.cr3Mm >= e.M) return false;
  const t = me.tlb[me.cr3Asid];
  for (let x = 0; x < e.p.pages; x++) if (t.ver[x].v === e.EMPTY) return true;
  return !t.psc && s.mm[me.cr3Mm].table === Table.ids.linked;
}

export function hardware(e: Env) {
  return [
    ...(e.f.fills === 'any'
      ? [
          rules('mmu', 'cpu', [
            step('FILL', 'page walk from CR3: TLB entries at the current page-table version, PSC holds the linked table page', {
              when: (s, c) => fillable(s, c, e),
              do: (s, c) => mmuFill(s, c, e),
            }),
          ]),
        ]
      : []),
    // An NMI (perf user-stack sampling: perf_callchain_user -> copy_from_user_nmi) arrives at any
    // point, IRQs on or off, in the middle of switch_mm_irqs_off or flush_tlb_func. Since v4.19
    // (4012e77a903d, shape D on) copy_from_user_nmi first asks nmi_uaccess_okay(): loaded_mm ==
    // current->mm (a switch stores LOADED_MM_SWITCHING before its CR3 write, so the answer is false
    // inside the window). The handler is one atomic step: it reads only this CPU's state (through its
    // own store buffer under TSO), and nothing it does stays in the state, so it adds transitions but
    // no states. An NMI that finds nmi_uaccess_okay() false does no user access and changes nothing:
    // only the NMIs that access user memory are steps. The access goes through this CPU's CR3, which
    // P9 checks against current->mm (event NmiUaccess). In context_switch(), enter_lazy_tlb() sets
    // is_lazy before switch_to() changes current, so there nmi_uaccess_okay() still says yes while
    // should_flush_tlb() skips the CPU (P1n); `nmiChecksLazy` is a candidate fix that also tests is_lazy.
    ...(e.shape === 'D' || e.shape === 'E' || e.shape === 'mainline'
      ? [
          rules('nmi', 'cpu', [
            step('NMI', 'NMI: if (nmi_uaccess_okay() /* loaded_mm == current->mm */) copy_from_user_nmi() through CR3', {
              // current->mm first (the running task: no kernel thread without kthread_use_mm)
              when: (s, c) => s.cpu[c].currMm < e.M && s.cpu[c].online && s.cpu[c].loadedMm === s.cpu[c].currMm && !(e.f.nmiChecksLazy && s.cpu[c].isLazy),
              do: (s, c, x) => x.emit('NmiUaccess', c, s.cpu[c].currMm),
            }),
          ]),
        ]
      : []),
    rules(
      'user',
      'cpu',
      [
        step('ACCESS', 'user code (or a kthread_use_mm uaccess) touches page x of its mm through the TLB', {
          choose: { name: 'page', count: e.p.pages, of: null },
          // the CPU's own IRQ flag first: with IRQs off the guard reads nothing another CPU writes
          when: (s, c) => s.cpu[c].irqsOn && s.cpu[c].online && s.cpu[c].currMm < e.M,
          do: (s, c, x) => x.emit('UserAccess', c, s.cpu[c].currMm, x.choice),
        }),
      ],
      { idleOnly: true },
    ),
  ];
}
