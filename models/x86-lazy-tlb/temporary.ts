// Temporary mms (docs/steps/x86-lazy-tlb.md, use_temporary_mm:TM1-TM6; arch/x86/mm/tlb.c use_temporary_mm / unuse_temporary_mm, callers
// text_poke in arch/x86/kernel/alternative.c and efi_enter_mm / efi_leave_mm): a CPU borrows
// text_poke_mm or efi_mm, both marked with set_notrack_mm, from whatever task is running, and goes
// back to the mm it had loaded. temporaryMm scope: the last mm is the temporary mm (no task, never
// freed). What it exercises: the is_lazy -> leave_mm() rule, the switch to and back from a notrack
// mm with the user mm's mask bit left set (v6.14+) or trimmed by a flush taken while the temporary mm
// is loaded (EFI runs with IRQs on), unuse_temporary_mm's cpumask_clear_cpu before the switch back,
// and the exemptions for notrack mms (the SW2a warning, P8; mm_cpumask covering CR3, P7c). The
// caller's `prev` (use_temporary_mm's return value) is the frame's local, `x.locals.prev`.
import { bit, seq, step, type Env } from './env.ts';
import { temporaryMmLocals } from './state.ts';

export function temporaryMm(e: Env) {
  const TEMP = e.M - 1;
  return seq(
    'use_temporary_mm',
    'cpu',
    [
      step('TM1', 'text_poke: local_irq_save / efi_enter_mm: use_temporary_mm: guard(irqsave); if (is_lazy) leave_mm()', {
        // any running task at a point where it may patch text or call EFI; counts against the switch bound
        when: (s, c) => s.cpu[c].switches > 0 && s.cpu[c].online,
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.switches = me.switches - 1;
          me.irqsOn = false;
          // "Make sure not to be in TLB lazy mode, as otherwise we'll end up with a stale address
          // space WITHOUT being in lazy mode after restoring the previous mm"
          if (me.isLazy) {
            me.swNext = e.INIT;
            x.call('switch_mm_irqs_off');
          }
        },
      }),
      step('TM2', 'prev_mm = loaded_mm; switch_mm_irqs_off(NULL, temp_mm, current)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          x.locals.prev = me.loadedMm;
          me.swNext = TEMP;
          x.call('switch_mm_irqs_off');
        },
      }),
      step('TM3', 'the poke / the EFI runtime call on temp_mm (efi: IRQs may be on meanwhile; text_poke: off)', {
        choose: { name: 'irqs', count: 2, of: null },
        do: (s, c, x) => {
          if (x.choice === 1) s.cpu[c].irqsOn = true;
        },
      }),
      step('TM4', 'unuse_temporary_mm: guard(irqsave); cpumask_clear_cpu(cpu, mm_cpumask(loaded_mm)) [LOCK] ("no TLB flushing is needed anywhere")', {
        fence: true,
        do: (s, c) => {
          const me = s.cpu[c];
          me.irqsOn = false;
          if (me.loadedMm < e.M) s.mm[me.loadedMm].cpumask = s.mm[me.loadedMm].cpumask & ~bit(c);
        },
      }),
      step('TM5', 'switch_mm_irqs_off(NULL, prev_mm, current)', {
        do: (s, c, x) => {
          const me = s.cpu[c];
          me.swNext = x.locals.prev;
          x.call('switch_mm_irqs_off');
        },
      }),
      step('TM6', 'guard(irqsave) ends / local_irq_restore: IRQs on', {
        do: (s, c) => {
          s.cpu[c].irqsOn = true;
        },
      }),
    ],
    { entry: true, locals: temporaryMmLocals(e.p) },
  );
}
