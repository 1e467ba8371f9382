// shootdown(cpus=N, gens=G): the calibration model. A deliberately small abstraction of x86 lazy TLB
// and TLB shootdown over one mm, with N interchangeable CPUs: a CPU runs user code or a kernel thread,
// stays lazily attached to the mm when it switches to a kernel thread, and a flusher IPIs only the
// CPUs in the mm's cpumask that are not lazy (the v4.13-v4.18 scheme, where a lazy CPU catches up with
// the flush generation when it returns to user, see docs/models/lazy-tlb.md section 4 (B)/(C)). Its Promela and
// Murphi twins in bench/ reach exactly the same states; it calibrates the explorer against SPIN and
// rumur. Every procedure is one atomic step (a rule), as the bench twins model it.
import { bool, enumOf, int } from '../../src/lang/domain.ts';
import { defineModel, rules, step } from '../../src/lang/model.ts';
import { perCpu } from '../../src/lang/schema.ts';

export const Mode = enumOf(['kthread', 'user']);
const { kthread, user } = Mode.ids;

export default defineModel({
  name: 'shootdown',
  title: 'Calibration: lazy TLB shootdown over one mm',
  description:
    'One mm, N interchangeable CPUs, lazy mode, flush IPIs to non-lazy CPUs in the cpumask, and a catch-up flush on unlazy (flushOnUnlazy).',
  params: {
    cpus: { default: 3, min: 1, max: 8, doc: 'number of CPUs' },
    gens: { default: 3, min: 1, max: 15, doc: 'bound on the mm flush generation' },
  },
  flags: {
    flushOnUnlazy: { default: true, doc: 'a CPU leaving lazy mode catches up with the mm generation (switch_mm_irqs_off tlb_gen check)' },
  },
  scopes: {
    // 8 CPUs, generations up to 8: 4,863,751 states with symmetry (one per orbit), under a minute.
    wide: { doc: '8 CPUs, 8 generations', params: { cpus: 8, gens: 8 } },
    // 18,033,621 states with symmetry, depth 44, about 3 minutes.
    deep: { doc: '8 CPUs, 10 generations', params: { cpus: 8, gens: 10 } },
  },
  actors: (p) => ({ cpu: p.cpus, flusher: 1 }),
  // The CPUs are interchangeable: no step treats one CPU differently from another.
  symmetry: () => [{ of: 'cpu' }],
  state: (p) => ({
    cpu: perCpu(p.cpus, {
      mode: Mode,
      lazy: bool(),
      inMask: bool(),
      loaded: bool(),
      ipiPending: bool(),
      localGen: int(0, p.gens),
    }),
    mmGen: int(0, p.gens),
    flushing: bool(),
  }),
  // A flush in progress must be able to return (the stuck-actor check): its IPIs are all handled.
  busy: (p) => ({
    'the flush': {
      at: (s) => {
        if (!s.flushing) return 0;
        let pending = 0; // where the flush waits: the CPUs whose flush IPI is still pending
        for (let c = 0; c < p.cpus; c++) if (s.cpu[c].ipiPending) pending |= 1 << c;
        return 1 + pending;
      },
      what: (s) => `flush_tlb_mm_range of generation ${s.mmGen} waits for the flush IPIs of ${Array.from({ length: p.cpus }, (_, c) => c).filter((c) => s.cpu[c].ipiPending).map((c) => `cpu${c}`).join(', ') || 'no CPU'}`,
    },
  }),
  procedures: (p, f) => [
    rules('switch_to_user', 'cpu', [
      step('U', 'switch to a user task of the mm: unlazy (catch up) or load the mm', {
        when: (s, c) => s.cpu[c].mode === kthread && !s.cpu[c].ipiPending,
        do: (s, c) => {
          const me = s.cpu[c];
          if (me.lazy) {
            me.lazy = false;
            if (f.flushOnUnlazy && me.localGen !== s.mmGen) me.localGen = s.mmGen;
          } else {
            me.inMask = true;
            me.loaded = true;
            me.localGen = s.mmGen;
          }
          me.mode = user;
        },
      }),
    ]),
    rules('switch_to_kthread', 'cpu', [
      step('K', 'switch to a kernel thread: enter lazy mode, keep the mm loaded', {
        when: (s, c) => s.cpu[c].mode === user && !s.cpu[c].ipiPending,
        do: (s, c) => {
          s.cpu[c].lazy = true;
          s.cpu[c].mode = kthread;
        },
      }),
    ]),
    rules('leave_mm', 'cpu', [
      step('L', 'lazy CPU switches to init_mm and leaves the cpumask', {
        when: (s, c) => s.cpu[c].mode === kthread && s.cpu[c].lazy && !s.cpu[c].ipiPending,
        do: (s, c) => {
          const me = s.cpu[c];
          me.lazy = false;
          me.loaded = false;
          me.inMask = false;
        },
      }),
    ]),
    rules('flush_ipi', 'cpu', [
      step('I', 'flush IPI handler: a lazy CPU leaves the mm, an active one flushes to the mm generation', {
        when: (s, c) => s.cpu[c].ipiPending,
        do: (s, c) => {
          const me = s.cpu[c];
          if (me.loaded) {
            if (me.lazy) {
              me.lazy = false;
              me.loaded = false;
              me.inMask = false;
            } else me.localGen = s.mmGen;
          }
          me.ipiPending = false;
        },
      }),
    ]),
    rules('flush_start', 'cpu', [
      step('F', 'flush_tlb_mm_range: bump the generation, flush locally, IPI the non-lazy CPUs in the cpumask', {
        when: (s, c) => !s.flushing && s.cpu[c].mode === user && s.mmGen < p.gens,
        do: (s, c) => {
          s.mmGen = s.mmGen + 1;
          s.cpu[c].localGen = s.mmGen;
          s.flushing = true;
          for (let d = 0; d < p.cpus; d++) {
            const o = s.cpu[d];
            if (d !== c && o.inMask && !o.lazy) o.ipiPending = true;
          }
        },
      }),
    ]),
    rules('flush_done', 'flusher', [
      step('D', 'every IPI has been handled: the flush returns', {
        when: (s) => {
          if (!s.flushing) return false;
          for (let d = 0; d < p.cpus; d++) if (s.cpu[d].ipiPending) return false;
          return true;
        },
        do: (s) => {
          s.flushing = false;
        },
      }),
    ]),
  ],
});
