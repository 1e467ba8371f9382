// Partial-order reduction for safety properties: ample sets from footprints. In a state, the ample
// set is every candidate transition of one actor, when each candidate's guard and each enabled
// transition's effect read only slots no other actor writes (that actor's own and published slots)
// and write only slots no other actor reads or writes (its own), as recorded when they run in this
// state (so a guard that is false because of the CPU's own `irqsOn` stays false whatever other CPUs
// do) and write no slot an invariant reads. The monitors of the events a transition emits run inside it
// and their accesses are recorded with its own (what they read of the state, the ghost state they
// write, which is nobody's own), so an event is invisible when its monitors only read the actor's own
// and published slots and do not fail; a transition the bounded-wait monitors count is visible
// (`visible`). Such transitions commute with
// every transition of every other actor and are invisible, so exploring only them loses no reachable
// violation (the conditions C0–C2 of ample sets). For C3 under breadth-first search the ample set is
// used only if all its successors lie in the next BFS layer (new, or first reached from this layer):
// reduced edges then always go one layer deeper, so every cycle of the reduced graph has a fully
// expanded state.
import type { Program } from '../../lang/compile.ts';
import { Expander, type Outcome } from '../expander.ts';
import { Footprints } from '../footprint.ts';
import type { Machine } from '../machine.ts';
import type { VisitedStore } from '../store.ts';
import { encodeVia } from '../via.ts';
import type { Canonicalize, Reduction, ReductionDef } from './reduction.ts';

export const por: ReductionDef<'por', { readonly ampleStates: number }> = {
  name: 'por',
  flag: 'por',
  default: true,
  describe: 'partial-order reduction (ample sets from the fields the model declares own or published); --no-por to turn off',
  create: (ctx) => new AmpleSets(ctx.prog, ctx.store, ctx.canon),
};

export class AmpleSets implements Reduction<{ readonly ampleStates: number }> {
  /** A path through a state where only an ample set was taken may be longer than the shortest. */
  readonly shortest = false;
  /** Runs each candidate on a recording machine, disabled ones included (their guards' reads count). */
  private readonly ex: Expander;
  private readonly rm: Machine;
  private readonly fp: Footprints;
  private readonly rep: Int32Array;
  private readonly words: Uint32Array;
  /** The chosen transitions' codes (via.ts), `count` of them. */
  readonly chosen: Uint32Array;
  private count = 0;
  /** States where an ample set was used / not found. */
  reduced = 0;
  full = 0;
  // The actor being tried (kind index, actor) and the next layer's first id, for `visit`.
  private ki = 0;
  private nextLayer = 0;
  /** The actor's candidates so far all qualify. */
  private ok = true;

  constructor(private readonly prog: Program, private readonly store: VisitedStore, private readonly sym: Canonicalize | null) {
    this.ex = new Expander(prog, (step, actor, choice, outcome) => this.visit(step, actor, choice, outcome), { record: true, disabled: true });
    this.rm = this.ex.machine;
    this.fp = new Footprints(prog);
    this.rep = new Int32Array(prog.layout.slots.length);
    this.words = new Uint32Array(prog.words);
    const most = Math.max(1, ...prog.actorKinds.flatMap((k) => k.candidates.map((c) => [...c].reduce((n, id) => n + prog.steps[id].choices, 0))));
    this.chosen = new Uint32Array(most);
  }

  statistics() {
    return { ampleStates: this.reduced };
  }

  /** A state where only an ample set was taken may have left successors out. */
  storedEveryState(): boolean {
    return this.reduced === 0;
  }

  /**
   * Looks for an ample set in `base`: its size, the transitions in `chosen`; 0 if there is none. States
   * with ids from `nextLayer` on are in the BFS layer after `base`'s.
   */
  select(base: Int32Array, nextLayer: number): number {
    if (!this.fp.invariantsDeclared) return 0;
    this.nextLayer = nextLayer;
    const kinds = this.prog.actorKinds;
    for (let ki = 0; ki < kinds.length; ki++) {
      this.ki = ki;
      for (let a = 0; a < kinds[ki].count; a++) {
        this.count = 0;
        this.ok = true;
        // A model error: no ample set of this actor (the full expansion reports it).
        if (this.ex.expandActor(base, ki, a) !== 'done' || !this.ok) continue;
        if (this.count > 0) {
          this.reduced++;
          return this.count;
        }
      }
    }
    this.full++;
    return 0;
  }

  /** One candidate of the actor being tried, its accesses recorded: kept in `chosen`, or the actor fails (stop). */
  private visit(step: number, a: number, ch: number, outcome: Outcome): boolean {
    const rec = this.rm.rec!;
    if (outcome === 'disabled') {
      if (this.ownOnly(this.ki, a, false)) return false;
      this.ok = false;
      return true;
    }
    if (rec.visible || outcome === 'violation' || !this.ownOnly(this.ki, a, true)) {
      this.ok = false;
      return true;
    }
    // C3: every successor must be in the next layer.
    this.rep.set(this.rm.cur);
    this.sym?.canon(this.rep);
    this.prog.pack(this.rep, this.words, 0);
    const seen = this.store.find(this.words);
    if (seen >= 0 && seen < this.nextLayer) {
      this.ok = false;
      return true;
    }
    this.chosen[this.count++] = encodeVia(step, a, ch);
    return false;
  }

  /**
   * The recorded reads are of slots only actor (ki, a) writes, the writes of its own slots; with
   * `effect`, no observed slot is written.
   */
  private ownOnly(ki: number, a: number, effect: boolean): boolean {
    const rec = this.rm.rec!;
    const fp = this.fp;
    for (let i = 0; i < rec.nr; i++) if (!fp.writesOnly(rec.reads[i], ki, a)) return false;
    for (let i = 0; i < rec.nw; i++) {
      const s = rec.writes[i];
      if (!fp.isOwn(s, ki, a) || (effect && fp.visible[s] === 1)) return false;
    }
    return true;
  }
}
