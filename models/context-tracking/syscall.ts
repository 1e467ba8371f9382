// Syscall entry and exit, and the shared user-mode entry/exit helpers of kernel/entry/common.c
// (docs/models/context-tracking.md section 4). Events: Instr (instrumentable kernel code, which may use RCU:
// tracing, lockdep — CTP-1, CTP-2), EnteredKernel and ReturnToUser (CTP-4, CTP-8), Schedule (CTP-5).
import { seq, step, type StepDef } from '../../src/lang/model.ts';
import { ids, reportQs } from './state.ts';

const K = ids.ctx;
const M = ids.mode;

export const syscallProcedures = (f: { syscallTrackBeforeIrqEnable: boolean }) => {
  const SY1: StepDef = step<any>('SY1', 'syscall_enter_from_user_mode → __enter_from_user_mode(): CT_WARN_ON(ct_state() != CT_STATE_USER); user_exit_irqoff()', {
    do: (_s, _c, x) => x.call('enter_from_user_mode'),
  });
  // Mainline: local_irq_enable() inside instrumentation_begin() (traced, uses RCU). x86-64 before
  // v4.3: a bare ENABLE_INTERRUPTS (sti) in entry_SYSCALL_64, followed by C code that ran the user exit.
  const SY2: StepDef = f.syscallTrackBeforeIrqEnable
    ? step<any>('SY2', 'local_irq_enable() (instrumentable: trace_hardirqs_on)', {
        do: (s, c, x) => {
          x.emit('Instr', c);
          s.cpu[c].irqsOn = true;
        },
      })
    : step<any>('SY2', 'entry_SYSCALL_64: ENABLE_INTERRUPTS(CLBR_NONE) (sti) before the context-tracking user exit', {
        do: (s, c) => {
          s.cpu[c].irqsOn = true;
        },
      });
  return [
    // do_syscall_64: the user task T executes SYSCALL.
    seq<any>(
      'do_syscall_64',
      'cpu',
      [
        step<any>('SY0', 'SYSCALL: enter the kernel with IRQs masked (MSR_SYSCALL_MASK clears IF)', {
          when: (s, c) => s.cpu[c].runsTask && s.cpu[c].mode === M.user,
          do: (s, c) => {
            s.cpu[c].mode = M.kernel;
            s.cpu[c].irqsOn = false;
          },
        }),
        // Since v4.3 the context-tracking user exit runs before IRQs are enabled (CT-2).
        ...(f.syscallTrackBeforeIrqEnable ? [SY1, SY2] : [SY2, SY1]),
        step<any>('SY3', 'do_syscall_x64(): the system call body: an RCU reader (read), KVM_RUN (ioctl), or a blocking wait (sleep)', {
          jumps: ['SY4', 'SB1'],
          choose: { name: 'syscall', count: 3, of: null },
          do: (s, c, x) => {
            x.emit('Instr', c);
            if (x.choice === 0) x.call('rcu_read_section', 'SY4');
            else if (x.choice === 1) x.call('vcpu_enter_guest', 'SY4');
            else x.goto('SB1');
          },
        }),
        step<any>('SB1', 'schedule(): T sleeps (wait_event); rcu_note_context_switch(); context switch to the idle task', {
          do: (s, c, x) => {
            x.emit('Schedule', c);
            reportQs(s, c);
            s.cpu[c].runsTask = false;
            s.cpu[c].irqsOn = false;
            s.cpu[c].needResched = false;
            s.task.state = ids.task.sleeping;
            x.ret(); // T's kernel stack now waits for a wakeup; this CPU runs do_idle
          },
        }),
        step<any>('SY4', 'syscall_exit_to_user_mode()', { do: (_s, _c, x) => x.call('syscall_exit_to_user_mode') }),
      ],
      { entry: true },
    ),
    // syscall_exit_to_user_mode(): also where T resumes after sleeping, possibly on another CPU.
    seq<any>('syscall_exit_to_user_mode', 'cpu', [
      step<any>('SX1', 'syscall_exit_to_user_mode_work(): CT_WARN_ON(ct_state() != CT_STATE_KERNEL); syscall_exit_work', {
        do: (_s, c, x) => x.emit('Instr', c),
      }),
      step<any>('SX2', 'local_irq_disable_exit_to_user()', {
        do: (s, c) => {
          s.cpu[c].irqsOn = false;
        },
      }),
      step<any>('SX3', 'exit_to_user_mode()', { do: (_s, _c, x) => x.call('exit_to_user_mode') }),
      step<any>('SX4', 'SYSRET: return to user mode, IRQs on', {
        do: (s, c, x) => {
          s.cpu[c].mode = M.user;
          s.cpu[c].irqsOn = true;
          x.emit('ReturnToUser', c);
        },
      }),
    ]),
    // __enter_from_user_mode(): shared by syscalls and interrupts/exceptions from user mode.
    seq<any>('enter_from_user_mode', 'cpu', [
      step<any>('EU1', 'CT_WARN_ON(__ct_state() != CT_STATE_USER); user_exit_irqoff() → __ct_user_exit(CT_STATE_USER)', {
        do: (s, c, x) => {
          s.cpu[c].ctArg = K.USER;
          x.call('__ct_user_exit');
        },
      }),
      step<any>('EU2', 'instrumentation_begin(); trace_hardirqs_off_finish()', {
        do: (_s, c, x) => {
          x.emit('EnteredKernel', c);
          x.emit('Instr', c);
        },
      }),
    ]),
    // exit_to_user_mode_prepare() + __exit_to_user_mode(), entered with IRQs off.
    seq<any>('exit_to_user_mode', 'cpu', [
      step<any>('XU1', 'tick_nohz_user_enter_prepare(); ti_work = read_thread_flags(): if _TIF_NEED_RESCHED: local_irq_enable_exit_to_user()', {
        jumps: ['XU4'],
        do: (s, c, x) => {
          x.emit('Instr', c);
          if (s.cpu[c].needResched) s.cpu[c].irqsOn = true;
          else x.goto('XU4');
        },
      }),
      step<any>('XU2', 'exit_to_user_mode_loop(): schedule()', { do: (_s, _c, x) => x.call('schedule') }),
      step<any>('XU3', 'local_irq_disable_exit_to_user(); re-read the thread flags', {
        jumps: ['XU1'],
        do: (s, c, x) => {
          s.cpu[c].irqsOn = false;
          x.goto('XU1');
        },
      }),
      step<any>('XU4', '__exit_to_user_mode(): user_enter_irqoff() → __ct_user_enter(CT_STATE_USER); nothing may use RCU after this', {
        do: (s, c, x) => {
          s.cpu[c].ctArg = K.USER;
          x.call('__ct_user_enter');
        },
      }),
    ]),
    // schedule() of a runnable task: another task runs, then T is switched back in.
    seq<any>('schedule', 'cpu', [
      step<any>('SC1', '__schedule(): rcu_note_context_switch() (a quiescent state); context_switch() to another task and back', {
        do: (s, c, x) => {
          x.emit('Schedule', c);
          reportQs(s, c);
          s.cpu[c].needResched = false;
        },
      }),
    ]),
  ];
};
