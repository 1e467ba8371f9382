// User-level actors (docs/models/membarrier.md 4.9) as abstract events: the caller is a JIT writer (W1 modify
// code, then membarrier(SYNC_CORE), W3 publish), the other threads of M access M's memory (U1),
// observe the flag (E1) and execute the new code (E2); a kthread inside kthread_use_mm accesses M
// through uaccess (KA). Steps fire only while the CPU is idle at the model level, i.e. in user mode
// (or, for a kthread, between two pieces of work). Guards test the CPU's own inUser / sawFlag before
// rq->curr, which the membarrier caller samples: a guard that fails on its own fields reads nothing shared.
import { type Params, type ProcedureDef, rules, step } from '../../src/lang/model.ts';
import { CALLER, KTHREAD, M, NO_MM, OTHER, RseqCs, SIBLING } from './defs.ts';

const R = RseqCs.ids;

export function userProcedures(p: Params): ProcedureDef[] {
  return [
    rules('user', 'cpu', [
      step('W1', 'JIT writer: modify code of M (then membarrier(PRIVATE_EXPEDITED_SYNC_CORE))', {
        when: (s, c) => s.cpu[c].inUser && s.cpu[c].curr === CALLER && !s.caller.modified && s.caller.calls === 0,
        do: (s, c, x) => {
          s.caller.modified = true;
          x.emit('CodeModified');
        },
      }),
      step('W3', 'JIT writer: publish the "new code ready" flag (after membarrier returned 0)', {
        when: (s, c) => s.cpu[c].inUser && s.cpu[c].curr === CALLER && s.caller.syncOk && !s.codeReady,
        do: (s) => { s.codeReady = true; },
      }),
      step('U1', 'a thread of M (or of N) loads/stores its process memory', {
        when: (s, c) => s.cpu[c].inUser && (s.cpu[c].curr === SIBLING || (s.cpu[c].curr === OTHER && s.otherMm !== NO_MM)),
        do: (s, c, x) => x.emit('UserAccess', c, s.cpu[c].curr === SIBLING ? M : s.otherMm),
      }),
      step('E1', 'executor thread of M: reads the flag', {
        when: (s, c) => s.cpu[c].inUser && !s.cpu[c].sawFlag && s.cpu[c].curr === SIBLING && s.codeReady,
        do: (s, c) => { s.cpu[c].sawFlag = true; },
      }),
      step('E2', 'executor thread of M: jumps to the new code', {
        when: (s, c) => s.cpu[c].inUser && s.cpu[c].sawFlag && s.cpu[c].curr === SIBLING,
        do: (s, c, x) => x.emit('ExecuteNew', c),
      }),
      // rseq (docs/models/membarrier.md 4.8): a thread of M runs a restartable sequence; its commit is the last
      // instruction of the critical section. A preemption, signal or ipi_rseq aborts it instead.
      step('RS1', 'a thread of M enters an rseq critical section (rseq->rseq_cs = &cs; start_ip)', {
        when: (s, c) => p.rseq === 1 && s.cpu[c].inUser && s.cpu[c].rseqCs === R.none && s.cpu[c].curr === SIBLING,
        do: (s, c, x) => {
          s.cpu[c].rseqCs = R.active;
          x.emit('RseqBegin', c);
        },
      }),
      step('RS2', 'the rseq critical section commits (its final store, at post_commit_ip)', {
        when: (s, c) => s.cpu[c].inUser && s.cpu[c].rseqCs === R.active,
        do: (s, c, x) => {
          s.cpu[c].rseqCs = R.none;
          x.emit('RseqCommit', c);
        },
      }),
      step('KA', 'kthread inside kthread_use_mm: copy_to_user / copy_from_user on its mm', {
        when: (s, c) => s.cpu[c].curr === KTHREAD && s.kthreadMm !== NO_MM,
        do: (s, c, x) => x.emit('UserAccess', c, s.kthreadMm),
      }),
    ], { idleOnly: true }),
  ];
}

