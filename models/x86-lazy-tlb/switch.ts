// switch_mm_irqs_off(unused, next, tsk) split into its steps (arch/x86/mm/tlb.c; docs/steps/x86-lazy-tlb.md,
// switch_mm_irqs_off:SW1-R2, with the historical shapes A-E), choose_new_asid, and enter_lazy_tlb. The caller stores `next` in
// swNext and calls the procedure with IRQs off. x86 uses loaded_mm as the real previous mm. The
// function's locals (prev, prev_asid, was_lazy, next_tlb_gen, new_asid, need_flush) are the frame's
// (`x.locals`, state.ts switchMmLocals), reset when the call returns.
import type { StepCtx, StepDef } from '../../src/lang/model.ts';
import { bit, seq, step, type Env } from './env.ts';
import { switchMmLocals } from './state.ts';

export const Assert = { sw2aMaskBit: 1, switchIrqsOn: 2, leaveMmNotLazy: 3, localGenAhead: 4, flushGenAhead: 5 } as const;

/**
 * Done with the switch: the argument `next` goes back to its value outside a call, so a finished call
 * leaves no trace in the state (the frame's locals are reset by the return itself).
 */
export function clearLocals(me: any, e: Env): void {
  me.swNext = e.INIT;
}

/** choose_new_asid(next, next_tlb_gen, &new_asid, &need_flush): a slot already caching next's ctx_id, else the round-robin victim. */
function chooseNewAsid(s: any, c: number, l: any, e: Env): void {
  const me = s.cpu[c];
  const next = me.swNext;
  if (e.p.asids > 1) {
    for (let a = 0; a < e.p.asids; a++) {
      if (me.ctxs[a].ctxId === next) {
        l.newAsid = a;
        l.needFlush = me.ctxs[a].tlbGen < l.nextTlbGen;
        return;
      }
    }
    l.newAsid = me.nextAsid;
    me.nextAsid = (me.nextAsid + 1) % e.p.asids;
  } else l.newAsid = 0;
  l.needFlush = true;
}

export function switchMmIrqsOff(e: Env) {
  const { shape, INIT, SWITCHING } = e;
  const mainlineLike = shape === 'E' || shape === 'mainline';
  const steps: StepDef<any>[] = [];
  const firstSwitchStep = shape === 'C' || shape === 'D' || (shape === 'A' && !e.f.shapeA_clearPrevAfterCR3) ? 'CLRPREV' : mainlineLike ? 'SW3b' : 'SW3c';

  steps.push(
    step('SW1', 'prev = loaded_mm; was_lazy = is_lazy; if (was_lazy) is_lazy = false', {
      jumps: ['SW2a', firstSwitchStep],
      do: (s, c, x) => {
        const me = s.cpu[c];
        const l = x.locals;
        if (me.irqsOn) x.emit('Assert', c, Assert.switchIrqsOn);
        l.prev = me.loadedMm;
        l.prevAsid = me.loadedAsid;
        l.wasLazy = me.isLazy;
        // shape A: cpu_tlbstate.state = TLBSTATE_OK; shape C: is_lazy cleared at entry; later: only if lazy
        if (me.isLazy || shape === 'A' || shape === 'C') me.isLazy = false;
        x.goto(l.prev === me.swNext ? 'SW2a' : firstSwitchStep);
      },
    }),
  );

  // prev == next
  if (shape === 'A' || shape === 'B') {
    steps.push(
      step('SW2a', shape === 'A' ? 'if (!cpumask_test_and_set_cpu(cpu, mm_cpumask(next))) reload CR3 [LOCK]' : 'if (cpu not in mm_cpumask(next)) cpumask_set_cpu(cpu, mm_cpumask(next)) [LOCK], else return', {
        jumps: ['R1'],
        fence: true,
        do: (s, c, x) => {
          const me = s.cpu[c];
          const m = s.mm[me.swNext];
          if (me.swNext === INIT || (m.cpumask & bit(c))) {
            clearLocals(me, e);
            x.ret();
            return;
          }
          m.cpumask = m.cpumask | bit(c);
          if (shape === 'A') {
            x.locals.needFlush = true;
            x.goto('R1');
          }
        },
      }),
    );
  } else {
    steps.push(
      step('SW2a', 'VM_WARN_ON(cpu not in mm_cpumask(next)) and set it; if (!was_lazy) return', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          const l = x.locals;
          // the warning exempts init_mm and notrack (temporary) mms: prev != &init_mm && !is_notrack_mm(prev)
          if (me.swNext !== INIT && l.prev !== INIT && !s.mm[l.prev].notrack && !(s.mm[me.swNext].cpumask & bit(c))) {
            x.emit('Assert', c, Assert.sw2aMaskBit);
            s.mm[me.swNext].cpumask = s.mm[me.swNext].cpumask | bit(c);
          }
          if (!l.wasLazy || shape === 'C' || me.swNext === INIT) {
            clearLocals(me, e);
            x.ret();
          }
        },
      }),
    );
  }
  if (shape !== 'A' && shape !== 'C') {
    steps.push(
      step('SW2e', 'smp_mb(); next_tlb_gen = next->context.tlb_gen; if (ctxs[prev_asid].tlb_gen == next_tlb_gen) return', {
        jumps: ['R1'],
        fence: true,
        do: (s, c, x) => {
          const me = s.cpu[c];
          const l = x.locals;
          l.nextTlbGen = s.mm[me.swNext].tlbGen;
          if (me.ctxs[l.prevAsid].tlbGen >= l.nextTlbGen) {
            clearLocals(me, e);
            x.ret();
            return;
          }
          l.newAsid = l.prevAsid;
          l.needFlush = true;
          x.goto('R1');
        },
      }),
    );
  }

  // prev != next
  const clearPrev = step('CLRPREV', 'cpumask_clear_cpu(cpu, mm_cpumask(prev)) [LOCK]', {
    fence: true,
    do: (s, c, x) => {
      const me = s.cpu[c];
      const prev = x.locals.prev;
      if (prev !== me.swNext && prev < e.M) s.mm[prev].cpumask = s.mm[prev].cpumask & ~bit(c);
    },
  });
  const sw3b = step('SW3b', 'loaded_mm = LOADED_MM_SWITCHING', {
    do: (s, c) => {
      s.cpu[c].loadedMm = SWITCHING;
    },
  });
  const sw3c = step('SW3c', mainlineLike ? 'if (next != &init_mm && !cpumask_test_cpu(cpu, mm_cpumask(next))) cpumask_set_cpu [LOCK]; else smp_mb()' : 'cpumask_set_cpu(cpu, mm_cpumask(next)) [LOCK]', {
    // mainline: a full fence on both branches; v6.14 had no fence when the bit was already set
    fence: !mainlineLike || e.f.fenceWhenMaskBitSet,
    do: (s, c, x) => {
      const me = s.cpu[c];
      if (me.swNext === INIT) return;
      const m = s.mm[me.swNext];
      if (!(m.cpumask & bit(c))) {
        x.fence();
        m.cpumask = m.cpumask | bit(c);
      }
    },
  });
  const sw3d = step('SW3d', e.gens ? 'next_tlb_gen = next->context.tlb_gen' : 'no tlb_gen in this kernel', {
    do: (s, c, x) => {
      const me = s.cpu[c];
      x.locals.nextTlbGen = me.swNext === INIT ? 0 : s.mm[me.swNext].tlbGen;
    },
  });
  if (mainlineLike) steps.push(sw3b, sw3c, sw3d);
  else if (shape === 'C' || shape === 'D') steps.push(clearPrev, sw3c, sw3d, sw3b);
  else if (shape === 'B') steps.push(sw3c, sw3d);
  else if (!e.f.shapeA_clearPrevAfterCR3) steps.push(clearPrev, sw3c);
  else steps.push(sw3c);

  steps.push(
    step('R1', 'choose_new_asid(); load_new_mm_cr3(next->pgd, new_asid, need_flush) [CR3 write, serializing]', {
      fence: true,
      do: (s, c, x) => {
        const me = s.cpu[c];
        const l = x.locals;
        if (l.prev !== me.swNext || !e.gens) {
          if (e.gens) chooseNewAsid(s, c, l, e);
          else l.needFlush = true;
        }
        if (l.needFlush && e.gens) {
          me.ctxs[l.newAsid].ctxId = me.swNext;
          me.ctxs[l.newAsid].tlbGen = l.nextTlbGen;
        }
        e.hw.writeCr3(s, c, me.swNext, l.newAsid, l.needFlush, e, x);
        x.emit('Cr3Write', c, me.swNext, l.needFlush ? 1 : 0);
      },
    }),
    step('R2', 'loaded_mm = next; loaded_mm_asid = new_asid', {
      do: (s, c, x) => {
        const me = s.cpu[c];
        me.loadedMm = me.swNext;
        me.loadedAsid = x.locals.newAsid;
        if (!(shape === 'B' || (shape === 'A' && e.f.shapeA_clearPrevAfterCR3))) {
          clearLocals(me, e);
          x.ret();
        }
      },
    }),
  );
  if (shape === 'B' || (shape === 'A' && e.f.shapeA_clearPrevAfterCR3)) {
    steps.push({ ...clearPrev, do: (s: any, c: number, x: StepCtx) => (clearPrev.do!(s, c, x), clearLocals(s.cpu[c], e)) });
  }
  return seq('switch_mm_irqs_off', 'cpu', steps, { locals: switchMmLocals(e.p) });
}

/**
 * enter_lazy_tlb(mm, tsk) inside a step: is_lazy = true unless loaded_mm is init_mm (plain store).
 * Shape B instead leaves mm_cpumask (the returned value says the step must then fence: LOCK BTR).
 */
export function enterLazyTlb(s: any, c: number, e: Env): void {
  const me = s.cpu[c];
  if (me.loadedMm === e.INIT) return;
  if (e.shape === 'B') {
    const m = s.mm[me.loadedMm];
    m.cpumask = m.cpumask & ~bit(c);
  }
  me.isLazy = true;
}
