// Properties of the membarrier model (docs/models/membarrier.md section 6: MBP-0 … MBP-6). Monitors keep their
// ghost state here; the model only emits events.
import { bool, int } from '../src/lang/domain.ts';
import { type EventHandler, type MonitorCtx, property } from '../src/lang/property.ts';
import { perCpu } from '../src/lang/schema.ts';
import { C, Cmd, cpuIdOf, CURR_CODES, primed, secondIssuerOf, Task, NO_MM, NO_TASK, GLOBAL_EXPEDITED, GLOBAL_EXPEDITED_READY, IDLE, isPrivate, isRseq, M, mmOf, RET_EINVAL, RET_EPERM, RET_OK, RQ_CURR, STATE_BITS } from '../models/membarrier/defs.ts';
import { UNSET_KU } from '../models/membarrier/state.ts';

const models = ['membarrier'];
const bits = (set: number, n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => set & (1 << i));

// Two issuers (param issuers = 2): the second issuer's call (OTHER's GLOBAL_EXPEDITED, or with param
// secondIssuer = 1 CALLER2's PRIVATE_EXPEDITED) emits the call events primed (BarrierA', …:
// models/membarrier/defs.ts CALL_EVENTS). A monitor that follows a call keeps one record per call,
// and its handler for call i is built by `perCall` (MBP-0, MBP-2, MBP-6). MBP-4 constrains the RSEQ
// commands, which the second issuer does not issue: it observes the caller's call only.
const SECOND = 1;
/** The handlers of a monitor's call events for both calls: those of make(0), and those of make(1) under the primed names. */
function perCall(make: (call: number) => Record<string, EventHandler>): Record<string, EventHandler> {
  const out: Record<string, EventHandler> = { ...make(0) };
  for (const [n, h] of Object.entries(make(SECOND))) out[primed(n)] = h;
  return out;
}

export default [
  property({
    name: 'MBP-0',
    statement: 'A private expedited command (PRIVATE_EXPEDITED, _SYNC_CORE, _RSEQ) returns 0 only if its READY bit was set at P1; without it the call returns -EPERM with no barrier (a) and no IPI; GLOBAL under nohz_full returns -EINVAL.',
    ref: 'docs/models/membarrier.md MBP-0; membarrier_private_expedited, membarrier_global',
    models,
    // checked / ready: the caller's call passed P1, and what it read there; second (issuers = 2): the
    // second issuer's (CALLER2's PRIVATE_EXPEDITED checks M's READY bit at P1')
    ghost: (p) => ({ checked: bool(), ready: bool(), ...(p.issuers > 1 ? { second: { checked: bool(), ready: bool() } } : {}) }),
    on: perCall((call) => ({
      ReadyCheck: (_s: any, g: any, _x: MonitorCtx, _cmd: number, ready: number) => {
        const r = call === SECOND ? g.second : g;
        r.checked = true;
        r.ready = ready === 1;
      },
      BarrierA: (_s: any, g: any, x: MonitorCtx) => {
        const r = call === SECOND ? g.second : g;
        if (r.checked && !r.ready) x.fail('barrier (a) executed although the READY bit was missing at P1');
      },
      IpiQueued: (_s: any, g: any, x: MonitorCtx, cpu: number) => {
        const r = call === SECOND ? g.second : g;
        if (r.checked && !r.ready) x.fail(`IPI queued to cpu${cpu} although the READY bit was missing at P1`);
      },
      Return: (_s: any, g: any, x: MonitorCtx, cmd: number, ret: number, nohz: number) => {
        const r = call === SECOND ? g.second : g;
        if (isPrivate(cmd)) {
          if (ret === RET_OK && !(r.checked && r.ready)) x.fail(`${Cmd.names[cmd]} returned 0 without its READY bit at P1`);
          if (r.checked && !r.ready && ret !== RET_EPERM) x.fail('an unregistered private command did not return -EPERM');
        }
        if (cmd === C.GLOBAL && nohz === 1 && ret !== RET_EINVAL) x.fail('MEMBARRIER_CMD_GLOBAL returned 0 while nohz_full is enabled');
        r.checked = false;
        r.ready = false;
      },
    })),
  }),

  property({
    name: 'MBP-1',
    statement: 'Outside a context switch (SCH3–SCH10) and kthread_use_mm (KU4–KU8), a CPU whose rq->curr runs an mm whose GLOBAL_EXPEDITED registration has returned has GLOBAL_EXPEDITED in rq->membarrier_state.',
    ref: 'docs/models/membarrier.md MBP-1; membarrier_switch_mm, membarrier_update_current_mm, sync_runqueues_membarrier_state',
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
    statement: 'After a successful expedited (or GLOBAL) membarrier, no CPU (with MEMBARRIER_CMD_FLAG_CPU: CPU cpu_id) accessed a target mm in a barrier-free window that began before barrier (a) and is still open at barrier (c), nor accesses it afterwards before its next full barrier; under sc and tso an access program-ordered before the runqueue store whose value made the caller skip the CPU is ordered by that store, under weak none is.',
    ref: 'docs/models/membarrier.md MBP-2 (window monitor); kernel/sched/membarrier.c scenarios B–E ((c) pairs with (d)) and the barrier pairing table section 5; docs/fidelity.md "MBP-2 and the memory model"',
    models,
    ghost: (p) => ({
      preA: int(0, (1 << p.cpus) - 1), // CPUs with no full barrier since barrier (a)
      targets: int(0, 7), // mms the call in flight orders
      // Per CPU (a record array: an array of scalars' set(i, v) stores at the wrong slot in this
      // engine version): mms accessed in the current window, and mms of returned calls whose window
      // the CPU has not closed yet. The rest is only set in a window with accesses before a runqueue
      // store (a scheduler or mm transition without its barrier before the store): the value of the
      // window's latest rq->curr (currCode + 1) and rq->membarrier_state (+ 1) store, 0 for none,
      // and the mms accessed after the latest of them.
      cpu: perCpu(p.cpus, {
        win: int(0, 7), taint: int(0, 7), after: int(0, 7), curr: int(0, CURR_CODES), state: int(0, STATE_BITS + 1),
        // issuers = 2: the window as the second call sees it (a Skip of one call orders the CPU's
        // accesses before the store it read for that call only)
        ...(p.issuers > 1 ? { win2: int(0, 7) } : {}),
      }),
      // issuers = 2: preA and targets of the second call
      ...(p.issuers > 1 ? { second: { preA: int(0, (1 << p.cpus) - 1), targets: int(0, 7) } } : {}),
    }),
    on: {
      Mb: (_s, g, x, c) => {
        g.preA = g.preA & ~(1 << c);
        const w = g.cpu[c];
        w.win = 0;
        w.taint = 0;
        w.after = 0;
        w.curr = 0;
        w.state = 0;
        if (x.params.issuers > 1) {
          g.second.preA = g.second.preA & ~(1 << c);
          w.win2 = 0;
        }
      },
      UserAccess: (_s, g, x, c, m) => {
        const w = g.cpu[c];
        if (w.taint & (1 << m)) x.fail(`cpu${c} accesses mm${m} after the membarrier returned, in a window without a full barrier since before barrier (a)`);
        w.win = w.win | (1 << m);
        if (x.params.issuers > 1) w.win2 = w.win2 | (1 << m);
        if (w.curr !== 0 || w.state !== 0) w.after = w.after | (1 << m);
      },
      // CPU c stores rq->curr (or the tsk->mm of its current task) or rq->membarrier_state. With no
      // access in the window and no store recorded, every access of the window follows the store:
      // nothing to record.
      RqStore: (_s, g, x, c, field, value) => {
        const w = g.cpu[c];
        if (w.win === 0 && w.curr === 0 && w.state === 0 && !(x.params.issuers > 1 && w.win2 !== 0)) return;
        // The record of the other field stays only while no access separates the two stores (SCH4
        // and SCH6u of one context switch): else it would claim accesses after it as ordered.
        if (field === RQ_CURR) {
          if (w.after !== 0) w.state = 0;
          w.curr = value + 1;
        } else {
          if (w.after !== 0) w.curr = 0;
          w.state = value + 1;
        }
        w.after = 0;
      },
      ...perCall((call) => ({
        // The caller skipped CPU c on the value it read. Under sc and tso, when that value is the one
        // c's latest runqueue store of the window wrote, c's accesses program-ordered before the store
        // are ordered before the caller's read (message passing: tso keeps store→store and load→load
        // order; kernel/sched/membarrier.c scenario B with (d) missing), so with barrier (c) they are
        // not in the open window; the accesses after the store stay (store→load is not kept). A value
        // read from an older store (the window's own still buffered, or no store in the window: a stale
        // reason, MB-3's kthread inside kthread_use_mm) orders none of them. Under weak stores to
        // different addresses reorder, so every access of the window counts.
        Skip: (_s: any, g: any, x: MonitorCtx, c: number, field: number, value: number) => {
          if (x.memory === 'weak') return;
          const w = g.cpu[c];
          const stored = field === RQ_CURR ? w.curr : w.state;
          if (stored !== value + 1) return;
          if (call === SECOND) w.win2 = w.after;
          else w.win = w.after;
        },
        BarrierA: (s: any, g: any, _x: MonitorCtx, c: number, targets: number) => {
          const r = call === SECOND ? g.second : g;
          r.targets = targets;
          r.preA = ((1 << s.cpu.length) - 1) & ~(1 << c);
          // MEMBARRIER_CMD_FLAG_CPU: only the thread running on cpu_id is a target of the command.
          const id = cpuIdOf((call === SECOND ? s.call2 : s.call).cmd);
          if (id >= 0) r.preA = r.preA & (1 << id);
        },
        BarrierC: (s: any, g: any, x: MonitorCtx) => {
          const r = call === SECOND ? g.second : g;
          for (const c of bits(r.preA, s.cpu.length)) {
            const w = g.cpu[c];
            const hit = (call === SECOND ? w.win2 : w.win) & r.targets;
            if (hit) return x.fail(`at barrier (c)${call === SECOND ? ` of ${Task.names[secondIssuerOf(x.params)!.task]}'s ${Cmd.names[s.call2.cmd]}` : ''}, cpu${c} has had no full barrier since before barrier (a) and accessed mm${bits(hit, 3)[0]} in that window`);
            w.taint = w.taint | r.targets;
          }
          r.preA = 0;
        },
      })),
    },
  }),

  property({
    name: 'MBP-3',
    statement: 'After a successful PRIVATE_EXPEDITED_SYNC_CORE, every CPU that executes the new code of the mm has executed a core-serializing instruction since the code was modified.',
    ref: 'docs/models/membarrier.md MBP-3; ipi_sync_core, membarrier_mm_sync_core_before_usermode',
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
    ref: 'docs/models/membarrier.md 4.8 and MBP-4; ipi_rseq, rseq_preempt, rseq_handle_notify_resume',
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
    ref: 'docs/models/membarrier.md MBP-5; 227a4aadc75b',
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
    ref: 'docs/models/membarrier.md MBP-6 (informational)',
    models,
    // selected: the CPUs the caller's call selected; selected2 (issuers = 2): the second call's
    ghost: (p) => ({ selected: int(0, (1 << p.cpus) - 1), ...(p.issuers > 1 ? { selected2: int(0, (1 << p.cpus) - 1) } : {}) }),
    on: perCall((call) => ({
      Target: (_s: any, g: any, x: MonitorCtx, c: number, task: number, m: number) => {
        if (task === IDLE || m === NO_MM) x.fail(`cpu${c} selected although its current task has no mm`);
        if (call === SECOND) g.selected2 = g.selected2 | (1 << c);
        else g.selected = g.selected | (1 << c);
      },
      IpiQueued: (_s: any, g: any, x: MonitorCtx, c: number) => {
        if (!((call === SECOND ? g.selected2 : g.selected) & (1 << c))) x.fail(`IPI to cpu${c}, which the sampling loop did not select`);
      },
      Return: (_s: any, g: any) => {
        if (call === SECOND) g.selected2 = 0;
        else g.selected = 0;
      },
    })),
  }),
];
