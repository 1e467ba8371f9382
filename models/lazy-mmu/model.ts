// lazy-mmu(cpus, tasks, counts): lazy MMU mode (docs/models/lazy-mmu.md): the v7.0 generic per-task layer
// (enable_count, pause_count) or the older direct arch hooks, over the arm64, powerpc hash, sparc64
// and Xen PV backends (flag `arch`), with preemption and migration between any two steps that do not
// disable preemption, interrupts that update kernel PTEs, and the Xen PV context-switch hooks that
// save and re-arm the per-CPU lazy mode. Tasks run a kernel-mapping section that may nest a section
// or pause. Warm start: task 0 runs on CPU0, the other tasks are runnable.
import { defineModel } from '../../src/lang/model.ts';
import { cpuProcedures } from './switch.ts';
import { lazyMmuState } from './state.ts';
import { taskProcedures } from './task.ts';

export default defineModel({
  name: 'lazy-mmu',
  title: 'lazy MMU mode: nesting, pause/resume, arch backends, Xen PV context switch',
  description:
    'Generic enable/disable/pause/resume counters and arch hooks (arm64, powerpc, sparc, Xen PV) under preemption, migration and interrupts; Xen PV saves and re-arms the per-CPU lazy mode across context switches.',
  params: {
    cpus: { default: 1, min: 1, max: 3, doc: 'CPUs (2 or 3 for migration with per-CPU batches)' },
    tasks: { default: 2, min: 1, max: 3, doc: 'tasks (one in a section, the others switch targets)' },
    counts: { default: 2, min: 2, max: 3, doc: 'bound of enable_count and pause_count (u8 in the kernel)' },
  },
  flags: {
    arch: { default: 'xen', values: ['xen', 'arm64', 'powerpc', 'sparc'], doc: 'the arch backend', scope: true },
    layer: { default: 'generic', values: ['generic', 'directHooks'], doc: 'v7.0 generic counters, or callers calling the arch hooks directly (before v7.0)' },
    xenNestingCounter: { default: false, doc: 'per-CPU xen_lazy_nesting (49147beb0ccb, reverted by c36549ff8d84; LMMU-1)' },
    arm64NestedEnter: { default: 'tolerate', values: ['warn', 'tolerate'], doc: 'arm64 direct hooks: warn on a nested enter (5fdd05efa1cd) or tolerate it (1ef3095b1405; LMMU-2)' },
    xenSwitchRearm: {
      default: 'tifFlag',
      values: ['tifFlag', 'taskCounters'],
      doc: 'xen_end_context_switch re-arms from TIF_LAZY_MMU_UPDATES set by xen_start_context_switch, or from next\'s counters (291b3abed657; LMMU-3)',
    },
    nestedSections: { default: true, doc: 'callers nest sections (generic set_ptes(), DEBUG_PAGEALLOC); v6.15 made callers not nest' },
    sleepingCallback: { default: false, doc: 'constructed (no kernel shape in the catalog): generic code sleeps inside a section (a GFP_KERNEL allocation in an apply_to_page_range() callback); mainline: only arm64 code may (L8)' },
  },
  scopes: {
    // Xen PV: ok, 119,811 states with CPU and task symmetry (477,000 without), a few seconds
    wide: { doc: '2 CPUs (tasks migrate between them)', params: { cpus: 2 } },
    // A third CPU needs a third task: with two tasks at most two CPUs are not idle, and under CPU
    // symmetry cpus=3 has exactly the orbits of cpus=2.
    deep: { doc: '3 CPUs, 3 tasks (tasks migrate among them; each CPU may run one)', params: { cpus: 3, tasks: 3 } },
  },
  actors: (p) => ({ cpu: p.cpus, task: p.tasks }),
  // The CPUs run the same context_switch() and interrupt rule; a task names a CPU only through
  // task.on (the CPU running it), and the properties loop over every CPU: the CPUs are
  // interchangeable (permuted with their per-CPU Xen mode, multicall buffer and TLB batch). So are
  // the tasks: each runs the same section code, and a CPU names a task only through curr, prev, next
  // (__schedule() picks any runnable one) and the owners of its multicall buffer and TLB batch, all
  // references renamed with the tasks. Only the warm start tells CPUs and tasks apart (task 0 on
  // CPU0), which symmetry reduction does not need: the successors of a permuted state are the
  // permuted successors (test/models/lazy-mmu-tasks.test.ts: one stored state per orbit).
  symmetry: () => [{ of: 'cpu' }, { of: 'task' }],
  state: (p) => lazyMmuState(p),
  init: (s, p, f) => {
    for (let c = 0; c < p.cpus; c++) {
      const me = s.cpu[c];
      me.curr = c === 0 ? 0 : p.tasks; // the idle task is p.tasks
      me.prev = p.tasks;
      me.next = p.tasks;
      me.mcOwner = p.tasks;
      me.batchOwner = p.tasks;
    }
    for (let t = 0; t < p.tasks; t++) s.task[t].on = t === 0 ? 0 : p.cpus; // p.cpus: not running
  },
  events: {
    ArchEnter: ['cpu or task owning the arch state', 'was lazy', 'nesting tolerated'],
    ArchLeave: ['cpu or task owning the arch state', 'was lazy', 'nesting tolerated'],
    BatchAdd: ['cpu', 'task', 'previous owner (tasks = none)'],
    Flushed: ['task'],
    CounterWarn: ['task', 'which (0 enable max, 1 enable zero, 2 pause max, 3 pause zero)'],
    PauseBegin: ['task'],
    ResumeEnd: ['task'],
    Schedule: ['cpu', 'prev (tasks = idle)'],
    Switched: ['cpu', 'prev (tasks = idle)'],
    IrqPte: ['cpu', 'deferred'],
  },
  stackDepth: 5,
  procedures: (p, f) => [...taskProcedures(p, f as any), ...cpuProcedures(p, f as any)],
});
