// The idle task (kernel/sched/idle.c do_idle → default_idle_call) and the vCPU run loop of KVM
// (arch/x86/kvm/x86.c vcpu_enter_guest, include/linux/kvm_host.h guest_state_enter/exit_irqoff).
// Both put the CPU into an extended quiescent state (IDLE / GUEST) with IRQs off.
import { seq, step } from '../../src/lang/model.ts';
import { ids, reportQs } from './state.ts';

const K = ids.ctx;
const M = ids.mode;

export const idleProcedures = () => [
  seq<any>(
    'do_idle',
    'cpu',
    [
      step<any>('ID0', 'do_idle(): local_irq_disable(); if need_resched() (T is runnable) schedule_idle()', {
        jumps: ['ID6'],
        when: (s, c) => !s.cpu[c].runsTask,
        do: (s, c, x) => {
          s.cpu[c].irqsOn = false;
          if (s.task.state === ids.task.runnable) x.goto('ID6');
        },
      }),
      step<any>('ID1', 'default_idle_call(): ct_cpuidle_enter()', { do: (_s, _c, x) => x.call('ct_idle_enter') }),
      step<any>('ID2', 'arch_cpu_idle(): sti; hlt — wait for an interrupt with IRQs enabled', {
        do: (s, c) => {
          s.cpu[c].irqsOn = true;
        },
      }),
      step<any>('ID3', 'hlt returns; raw_local_irq_disable()', {
        do: (s, c) => {
          s.cpu[c].irqsOn = false;
        },
      }),
      step<any>('ID4', 'ct_cpuidle_exit()', { do: (_s, _c, x) => x.call('ct_idle_exit') }),
      step<any>('ID5', 'local_irq_enable(); the idle loop repeats', {
        do: (s, c, x) => {
          x.emit('Instr', c);
          s.cpu[c].irqsOn = true;
          x.ret();
        },
      }),
      step<any>('ID6', 'schedule_idle(): rcu_note_context_switch(); pick_next_task() under the runqueue lock: if T is still runnable, context_switch() to T, which returns from schedule() in its syscall (on this CPU: T may have migrated)', {
        do: (s, c, x) => {
          x.emit('Schedule', c);
          reportQs(s, c);
          const me = s.cpu[c];
          me.irqsOn = true; // finish_task_switch() / schedule_idle() return with IRQs on
          if (s.task.state !== ids.task.runnable) return x.ret(); // another CPU took T first: keep idling
          me.runsTask = true;
          me.needResched = false;
          s.task.state = ids.task.running;
          s.task.cpu = c;
          x.call('syscall_exit_to_user_mode');
        },
      }),
    ],
    { entry: true },
  ),
  seq<any>('vcpu_enter_guest', 'cpu', [
    step<any>('VG1', 'vcpu_enter_guest(): local_irq_disable()', {
      do: (s, c) => {
        s.cpu[c].irqsOn = false;
      },
    }),
    step<any>('VG2', 'guest_state_enter_irqoff(): instrumentation_begin(); trace_hardirqs_on_prepare(); lockdep_hardirqs_on_prepare()', {
      do: (_s, c, x) => x.emit('Instr', c),
    }),
    step<any>('VG3', 'guest_context_enter_irqoff() → __ct_user_enter(CT_STATE_GUEST)', {
      do: (s, c, x) => {
        s.cpu[c].ctArg = K.GUEST;
        x.call('__ct_user_enter');
      },
    }),
    step<any>('VG4', 'vmx_vcpu_enter_exit(): VM-enter, the guest runs', {
      do: (s, c) => {
        s.cpu[c].mode = M.guest;
      },
    }),
    step<any>('VG5', 'VM-exit (an external interrupt, HLT, …) back to host kernel mode, IRQs still off', {
      do: (s, c) => {
        s.cpu[c].mode = M.kernel;
      },
    }),
    step<any>('VG6', 'guest_state_exit_irqoff() → guest_context_exit_irqoff() → __ct_user_exit(CT_STATE_GUEST), before any instrumentable code', {
      do: (s, c, x) => {
        s.cpu[c].ctArg = K.GUEST;
        x.call('__ct_user_exit');
      },
    }),
    step<any>('VG7', 'instrumentation_begin(); local_irq_enable(): a pending interrupt is handled now', {
      do: (s, c, x) => {
        x.emit('Instr', c);
        s.cpu[c].irqsOn = true;
      },
    }),
  ]),
];
