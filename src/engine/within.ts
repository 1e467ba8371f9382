// Bounded monitors (`--within K`, PropertyDef.within): the safety counterpart of a liveness property
// "whenever X starts, X completes" where the fair-cycle check (liveness.ts) is too costly at a scope:
// "whenever X is open, its waiter is not left waiting through K + 1 steps of its peers". X is what the
// liveness property names (obligations.ts): a seq procedure, open per actor instance
// (flush_tlb_mm_range: the initiator waits in csd_lock_wait for its targets' acks), or a model's busy
// entry.
//
// What counts, for a procedure: a step of any actor instance other than the waiter after which the
// waiter is still inside X and blocked — no step of its program (its seq steps at its pc) is enabled,
// as in csd_lock_wait before the last ack. The waiter's own steps never count (its program, its
// interrupts and hardware events: an NMI, a TLB fill, its store-buffer drain), and neither do its
// peers' steps while it could move itself: a waiter that is merely not scheduled is not waiting for
// anyone, so the bound measures the waits, not the scheduler. A busy entry has no waiting actor:
// every step taken while it is in progress counts. The (K + 1)-th counted step is the violation;
// closing X resets the count (the count is not reset while X stays open, so a wait that interference
// can prolong forever fails for every K). A state where a scope bound ends the explored behaviour (a
// step's `bounded`) counts X as closed, as the stuck and fair-cycle checks do.
//
// The counters are ghost state (compile.ts: `peerSteps`, 0 while X is closed, else 1 + the steps
// counted), one per actor instance indexed by the actor kind, so symmetry permutes them with their
// actor, and the monitor is the same for every instance. The machine runs `after` at the end of every
// step (Machine.apply, and the generated expansion in expand.ts), so the breadth-first search gives a
// shortest trace ending at the failing step. Every step is visible to the monitors: a recording
// machine marks every transition observed (no ample set of partial-order reduction hides a counted
// step) and records what the monitor read and wrote (the waiters' control state and what their
// guards read, their counters), so sleep sets see counted steps as dependent.
import type { CompiledStep, Program } from '../lang/compile.ts';
import { IDLE } from '../lang/compile.ts';
import { nodeAt } from '../lang/layout.ts';
import type { Machine } from './machine.ts';
import { boundedSteps, isOpen, obligationsOf, type Obligation } from './obligations.ts';

interface Monitor {
  readonly prop: number;
  readonly k: number;
  readonly obls: readonly Obligation[];
  /** Per obligation: the slot of its counter. */
  readonly slots: Int32Array;
}

export class WithinMonitors {
  private readonly mons: Monitor[];
  private readonly kindOfStep: Int32Array;
  private readonly bounds: (((s: any, a: number) => boolean) | null)[][];
  private readonly anyBound: boolean;

  constructor(private readonly prog: Program, private readonly m: Machine, mons: Monitor[]) {
    this.mons = mons;
    this.kindOfStep = Int32Array.from(prog.steps, (s) => prog.actorKinds.findIndex((k) => k.name === s.actorKind));
    this.bounds = boundedSteps(prog);
    this.anyBound = this.bounds.some((b) => b.some((f) => f !== null));
  }

  /** In the initial state: each counter says whether its X is open (nothing counted yet). */
  start(): void {
    const cut = this.cut();
    for (const mon of this.mons) mon.obls.forEach((o, j) => (this.m.cur[mon.slots[j]] = !cut && isOpen(this.prog, this.m, o) ? 1 : 0));
  }

  /** After step `st` of `actor` (its effect and control flow done): counts it, resets, or fails. */
  after(st: CompiledStep, actor: number): void {
    const m = this.m;
    const cur = m.cur;
    const rec = m.rec;
    const cpu = m.ctx.cpu;
    if (rec !== null) rec.observed = true;
    const kind = this.kindOfStep[st.id];
    let cut = -1;
    for (let i = 0; i < this.mons.length; i++) {
      const mon = this.mons[i];
      for (let j = 0; j < mon.obls.length; j++) {
        const o = mon.obls[j];
        const slot = mon.slots[j];
        if (rec !== null) this.recordOpenTest(o, slot);
        if (cut < 0) cut = this.cut() ? 1 : 0;
        const v = cur[slot];
        if (cut === 1 || !isOpen(this.prog, m, o)) {
          if (v !== 0) this.write(slot, 0);
        } else if (v === 0) this.write(slot, 1); // opened by this step: nothing counted yet
        else if ((o.kind !== kind || o.actor !== actor) && (o.busy !== null || this.blocked(o))) {
          if (v <= mon.k) this.write(slot, v + 1);
          else if (m.violation === null) m.violation = { prop: mon.prop, reason: this.reason(mon, o, st, actor) };
        }
      }
    }
    m.ctx.cpu = cpu;
  }

  /** Whether the waiter of `o` can take no step of its program now (every guard of its seq step at its pc is false). */
  private blocked(o: Obligation): boolean {
    const { m, prog } = this;
    const x = m.ctx;
    const { step, actor, choice, cpu } = x;
    const k = prog.actorKinds[o.kind];
    const cands = k.candidates[m.cur[k.pcSlot + o.actor * k.ctlStride]];
    let moves = false;
    for (let j = 0; j < cands.length && !moves; j++) {
      const st = prog.steps[cands[j]];
      if (st.kind !== 'seq') continue;
      for (let ch = 0; ch < st.choices && !moves; ch++) moves = m.enabled(st, o.actor, ch);
    }
    x.step = step;
    x.actor = actor;
    x.choice = choice;
    x.cpu = cpu;
    return !moves;
  }

  /** Whether some actor waits where a scope bound ends the explored behaviour. */
  private cut(): boolean {
    if (!this.anyBound) return false;
    const { m, prog } = this;
    m.ctx.cpu = -1;
    for (let ki = 0; ki < prog.actorKinds.length; ki++) {
      const k = prog.actorKinds[ki];
      if (k.pcSlot < 0) continue;
      for (let a = 0; a < k.count; a++) {
        const f = this.bounds[ki][m.cur[k.pcSlot + a * k.ctlStride]];
        if (f !== null && f(m.view, a)) return true;
      }
    }
    return false;
  }

  private write(slot: number, v: number): void {
    this.m.cur[slot] = v;
    this.m.rec?.write(slot);
  }

  /** A recording machine: the open test reads the waiter's control state (or, for a busy entry, what `at` reads, through the view) and the counter. */
  private recordOpenTest(o: Obligation, slot: number): void {
    const rec = this.m.rec!;
    rec.read(slot);
    if (o.busy !== null) return;
    const k = this.prog.actorKinds[o.kind];
    const at = k.pcSlot + o.actor * k.ctlStride;
    for (let d = 0; d < k.stackDepth + 2; d++) rec.read(at + d);
  }

  /** The sentence for the counted step that leaves X open after K of them. */
  private reason(mon: Monitor, o: Obligation, st: CompiledStep, actor: number): string {
    const prog = this.prog;
    const name = prog.instance.properties[mon.prop].name;
    const last = `the last: ${st.name} on ${st.actorKind}${actor}`;
    if (o.busy !== null) {
      this.m.ctx.cpu = -1;
      return `${o.name} is still in progress after ${mon.k + 1} steps since it started (${last}), more than the ${mon.k} steps ${name} allows: ${o.busy.what(this.m.view)}`;
    }
    const k = prog.actorKinds[o.kind];
    const who = `${k.name}${o.actor}`;
    const pc = this.m.cur[k.pcSlot + o.actor * k.ctlStride];
    const here = prog.steps.find((x) => x.actorKind === k.name && x.kind === 'seq' && x.pc === pc);
    const where = pc === IDLE || here === undefined ? '' : here.proc === o.name ? ` at ${here.label} (${here.text})` : ` (it is at ${here.name} (${here.text}), returning into it)`;
    return `${who} is still waiting in ${o.name}${where}, blocked through ${mon.k + 1} steps of the other actors since it entered it (${last}), more than the ${mon.k} steps ${name} allows`;
  }
}

/** The bounded monitors of the program run on machine `m`, or null when it has none (with something to watch). */
export function withinMonitors(prog: Program, m: Machine): WithinMonitors | null {
  const mons: Monitor[] = [];
  prog.instance.properties.forEach((p, i) => {
    if (p.within === undefined) return;
    const obls = obligationsOf(prog, i);
    if (obls.length === 0) return;
    const node = nodeAt(prog.layout, `$ghost.${prog.ghostNames[i]}.peerSteps`);
    if (node === undefined) throw new Error(`internal: the bounded monitor ${p.name} has no counters`);
    const slots = Int32Array.from(obls, (_, j) => (node.kind === 'scalar' ? node.slot.index : node.kind === 'array' && node.elems[j].kind === 'scalar' ? node.elems[j].slot.index : -1));
    mons.push({ prop: i, k: p.within, obls, slots });
  });
  return mons.length === 0 ? null : new WithinMonitors(prog, m, mons);
}
