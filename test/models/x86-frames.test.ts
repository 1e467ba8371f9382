// Per-frame locals in x86-lazy-tlb: switch_mm_irqs_off's locals (prev, prev_asid, was_lazy,
// next_tlb_gen, new_asid, need_flush) and use_temporary_mm's prev live in the CPU's frames.
//
// In the kernel no x86 procedure of the model is re-entered by an interrupt while its locals are
// live: flush_tlb_func runs with IRQs off both as the IPI handler and as the local call
// (flush_tlb_mm_range: `local_irq_disable(); flush_tlb_func(info); local_irq_enable();`,
// smp_call_function_many_cond: `local_irq_save(flags); func(info); local_irq_restore(flags);`, and
// flush_tlb_func's own `lockdep_assert_irqs_disabled()`), and switch_mm_irqs_off runs with IRQs off
// by its contract (every caller disables them; P8 checks it at SW1). What does happen is an IPI in
// an IRQs-on region of one procedure running flush_tlb_func, and through T4 a switch_mm_irqs_off,
// on top of it: exit_mm after its `local_irq_enable()` (the CPU lazy on the exiting mm, a flush with
// freed_tables IPIs it), and an EFI call on efi_mm (use_temporary_mm's caller with IRQs on, its
// `prev` live). The tests follow both on the states of a trace, and check over whole scopes that no
// CPU ever holds two live switch_mm_irqs_off frames.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { compile, type Program } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { property } from '../../src/lang/property.ts';
import { Machine } from '../../src/engine/machine.ts';
import model from '../../models/x86-lazy-tlb/model.ts';
import { steps } from '../helpers/trace-steps.ts';

type Opts = { flags?: Record<string, unknown>; params?: Record<string, number> };
const NONE = -1; // a frame's mm local when the frame is not live (state.ts frameMmRef)
const ONE_SWITCH_KTHREAD = 121104;
const ONE_SWITCH_TEMP = 37871;

/** The program of the model at a scope, its Machine at the initial state, and the names of the CPU pcs. */
function machine(opts: Opts): { prog: Program; m: Machine; pcName: (pc: number) => string } {
  const prog = compile(instantiate(model, [], opts as never));
  const m = new Machine(prog);
  m.init();
  const names = prog.actorKinds.find((k) => k.name === 'cpu')!.pcNames;
  return { prog, m, pcName: (pc) => names[pc] };
}

/** Replays a counterexample's steps on the Machine, calling `look` after each with the step's name. */
function replay(prog: Program, m: Machine, trace: readonly { actor: string; procedure: string; label: string; choice: number }[], look: (name: string, cpu: number) => void): void {
  for (const t of trace) {
    const cpu = Number(t.actor.replace('cpu', ''));
    const st = prog.steps.find((s) => s.name === `${t.procedure}:${t.label}`)!;
    expect(m.enabled(st, cpu, t.choice), `${t.actor} ${st.name} is enabled`).toBe(true);
    m.apply(st, cpu);
    expect(m.violation).toBe(null);
    look(st.name, cpu);
  }
}

/** Runs CPU c's seq step at its pc (choice 0): the CPU's own next statement. */
function stepCpu(prog: Program, m: Machine, c: number): string {
  const pc = m.pcOf(0, c);
  const st = prog.steps.find((s) => s.kind === 'seq' && s.actorKind === 'cpu' && s.pc === pc)!;
  expect(m.enabled(st, c, 0), `cpu${c} ${st.name} is enabled`).toBe(true);
  m.apply(st, c);
  expect(m.violation).toBe(null);
  return st.name;
}

/** A reachability target as a property (its "violation" is the state sought). */
const reach = (statement: string, hit: (s: any, c: number) => string | null) =>
  property({
    name: 'REACH', statement, ref: 'test', models: ['x86-lazy-tlb'],
    check: (s: any, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const why = hit(s, c);
        if (why !== null) return `cpu${c} ${why}`;
      }
      return null;
    },
  });

/** Levels of CPU c's stack whose switch_mm_irqs_off frame is live (prev stored at SW1, reset at the return). */
const liveSwitchLevels = (s: any, c: number): number[] => {
  const fr = s.$ctl.cpu[c].frame;
  const out: number[] = [];
  for (let d = 0; d < fr.length; d++) if (fr[d].switch_mm_irqs_off.prev !== NONE) out.push(d);
  return out;
};

describe('x86-lazy-tlb per-frame locals', () => {
  it('exit_mm, IRQs on and lazy on the exiting mm: a flush IPI runs flush_tlb_func, whose T4 switch to init_mm gets its own frame; exit_mm resumes at EM5 with every frame reset', () => {
    const opts = {};
    const { prog, m, pcName } = machine(opts);
    // an IPI-delivered flush_tlb_func (its caller's return pc is not F7, where the local call returns)
    // that called switch_mm_irqs_off through T4
    const target = reach('an IPI nests switch_mm_irqs_off on top of an interrupted procedure', (s, c) => {
      const k = s.$ctl.cpu[c];
      for (const d of liveSwitchLevels(s, c)) {
        if (d < 2 || d > k.sp) continue;
        if (pcName(k.stack.get(d - 1)) === 'flush_tlb_func:DONE' && !pcName(k.stack.get(d - 2)).endsWith(':F7')) return `level ${d} over ${pcName(k.stack.get(d - 2))}`;
      }
      return null;
    });
    const r = check(model, [target], { maxSeconds: 60, ...opts } as never);
    expect([r.verdict, r.reason]).toEqual(['violation', 'cpu1 level 2 over exit_mm:EM5']);
    expect(steps(r).slice(-5)).toEqual(['cpu1 exit_mm:EM3', 'cpu1 ipi:FLUSH (from=cpu0)', 'cpu1 flush_tlb_func:T1', 'cpu1 flush_tlb_func:T4', 'cpu1 switch_mm_irqs_off:SW1']);

    // The trace's states: every switch_mm_irqs_off before the IPI ran at level 1 and left its frame
    // reset; the nested one runs at level 2 (exit_mm at 0, flush_tlb_func at 1).
    const v = m.view as any;
    const cpu1 = () => v.$ctl.cpu[1];
    replay(prog, m, r.trace!, (name, c) => {
      if (name === 'switch_mm_irqs_off:R2') expect(liveSwitchLevels(v, c)).toEqual([]);
    });
    const mm = v.cpu[1].loadedMm;
    expect(mm).toBeLessThan(v.mm.length);
    expect([cpu1().sp, v.cpu[1].isLazy, v.cpu[1].irqsOn]).toEqual([2, false, false]);
    expect(cpu1().frame[2].switch_mm_irqs_off.prev).toBe(mm);
    expect(cpu1().frame[2].switch_mm_irqs_off.wasLazy).toBe(true);
    expect(liveSwitchLevels(v, 1)).toEqual([2]);
    // The nested switch runs to its end: its locals are its own until R2, then the frame is reset.
    const ran: string[] = [];
    while (pcName(m.pcOf(0, 1)).startsWith('switch_mm_irqs_off:')) {
      ran.push(stepCpu(prog, m, 1));
      if (ran.at(-1) === 'switch_mm_irqs_off:R1') expect([cpu1().frame[2].switch_mm_irqs_off.prev, cpu1().frame[2].switch_mm_irqs_off.needFlush]).toEqual([mm, true]);
    }
    expect(ran).toEqual(['switch_mm_irqs_off:SW3b', 'switch_mm_irqs_off:SW3c', 'switch_mm_irqs_off:SW3d', 'switch_mm_irqs_off:R1', 'switch_mm_irqs_off:R2']);
    expect([cpu1().sp, liveSwitchLevels(v, 1), v.cpu[1].loadedMm]).toEqual([1, [], v.mm.length]);
    // flush_tlb_func's DONE returns from the IPI to the interrupted exit_mm
    expect(stepCpu(prog, m, 1)).toBe('flush_tlb_func:DONE');
    expect([cpu1().sp, pcName(m.pcOf(0, 1)), v.cpu[1].irqsOn]).toEqual([0, 'exit_mm:EM5', true]);
    for (let d = 0; d < cpu1().frame.length; d++) {
      const f = cpu1().frame[d].switch_mm_irqs_off;
      expect([f.prev, f.prevAsid, f.wasLazy, f.nextTlbGen, f.newAsid, f.needFlush], `level ${d}`).toEqual([NONE, 0, false, 0, 0, false]);
    }
  });

  it('an EFI call on efi_mm (IRQs on): a flush IPI runs on top of use_temporary_mm\'s frame; its prev is intact when the IPI returns, and the switch back at TM5 runs in the frame above it', () => {
    const opts = { flags: { temporaryMm: true }, params: { mms: 3, exits: 0 } };
    const TEMP = 2;
    const { prog, m, pcName } = machine(opts);
    // the IPI has trimmed this CPU's bit from the mm it goes back to and returned (sp back to 0)
    const target = reach('after a flush IPI during the EFI call', (s, c) => {
      const me = s.cpu[c];
      const prev = s.$ctl.cpu[c].frame[0].use_temporary_mm.prev;
      return me.loadedMm === TEMP && me.irqsOn && s.$ctl.cpu[c].sp === 0 && prev >= 0 && prev < TEMP && !(s.mm[prev].cpumask & (1 << c)) ? 'on efi_mm, bit trimmed' : null;
    });
    const r = check(model, [target], { maxSeconds: 60, ...opts } as never);
    expect(r.verdict).toBe('violation');
    const c = Number(r.reason!.slice(3, 4));
    const mine = steps(r).filter((x) => x.startsWith(`cpu${c} `));
    expect(mine.slice(-3)).toEqual([`cpu${c} use_temporary_mm:TM3 (irqs=1)`, `cpu${c} ipi:FLUSH (from=cpu${1 - c})`, `cpu${c} flush_tlb_func:T1`]);

    const v = m.view as any;
    const k = () => v.$ctl.cpu[c];
    let prev = NONE;
    let inIpi = false;
    replay(prog, m, r.trace!, (name, a) => {
      if (a !== c) return;
      if (name === 'use_temporary_mm:TM2') prev = k().frame[0].use_temporary_mm.prev;
      if (name === 'ipi:FLUSH') inIpi = true;
      if (inIpi) {
        // the IPI's frames are above level 0; use_temporary_mm's prev is the one TM2 stored
        expect(k().frame[0].use_temporary_mm.prev).toBe(prev);
        expect(k().sp).toBe(name === 'flush_tlb_func:T1' ? 0 : 1);
      }
    });
    expect(inIpi).toBe(true);
    expect(prev).toBeGreaterThanOrEqual(0);
    expect(prev).toBeLessThan(TEMP);
    expect([pcName(m.pcOf(0, c)), k().frame[0].use_temporary_mm.prev]).toEqual(['use_temporary_mm:TM4', prev]);
    // TM4, TM5: the switch back runs at level 1, its prev is efi_mm, the caller's prev (level 0) stays
    expect(stepCpu(prog, m, c)).toBe('use_temporary_mm:TM4');
    expect(stepCpu(prog, m, c)).toBe('use_temporary_mm:TM5');
    expect(stepCpu(prog, m, c)).toBe('switch_mm_irqs_off:SW1');
    expect([k().sp, k().frame[1].switch_mm_irqs_off.prev, k().frame[0].use_temporary_mm.prev]).toEqual([1, TEMP, prev]);
    while (pcName(m.pcOf(0, c)).startsWith('switch_mm_irqs_off:')) stepCpu(prog, m, c);
    expect([k().sp, v.cpu[c].loadedMm, v.cpu[c].cr3Mm, k().frame[1].switch_mm_irqs_off.prev, k().frame[0].use_temporary_mm.prev]).toEqual([0, prev, prev, NONE, prev]);
    expect(v.mm[prev].cpumask & (1 << c)).not.toBe(0); // SW3c set the trimmed bit again
    expect(stepCpu(prog, m, c)).toBe('use_temporary_mm:TM6');
    expect([pcName(m.pcOf(0, c)), k().frame[0].use_temporary_mm.prev]).toEqual(['idle', NONE]);
  });

  // IRQs are off in switch_mm_irqs_off, so no interrupt nests a second call in a live one: over whole
  // scopes, at most one frame of it is live per CPU, and use_temporary_mm's only at level 0.
  const oneSwitch = property({
    name: 'ONE-SWITCH', statement: 'at most one live switch_mm_irqs_off frame per CPU; use_temporary_mm\'s frame live only at level 0', ref: 'test', models: ['x86-lazy-tlb'],
    check: (s: any, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        if (liveSwitchLevels(s, c).length > 1) return `cpu${c}: switch_mm_irqs_off live at levels ${liveSwitchLevels(s, c).join(', ')}`;
        const fr = s.$ctl.cpu[c].frame;
        if (fr[0].use_temporary_mm !== undefined) for (let d = 1; d < fr.length; d++) if (fr[d].use_temporary_mm.prev !== NONE) return `cpu${c}: use_temporary_mm live at level ${d}`;
      }
      return null;
    },
  });

  it('no CPU holds two live switch_mm_irqs_off frames: mainline with kernel-thread flushers, and with temporary mms', () => {
    const a = check(model, [oneSwitch], { maxSeconds: 60, flags: { kthreadFlush: true }, params: { exits: 0 } } as never);
    expect([a.verdict, a.states]).toEqual(['ok', ONE_SWITCH_KTHREAD]);
    const b = check(model, [oneSwitch], { maxSeconds: 60, flags: { temporaryMm: true }, params: { exits: 0 } } as never);
    expect([b.verdict, b.states]).toEqual(['ok', ONE_SWITCH_TEMP]);
  });
});
