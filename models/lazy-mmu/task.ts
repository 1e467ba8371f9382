// What tasks run (docs/models/lazy-mmu.md sections 3 and 7): the v7.0 generic layer of include/linux/pgtable.h
// (lazy_mmu_mode_enable / disable / pause / resume; each numbered line one step, so preemption and
// migration can fall between the counter update and the arch call), the arch hooks called directly
// by pre-v7.0 callers, and a caller: a kernel-mapping section (apply_to_page_range) that may nest a
// section (generic set_ptes(), DEBUG_PAGEALLOC __kernel_map_pages) or pause (kasan).
// A task's steps run only while it is current on a CPU that is not in a context switch.
// Events: CounterWarn (L7), PauseBegin / ResumeEnd (L3), Flushed (L2: disable or pause returned).
import { seq, step, type StepDef } from '../../src/lang/model.ts';
import { archEnter, archLeave, archFlush, archSteps, setPte, type LazyFlags } from './arch.ts';
import { ids, noCpu } from './state.ts';

const C = ids.call;

/** The CPU task t runs on. */
export const onCpu = (s: any, t: number): number => s.task[t].on;
const running = (s: any, t: number): boolean => s.task[t].on !== noCpu(s) && !s.cpu[s.task[t].on].switching && !s.task[t].sleeping;

/** A task step: enabled only while the task is current and its CPU is not switching. */
function ts(d: StepDef): StepDef {
  const when = d.when;
  return { ...d, when: (s, t, x) => running(s, t) && (when === undefined || when(s, t, x)) };
}

export const taskProcedures = (p: { counts: number }, f: LazyFlags) => {
  const generic = f.layer === 'generic';
  const enable = generic ? 'lazy_mmu_mode_enable' : 'arch_enter_lazy_mmu_mode';
  const disable = generic ? 'lazy_mmu_mode_disable' : 'arch_leave_lazy_mmu_mode';
  const arch = archSteps(f, onCpu);
  return [
    seq<any>('arch_enter_lazy_mmu_mode', 'task', [ts(arch.enter)]),
    seq<any>('arch_leave_lazy_mmu_mode', 'task', [ts(arch.leave)]),
    seq<any>('arch_flush_lazy_mmu_mode', 'task', [ts(arch.flush)]),
    seq<any>('lazy_mmu_mode_enable', 'task', [
      ts(step<any>('E1', 'if (in_interrupt() || lazy_mmu_state.pause_count > 0) return', { do: (s, t, x) => (s.task[t].pauseCount > 0 ? x.ret() : undefined) })),
      ts(step<any>('E2', 'VM_WARN_ON_ONCE(enable_count == U8_MAX); old = enable_count++', {
        do: (s, t, x) => {
          const tk = s.task[t];
          if (tk.enableCount === p.counts) return x.emit('CounterWarn', t, 0);
          tk.enableCount = tk.enableCount + 1;
          if (tk.enableCount === 1) tk.call = C.enter;
          else x.ret();
        },
      })),
      ts(step<any>('E3', 'if (old == 0) arch_enter_lazy_mmu_mode()', {
        do: (s, t, x) => {
          s.task[t].call = C.none;
          archEnter(s, onCpu(s, t), t, x, f);
        },
      })),
    ]),
    seq<any>('lazy_mmu_mode_disable', 'task', [
      ts(step<any>('D1', 'if (in_interrupt() || lazy_mmu_state.pause_count > 0) return', { do: (s, t, x) => (s.task[t].pauseCount > 0 ? x.ret() : undefined) })),
      ts(step<any>('D2', 'VM_WARN_ON_ONCE(enable_count == 0); c = --enable_count', {
        do: (s, t, x) => {
          const tk = s.task[t];
          if (tk.enableCount === 0) return x.emit('CounterWarn', t, 1);
          tk.enableCount = tk.enableCount - 1;
          tk.call = tk.enableCount === 0 ? C.leave : C.flush;
        },
      })),
      ts(step<any>('D3', 'c == 0 ? arch_leave_lazy_mmu_mode() : arch_flush_lazy_mmu_mode()', {
        do: (s, t, x) => {
          const tk = s.task[t];
          const leave = tk.call === C.leave;
          tk.call = C.none;
          if (leave) archLeave(s, onCpu(s, t), t, x, f);
          else archFlush(s, onCpu(s, t), t, f);
        },
      })),
    ]),
    seq<any>('lazy_mmu_mode_pause', 'task', [
      ts(step<any>('PA2', 'if (in_interrupt()) return; VM_WARN_ON_ONCE(pause_count == U8_MAX); old = pause_count++', {
        do: (s, t, x) => {
          const tk = s.task[t];
          if (tk.pauseCount === p.counts) return x.emit('CounterWarn', t, 2);
          if (tk.pauseCount === 0) x.emit('PauseBegin', t);
          tk.pauseCount = tk.pauseCount + 1;
          if (tk.pauseCount === 1 && tk.enableCount > 0) tk.call = C.leave;
          else x.ret();
        },
      })),
      ts(step<any>('PA3', 'if (old == 0 && enable_count > 0) arch_leave_lazy_mmu_mode()', {
        do: (s, t, x) => {
          s.task[t].call = C.none;
          archLeave(s, onCpu(s, t), t, x, f);
        },
      })),
    ]),
    seq<any>('lazy_mmu_mode_resume', 'task', [
      ts(step<any>('RS2', 'if (in_interrupt()) return; VM_WARN_ON_ONCE(pause_count == 0); c = --pause_count', {
        do: (s, t, x) => {
          const tk = s.task[t];
          if (tk.pauseCount === 0) return x.emit('CounterWarn', t, 3);
          tk.pauseCount = tk.pauseCount - 1;
          if (tk.pauseCount === 0 && tk.enableCount > 0) tk.call = C.enter;
          else {
            if (tk.pauseCount === 0) x.emit('ResumeEnd', t);
            x.ret();
          }
        },
      })),
      ts(step<any>('RS3', 'if (c == 0 && enable_count > 0) arch_enter_lazy_mmu_mode()', {
        do: (s, t, x) => {
          s.task[t].call = C.none;
          archEnter(s, onCpu(s, t), t, x, f);
          x.emit('ResumeEnd', t);
        },
      })),
    ]),
    seq<any>('set_pte_at', 'task', [ts(step<any>('PT', 'set_pte_at(): write a kernel PTE (queued by the arch inside a lazy section)', { do: (s, t, x) => setPte(s, onCpu(s, t), t, x, f) }))]),
    // A section nested in the caller's: the generic set_ptes(), or DEBUG_PAGEALLOC's
    // __kernel_map_pages() → apply_to_page_range() under zap_pte_range().
    seq<any>('nested_section', 'task', [
      ts(step<any>('N1', `set_ptes(): ${enable}() (nested)`, { do: (_s, _t, x) => x.call(enable) })),
      ts(step<any>('N2', 'set_ptes(): write the PTE', { do: (_s, _t, x) => x.call('set_pte_at') })),
      ts(step<any>('N3', `set_ptes(): ${disable}()`, { do: (_s, _t, x) => x.call(disable) })),
      ts(step<any>('N4', 'the caller of the inner section relies on its updates', { do: (_s, t, x) => x.emit('Flushed', t) })),
    ]),
    // kasan_populate_vmalloc_pte(): pause, allocate a page (whose mapping goes through set_ptes), resume.
    seq<any>('paused_section', 'task', [
      ts(step<any>('P1', 'kasan_populate_vmalloc_pte(): lazy_mmu_mode_pause()', { do: (_s, _t, x) => x.call('lazy_mmu_mode_pause') })),
      ts(step<any>('P2', '__get_free_page(): the updates before pause() took effect; the allocation maps a page (set_ptes, enable/disable no-ops while paused)', {
        do: (_s, t, x) => {
          x.emit('Flushed', t);
          x.call('nested_section');
        },
      })),
      ts(step<any>('P3', 'lazy_mmu_mode_resume()', { do: (_s, _t, x) => x.call('lazy_mmu_mode_resume') })),
    ]),
    // A callback that may sleep inside the section: on arm64 split_kernel_leaf_mapping() takes a mutex
    // inside one (the arch keeps its lazy state in the task, so it may); generic code must not
    // (docs/models/lazy-mmu.md section 3) — flag sleepingCallback, a constructed shape: a GFP_KERNEL allocation
    // in an apply_to_page_range() callback.
    seq<any>('might_sleep_callback', 'task', [
      ts(step<any>('SL1', 'mutex_lock() / __get_free_page(GFP_KERNEL) has to wait: set_current_state(TASK_UNINTERRUPTIBLE); schedule()', {
        do: (s, t) => {
          s.task[t].sleeping = true;
        },
      })),
      ts(step<any>('SL2', 'woken up and switched back in (possibly on another CPU): the call returns inside the section', {})),
    ]),
    seq<any>(
      'apply_to_page_range',
      'task',
      [
        ts(step<any>('S1', `apply_to_pte_range(): ${enable}()`, { do: (_s, _t, x) => x.call(enable) })),
        ts(step<any>('S2', 'set_pte_at() of a kernel mapping', { do: (_s, _t, x) => x.call('set_pte_at') })),
        ts(step<any>('S3', 'inside the section: nothing more, a nested section (set_ptes / __kernel_map_pages), a pause (kasan), or a callback that may sleep (arm64 split_kernel_leaf_mapping)', {
          choose: { name: 'then', count: 4, of: null },
          when: (_s, _t, x) => x.choice === 0 || (x.choice === 1 && f.nestedSections) || (x.choice === 2 && generic) || (x.choice === 3 && (f.arch === 'arm64' || f.sleepingCallback)),
          do: (_s, _t, x) => {
            if (x.choice === 1) x.call('nested_section');
            else if (x.choice === 2) x.call('paused_section');
            else if (x.choice === 3) x.call('might_sleep_callback');
          },
        })),
        ts(step<any>('S4', `${disable}()`, { do: (_s, _t, x) => x.call(disable) })),
        ts(step<any>('S5', 'the caller relies on its page-table updates (the section is closed)', { do: (_s, t, x) => x.emit('Flushed', t) })),
      ],
      { entry: true },
    ),
  ];
};
