// Fence pairing in a trace, as kernel comments state it ("pairs with the smp_mb() in …"): a full fence
// on one CPU pairs with a full fence on another when each orders an access to a field the other
// orders the opposite way, and the accesses communicate (one of each two is a write). With the
// accesses of CPU a's fence window (its steps since its previous fence, up to the fence) written
// before(a) and those up to its next fence after(a), fences fa and fb pair when some field x is in
// before(a) and after(b), and some other field y in after(a) and before(b): the store-buffering shape
// (W x; mb; R y ‖ W y; mb; R x — switch_mm_irqs_off's cpumask_set_cpu then tlb_gen read against the
// flusher's inc_mm_tlb_gen then cpumask read) and the message-passing shape (W x; mb; W y ‖ R y; mb;
// R x). A fence step's own accesses (a LOCKed read-modify-write) are on both sides of it.
import type { Program } from '../lang/compile.ts';
import type { RawStep } from '../engine/via.ts';
import { Machine } from '../engine/machine.ts';
import { actorOf, displaySlot } from '../lang/names.ts';
import { DRAIN_PROCEDURE } from '../lang/memory/buffers.ts';

export interface FencePair {
  /** Trace positions (0-based) of the two fence steps, the earlier first. */
  readonly first: number;
  readonly second: number;
  /** The fields whose accesses the two fences order (display paths). */
  readonly fields: readonly string[];
}

interface Access {
  readonly reads: Set<number>;
  readonly writes: Set<number>;
}

/** The fence pairs of a trace (replayed from the initial state on a recording machine). */
export function fencePairs(prog: Program, raw: readonly RawStep[]): FencePair[] {
  const m = new Machine(prog, true);
  const rec = m.rec!;
  m.init();
  const data = (slot: number) => prog.layout.slots[slot].kind === 'field';
  const steps: { actor: string; fence: boolean; acc: Access }[] = [];
  for (const r of raw) {
    const st = prog.steps[r.step];
    rec.reset();
    if (!m.enabled(st, r.actor, r.choice)) break;
    m.apply(st, r.actor);
    const acc: Access = { reads: new Set(), writes: new Set() };
    for (let i = 0; i < rec.nr; i++) if (data(rec.reads[i])) acc.reads.add(rec.reads[i]);
    for (let i = 0; i < rec.ns; i++) if (data(rec.stores[i])) acc.writes.add(rec.stores[i]);
    // A store-buffer drain only makes an earlier store visible: that store is the access.
    if (st.proc !== DRAIN_PROCEDURE) for (let i = 0; i < rec.nw; i++) if (data(rec.writes[i])) acc.writes.add(rec.writes[i]);
    steps.push({ actor: actorOf(prog, r.step, r.actor), fence: rec.fenced, acc });
  }
  // Each fence's windows: its actor's accesses since its previous fence, and until its next one.
  const windows = new Map<number, { before: Access; after: Access }>();
  steps.forEach((s, i) => {
    if (!s.fence) return;
    const before = union(steps, i, -1);
    const after = union(steps, i, +1);
    windows.set(i, { before, after });
  });
  const fences = [...windows.keys()];
  const out: FencePair[] = [];
  for (let x = 0; x < fences.length; x++) {
    for (let y = x + 1; y < fences.length; y++) {
      const i = fences[x];
      const j = fences[y];
      if (steps[i].actor === steps[j].actor) continue;
      const a = windows.get(i)!;
      const b = windows.get(j)!;
      const one = communicating(a.before, b.after);
      const two = communicating(a.after, b.before);
      // Two different fields: accesses to one field are ordered by coherence alone.
      if (one.some((f) => two.some((g) => g !== f))) {
        const fields = [...new Set([...one, ...two])].map((slot) => displaySlot(prog, prog.layout.slots[slot])).sort();
        out.push({ first: i, second: j, fields });
      }
    }
  }
  return out;
}

/** The accesses of the fence at `i`'s actor from `i` in direction `dir` up to (not including) its next fence. */
function union(steps: readonly { actor: string; fence: boolean; acc: Access }[], i: number, dir: 1 | -1): Access {
  const out: Access = { reads: new Set(steps[i].acc.reads), writes: new Set(steps[i].acc.writes) };
  for (let k = i + dir; k >= 0 && k < steps.length; k += dir) {
    const s = steps[k];
    if (s.actor !== steps[i].actor) continue;
    if (s.fence) break;
    for (const r of s.acc.reads) out.reads.add(r);
    for (const w of s.acc.writes) out.writes.add(w);
  }
  return out;
}

/** Fields both sides access, at least one of them writing. */
function communicating(a: Access, b: Access): number[] {
  const out: number[] = [];
  for (const w of a.writes) if (b.reads.has(w) || b.writes.has(w)) out.push(w);
  for (const r of a.reads) if (b.writes.has(r)) out.push(r);
  return out;
}
