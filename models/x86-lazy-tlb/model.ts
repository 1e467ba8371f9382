// x86 lazy TLB, TLB shootdown, PCID and mm lifetime (docs/steps/x86-lazy-tlb.md; arch/x86/mm/tlb.c,
// kernel/sched/core.c, kernel/fork.c, kernel/kthread.c, fs/exec.c). The mainline kernel (v6.18-rc
// ordering) with every historical fix and design generation (shapes A-E) as a flag; the historical
// kernels are the variant files in variants/.
import { defineModel } from '../../src/lang/model.ts';
import { deepScopes, lazyTlbFlags, lazyTlbParams, lazyTlbEvents } from './config.ts';
import { makeEnv, nativeHardware } from './env.ts';
import { lazyTlbProcedures } from './procedures.ts';
import { lazyTlbState } from './state.ts';
import { lazyTlbSymmetry } from './symmetry.ts';
import { initState } from './warm.ts';

export default defineModel({
  name: 'x86-lazy-tlb',
  title: 'x86 lazy TLB: switch_mm_irqs_off, flush IPIs, PCID, mm lifetime',
  description:
    'CPUs switch between user tasks and kernel threads (lazy mode), flush TLBs with IPIs selected by should_flush_tlb, run flush_tlb_func, free page tables, and manage mm_users / mm_count with lazy references; the hardware fills TLB and paging-structure caches from CR3 at any time.',
  params: lazyTlbParams,
  flags: lazyTlbFlags,
  memory: ['sc', 'tso'],
  storeBufferDepth: 2,
  stackDepth: 6,
  events: lazyTlbEvents,
  scopes: {
    // 8,196,253 states with the default reductions (symmetry over the user mms), about a minute
    wide: { doc: '3 CPUs (one context switch each), 3 generations, 2 page-table changes', params: { cpus: 3, switches: 1, gens: 3, changes: 2 } },
    ...deepScopes('CPUs'),
  },
  actors: (p) => ({ cpu: p.cpus }),
  state: (p) => lazyTlbState(p),
  init: (s, p, f) => initState(s, makeEnv(p, f, nativeHardware)),
  procedures: (p, f) => lazyTlbProcedures(makeEnv(p, f, nativeHardware)),
  symmetry: (p, f) => lazyTlbSymmetry(p, f),
  end: () => true,
});
