// Properties of the membarrier model (membarrier.md section 6: MBP-0 … MBP-6). Monitors keep their
// ghost state here; the model only emits events.
import { bool, int } from '../src/lang/domain.ts';
import { property } from '../src/lang/property.ts';
import { perCpu } from '../src/lang/schema.ts';
import { C, Cmd, cpuIdOf, NO_MM, NO_TASK, GLOBAL_EXPEDITED, GLOBAL_EXPEDITED_READY, IDLE, isPrivate, isRseq, M, mmOf, RET_EINVAL, RET_EPERM, RET_OK } from '../models/membarrier/defs.ts';
import { UNSET_KU } from '../models/membarrier/state.ts';

const models = ['membarrier'];
const bits = (set: number, n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => set & (1 << i));

export default [
  property({
    name: 'MBP-0',
    statement: 'A private expedited command (PRIVATE_EXPEDITED, _SYNC_CORE, _RSEQ) returns 0 only if its READY bit was set at P1; without it the call returns -EPERM with no barrier (a) and no IPI; GLOBAL under nohz_full returns -EINVAL.',
    ref: 'membarrier.md MBP-0; membarrier_private_expedited, membarrier_global',
    models,
    ghost: () => ({ checked: bool(), ready: bool() }),
    on: {
      ReadyCheck: (_s, g, _x, _cmd, ready) => {
        g.checked = true;
        g.ready = ready === 1;
      },
      BarrierA: (_s, g, x) => {
        if (g.checked && !g.ready) x.fail('barrier (a) executed although the READY bit was missing at P1');
      },
      IpiQueued: (_s, g, x, cpu) => {
        if (g.checked && !g.ready) x.fail(`IPI queued to cpu${cpu} although the READY bit was missing at P1`);
      },
      Return: (_s, g, x, cmd, ret, nohz) => {
        if (isPrivate(cmd)) {
          if (ret === RET_OK && !(g.checked && g.ready)) x.fail(`${Cmd.names[cmd]} returned 0 without its READY bit at P1`);
          if (g.checked && !g.ready && ret !== RET_EPERM) x.fail('an unregistered private command did not return -EPERM');
        }
        if (cmd === C.GLOBAL && nohz === 1 && ret !== RET_EINVAL) x.fail('MEMBARRIER_CMD_GLOBAL returned 0 while nohz_full is enabled');
        g.checked = false;
        g.ready = false;
      },
    },
  }),

  property({
    name: 'MBP-1',
    statement: 'Outside a context switch (SCH3–SCH10) and kthread_use_mm (KU4–KU8), a CPU whose rq->curr runs an mm whose GLOBAL_EXPEDITED registration has returned has GLOBAL_EXPEDITED in rq->membarrier_state.',
    ref: 'membarrier.md MBP-1; membarrier_switch_mm, membarrier_update_current_mm, sync_runqueues_membarrier_state',
    models,
    // the exemptions (next, kuOld, the CPU's store-buffer fill), rq->curr and the tsk->mm it names, the
    // mm's registration and the rq copy
    reads: ['cpu.next', 'cpu.kuOld', '$sb.n', 'cpu.curr', 'kthreadMm', 'otherMm', 'mm.state', 'cpu.rqmb'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const x = s.cpu[c];
        if (x.next !== NO_TASK || x.kuOld !== UNSET_KU) continue; // inside a window the guide exempts
        if (s.$sb && s.$sb[c].n > 0) continue; // its own rq store is still in the store buffer
        const m = mmOf(s, x.curr);
        if (m === NO_MM || !(s.mm[m].state & GLOBAL_EXPEDITED_READY)) continue;
        if (!(x.rqmb & GLOBAL_EXPEDITED)) {
          return `cpu${c} runs task ${x.curr} of mm${m}, registered GLOBAL_EXPEDITED (READY), but its rq->membarrier_state is ${x.rqmb} without GLOBAL_EXPEDITED: a global expedited membarrier skips it`;
        }
      }
      return null;
    },
  }),

  property({
    name: 'MBP-2',
    statement: 'After a successful expedited (or GLOBAL) membarrier, no CPU (with MEMBARRIER_CMD_FLAG_CPU: CPU cpu_id) accessed a target mm in a barrier-free window that began before barrier (a) and is still open at barrier (c), nor accesses it afterwards before its next full barrier.',
    ref: 'membarrier.md MBP-2 (window monitor, conservative for weak memory); barrier pairing table section 5',
    models,
    ghost: (p) => ({
      preA: int(0, (1 << p.cpus) - 1), // CPUs with no full barrier since barrier (a)
      targets: int(0, 7), // mms the call in flight orders
      // Per CPU (a record array: an array of scalars' set(i, v) stores at the wrong slot in this
      // engine version): mms accessed in the current window, and mms of returned calls whose window
      // the CPU has not closed yet.
      cpu: perCpu(p.cpus, { win: int(0, 7), taint: int(0, 7) }),
    }),
    on: {
      Mb: (_s, g, _x, c) => {
        g.preA = g.preA & ~(1 << c);
        g.cpu[c].win = 0;
        g.cpu[c].taint = 0;
      },
      UserAccess: (_s, g, x, c, m) => {
        if (g.cpu[c].taint & (1 << m)) x.fail(`cpu${c} accesses mm${m} after the membarrier returned, in a window without a full barrier since before barrier (a)`);
        g.cpu[c].win = g.cpu[c].win | (1 << m);
      },
      BarrierA: (s, g, _x, c, targets) => {
        g.targets = targets;
        g.preA = ((1 << s.cpu.length) - 1) & ~(1 << c);
        // MEMBARRIER_CMD_FLAG_CPU: only the thread running on cpu_id is a target of the command.
        const id = cpuIdOf(s.call.cmd);
        if (id >= 0) g.preA = g.preA & (1 << id);
      },
      BarrierC: (s, g, x) => {
        for (const c of bits(g.preA, s.cpu.length)) {
          const hit = g.cpu[c].win & g.targets;
          if (hit) return x.fail(`at barrier (c), cpu${c} has had no full barrier since before barrier (a) and accessed mm${bits(hit, 3)[0]} in that window`);
          g.cpu[c].taint = g.cpu[c].taint | g.targets;
        }
        g.preA = 0;
      },
    },
  }),

  property({
    name: 'MBP-3',
    statement: 'After a successful PRIVATE_EXPEDITED_SYNC_CORE, every CPU that executes the new code of the mm has executed a core-serializing instruction since the code was modified.',
    ref: 'membarrier.md MBP-3; ipi_sync_core, membarrier_mm_sync_core_before_usermode',
    models,
    ghost: (p) => ({ needSync: int(0, (1 << p.cpus) - 1) }),
    on: {
      CodeModified: (s, g) => {
        g.needSync = (1 << s.cpu.length) - 1;
      },
      Ser: (_s, g, _x, c) => {
        g.needSync = g.needSync & ~(1 << c);
      },
      ExecuteNew: (_s, g, x, c) => {
        if (g.needSync & (1 << c)) x.fail(`cpu${c} executes the new code of mm${M} without a core-serializing instruction since it was modified`);
      },
    },
  }),

  property({
    name: 'MBP-4',
    statement: 'After MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ returns 0, no thread of the mm commits an rseq critical section that was in progress at barrier (a) on a CPU the command targets (every CPU, or cpu_id with MEMBARRIER_CMD_FLAG_CPU): it is aborted and restarted at its abort handler.',
    ref: 'membarrier.md 4.8 and MBP-4; ipi_rseq, rseq_preempt, rseq_handle_notify_resume',
    models,
    ghost: (p) => ({
      live: int(0, (1 << p.cpus) - 1), // CPUs whose current user thread is inside a critical section (RS1 … commit or abort)
      preA: int(0, (1 << p.cpus) - 1), // the call in flight: CPUs whose user thread was inside a critical section at barrier (a)
      owed: int(0, (1 << p.cpus) - 1), // the same, for RSEQ calls that returned 0: these sections must not commit
    }),
    on: {
      RseqBegin: (_s, g, _x, c) => {
        g.live = g.live | (1 << c);
      },
      BarrierA: (s, g) => {
        g.preA = 0;
        if (!isRseq(s.call.cmd)) return;
        const id = cpuIdOf(s.call.cmd);
        g.preA = id < 0 ? g.live : g.live & (1 << id);
      },
      RseqAbort: (_s, g, _x, c) => {
        g.live = g.live & ~(1 << c);
        g.preA = g.preA & ~(1 << c);
        g.owed = g.owed & ~(1 << c);
      },
      RseqCommit: (_s, g, x, c) => {
        if (g.owed & (1 << c)) x.fail(`cpu${c} commits an rseq critical section that was in progress when PRIVATE_EXPEDITED_RSEQ executed barrier (a), after the command returned 0`);
        g.live = g.live & ~(1 << c);
        g.preA = g.preA & ~(1 << c);
      },
      Return: (_s, g, _x, cmd, ret) => {
        if (isRseq(cmd) && ret === RET_OK) g.owed = g.owed | g.preA;
        g.preA = 0;
      },
    },
  }),

  property({
    name: 'MBP-5',
    statement: 'membarrier and the scheduler never dereference an mm whose mm_count dropped to 0.',
    ref: 'membarrier.md MBP-5; 227a4aadc75b',
    models,
    on: {
      MmStateRead: (s, _g, x, m) => {
        if (s.mm[m].freed) x.fail(`atomic_read(&mm${m}->membarrier_state) after __mmdrop(mm${m}) freed it`);
      },
    },
  }),

  property({
    name: 'MBP-6',
    statement: 'membarrier IPIs only CPUs its filter selected: a CPU whose rq->curr ran a target mm (never idle or a kthread without mm).',
    ref: 'membarrier.md MBP-6 (informational)',
    models,
    ghost: (p) => ({ selected: int(0, (1 << p.cpus) - 1) }),
    on: {
      Target: (_s, g, x, c, task, m) => {
        if (task === IDLE || m === NO_MM) x.fail(`cpu${c} selected although its current task has no mm`);
        g.selected = g.selected | (1 << c);
      },
      IpiQueued: (_s, g, x, c) => {
        if (!(g.selected & (1 << c))) x.fail(`IPI to cpu${c}, which the sampling loop did not select`);
      },
      Return: (_s, g) => {
        g.selected = 0;
      },
    },
  }),
];
