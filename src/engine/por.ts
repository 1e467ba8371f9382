// Partial-order reduction for safety properties: ample sets from footprints. In a state, the ample
// set is every candidate transition of one actor, when each candidate's guard and each enabled
// transition's effect read only slots no other actor writes (that actor's own and published slots)
// and write only slots no other actor reads or writes (its own), as recorded when they run in this
// state (so a guard that is false because of the CPU's own `irqsOn` stays false whatever other CPUs
// do), write no slot an invariant reads and emit no observed event. Such transitions commute with
// every transition of every other actor and are invisible, so exploring only them loses no reachable
// violation (the conditions C0–C2 of ample sets). For C3 under breadth-first search the ample set is
// used only if all its successors lie in the next BFS layer (new, or first reached from this layer):
// reduced edges then always go one layer deeper, so every cycle of the reduced graph has a fully
// expanded state.
import { candidatesAt, type Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import { Footprints } from './footprint.ts';
import { Machine } from './machine.ts';
import type { VisitedStore } from './store.ts';
import type { Canonicalizer } from './symmetry.ts';

export class AmpleSets {
  private readonly rm: Machine;
  private readonly fp: Footprints;
  private readonly rep: Int32Array;
  private readonly words: Uint32Array;
  /** The chosen transitions: step, actor, choice triples. */
  readonly chosen: Int32Array;
  count = 0;
  /** States where an ample set was used / not found. */
  reduced = 0;
  full = 0;

  constructor(private readonly prog: Program, private readonly canon: Canonicalizer | null) {
    this.rm = new Machine(prog, true);
    this.fp = new Footprints(prog);
    this.rep = new Int32Array(prog.layout.slots.length);
    this.words = new Uint32Array(prog.words);
    const most = Math.max(1, ...prog.actorKinds.flatMap((k) => k.candidates.map((c) => [...c].reduce((n, id) => n + prog.steps[id].choices, 0))));
    this.chosen = new Int32Array(3 * most);
  }

  /**
   * Looks for an ample set in `base`; on success fills `chosen`/`count` and returns true. States with
   * ids from `nextLayer` on are in the BFS layer after `base`'s.
   */
  select(base: Int32Array, store: VisitedStore, nextLayer: number): boolean {
    if (!this.fp.invariantsDeclared) return false;
    const { prog, rm } = this;
    const rec = rm.rec!;
    for (let ki = 0; ki < prog.actorKinds.length; ki++) {
      const k = prog.actorKinds[ki];
      actors: for (let a = 0; a < k.count; a++) {
        const cands = candidatesAt(k, base, a);
        this.count = 0;
        for (let j = 0; j < cands.length; j++) {
          const st = prog.steps[cands[j]];
          for (let ch = 0; ch < st.choices; ch++) {
            rm.restart(base);
            let enabled: boolean;
            try {
              enabled = rm.enabled(st, a, ch);
              if (!this.ownOnly(ki, a, false)) continue actors;
              if (!enabled) continue;
              rec.reset();
              rm.apply(st, a);
            } catch (e) {
              if (asModelError(e) !== null) continue actors; // the full expansion reports it
              throw e;
            }
            if (rec.observed || rm.violation !== null || !this.ownOnly(ki, a, true)) continue actors;
            // C3: every successor must be in the next layer.
            this.rep.set(rm.cur);
            this.canon?.canon(this.rep);
            prog.pack(this.rep, this.words, 0);
            const seen = store.find(this.words);
            if (seen >= 0 && seen < nextLayer) continue actors;
            this.chosen[3 * this.count] = st.id;
            this.chosen[3 * this.count + 1] = a;
            this.chosen[3 * this.count + 2] = ch;
            this.count++;
          }
        }
        if (this.count > 0) {
          this.reduced++;
          return true;
        }
      }
    }
    this.full++;
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
