// Bounded monitors (`--within K`, PropertyDef.within): the safety counterpart of a liveness property
// "whenever X starts, X completes" where the fair-cycle check (liveness.ts) is too costly at a scope:
// "whenever X is open, its waiter is not kept waiting through K + 1 steps of its peers". X is what the
// liveness property names (obligations.ts): a seq procedure, open per actor instance
// (flush_tlb_mm_range: the initiator waits in csd_lock_wait for its targets' acks), or a model's busy
// entry.
//
// What counts, for a procedure: a step of an actor instance other than the waiter that changes the
// model's state (the ghost state aside), taken while the waiter is inside X and waiting — no step of
// its program (its seq steps at its pc) is enabled after it, as in csd_lock_wait before the last ack,
// or the waiter's last step of its program inside X changed nothing (a wait written as a loop that
// goes back to itself: it spins). The waiter's own steps never count (its program, its interrupts and
// hardware events: an NMI, a TLB fill, its store-buffer drain), and neither do its peers' steps while
// it could still make progress itself: a waiter that is merely not scheduled is not waiting for
// anyone, so the bound measures the waits, not the scheduler. A step that changes nothing (a user
// access that hits the TLB, a retry that finds nothing to do) is a stutter, not a step of the
// system's evolution: counted, it would fail every bound in every model whose CPUs can access memory
// forever. A busy entry has no waiting actor: every step that changes the state while it is in
// progress counts. The (K + 1)-th counted step is the violation; closing X resets the count (it is not
// reset while X stays open, so a wait that interference can prolong forever fails for every K). A
// state where a scope bound ends the explored behaviour (a step's `bounded`) counts X as closed, as
// the stuck and fair-cycle checks do.
//
// The counters are ghost state (compile.ts: `peerSteps`, 0 while X is closed, else 1 + the steps
// counted; `spinning`, the waiter's last step of its program changed nothing), one per actor instance
// indexed by the actor kind, so symmetry permutes them with their actor, and the monitor is the same
// for every instance. The machine runs `after` at the end of every step (Machine.apply, and the
// generated expansion in expand.ts), so the breadth-first search gives a shortest trace ending at the
// failing step. Every step is visible to the monitors: a recording machine marks every transition
// `visible` (no ample set of partial-order reduction hides a counted step) and records what the
// monitor read and wrote (the waiters' control state and what their guards read, the ghost state), so
// sleep sets see counted steps as dependent.
import type { CompiledStep, Program } from '../lang/compile.ts';
import { IDLE } from '../lang/compile.ts';
import { nodeAt } from '../lang/layout.ts';
import { boundedSteps, isOpen, obligationsOf, type MachineState, type Obligation } from './obligations.ts';

/** The machine the monitors run on (machine.ts, which creates them): its state, recorder, violation and guards. */
export interface MonitoredMachine extends MachineState {
  readonly ctx: { cpu: number; step: CompiledStep | null; actor: number; choice: number };
  readonly rec: { visible: boolean; read(slot: number): void; write(slot: number): void } | null;
  violation: { readonly prop: number; readonly reason: string } | null;
  enabled(st: CompiledStep, actor: number, choice: number): boolean;
}

interface Monitor {
  readonly prop: number;
  readonly k: number;
  readonly obls: readonly Obligation[];
  /** Per obligation: the slot of its counter, and of its `spinning` bit (-1 for a busy entry). */
  readonly slots: Int32Array;
  readonly spins: Int32Array;
}

export class WithinMonitors {
  private readonly mons: Monitor[];
  private readonly kindOfStep: Int32Array;
  private readonly bounds: (((s: any, a: number) => boolean) | null)[][];
  private readonly anyBound: boolean;
  /** The slots of the model's state, control and store buffers: those before the ghost state's (laid out last). */
  private readonly modelSlots: number;

  constructor(private readonly prog: Program, private readonly m: MonitoredMachine, mons: Monitor[]) {
    this.mons = mons;
    this.kindOfStep = Int32Array.from(prog.steps, (s) => prog.actorKinds.findIndex((k) => k.name === s.actorKind));
    this.bounds = boundedSteps(prog);
    this.anyBound = this.bounds.some((b) => b.some((f) => f !== null));
    const slots = prog.layout.slots;
    const ghost = slots.findIndex((x) => x.kind === 'ghost');
    this.modelSlots = ghost < 0 ? slots.length : ghost;
    if (slots.some((x, i) => (x.kind === 'ghost') !== i >= this.modelSlots)) throw new Error('internal: the ghost state is not laid out last');
  }

  /** In the initial state: each counter says whether its X is open (nothing counted yet). */
  start(): void {
    const cut = this.cut();
    for (const mon of this.mons) mon.obls.forEach((o, j) => (this.m.cur[mon.slots[j]] = !cut && isOpen(this.prog, this.m, o) ? 1 : 0));
  }

  /** After step `st` of `actor` from state `before` (its effect and control flow done): counts it, resets, or fails. */
  after(st: CompiledStep, actor: number, before: Int32Array): void {
    const m = this.m;
    const cur = m.cur;
    const rec = m.rec;
    const cpu = m.ctx.cpu;
    if (rec !== null) rec.visible = true;
    const kind = this.kindOfStep[st.id];
    const program = st.kind === 'seq';
    let cut = -1;
    let moved = -1;
    for (let i = 0; i < this.mons.length; i++) {
      const mon = this.mons[i];
      for (let j = 0; j < mon.obls.length; j++) {
        const o = mon.obls[j];
        const slot = mon.slots[j];
        const spin = mon.spins[j];
        if (rec !== null) this.recordOpenTest(o, slot, spin);
        if (cut < 0) cut = this.cut() ? 1 : 0;
        const v = cur[slot];
        if (cut === 1 || !isOpen(this.prog, m, o)) {
          if (v !== 0) this.write(slot, 0);
          if (spin >= 0 && cur[spin] !== 0) this.write(spin, 0);
          continue;
        }
        if (v === 0) {
          this.write(slot, 1); // opened by this step: nothing counted yet
          continue;
        }
        if (moved < 0) moved = this.changed(before) ? 1 : 0;
        if (o.kind === kind && o.actor === actor) {
          // The waiter's own step: a step of its program that changed nothing is a spin.
          if (program && cur[spin] !== 1 - moved) this.write(spin, 1 - moved);
          continue;
        }
        if (moved === 0 || (o.busy === null && cur[spin] === 0 && !this.blocked(o))) continue;
        if (v <= mon.k) this.write(slot, v + 1);
        else if (m.violation === null) m.violation = { prop: mon.prop, reason: this.reason(mon, o, st, actor) };
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

  /** Whether the step changed the model's state (every slot before the ghost state's). */
  private changed(before: Int32Array): boolean {
    const cur = this.m.cur;
    for (let i = 0; i < this.modelSlots; i++) if (cur[i] !== before[i]) return true;
    return false;
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
  private recordOpenTest(o: Obligation, slot: number, spin: number): void {
    const rec = this.m.rec!;
    rec.read(slot);
    if (spin >= 0) rec.read(spin);
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
    return `${who} is still waiting in ${o.name}${where}, through ${mon.k + 1} steps of the other actors since it entered it (${last}), more than the ${mon.k} steps ${name} allows`;
  }
}

/** The bounded monitors of the program run on machine `m`, or null when it has none (with something to watch). */
export function withinMonitors(prog: Program, m: MonitoredMachine): WithinMonitors | null {
  const mons: Monitor[] = [];
  prog.instance.properties.forEach((p, i) => {
    if (p.within === undefined) return;
    const obls = obligationsOf(prog, i);
    if (obls.length === 0) return;
    const slotsOf = (field: string) => {
      const node = nodeAt(prog.layout, `$ghost.${prog.ghostNames[i]}.${field}`);
      const at = (j: number) => (node === undefined ? -1 : node.kind === 'scalar' ? node.slot.index : node.kind === 'array' && node.elems[j].kind === 'scalar' ? node.elems[j].slot.index : -1);
      return Int32Array.from(obls, (_, j) => at(j));
    };
    const slots = slotsOf('peerSteps');
    const spins = slotsOf('spinning');
    if (slots.includes(-1) || (obls[0].busy === null && spins.includes(-1))) throw new Error(`internal: the bounded monitor ${p.name} has no counters`);
    mons.push({ prop: i, k: p.within, obls, slots, spins });
  });
  return mons.length === 0 ? null : new WithinMonitors(prog, m, mons);
}
