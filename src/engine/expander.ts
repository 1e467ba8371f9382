// The expander: the one place where steps run on a state. Given an unpacked state it tries each
// candidate transition (actor, step, choice) in a fixed order (actor kinds in program order, actors
// by index, the actor's candidates at its pc, choices ascending), restoring the state before each,
// and hands each to the client's `visit` with its outcome: the successor (left in `machine.cur`),
// the successor on which a monitor failed (`machine.violation`), optionally the disabled candidates
// and, on a recording machine, the accesses each made (`machine.rec`). A model error raised by a
// guard, an effect or the visit itself ends the expansion with the end 'error', the failing
// transition and the error (an undeclared write re-run on a trapped view to name the field).
//
// Every search is a client: breadth-first search (bfs.ts), the preemption-bounded search (bounded.ts),
// simulation, real-trace rebuilding (paths.ts), ample sets (por.ts), sleep sets (sleep.ts), footprint
// verification and observed accesses (verify.ts, accesses.ts). Plain expansions without recording use
// the generated fast path (expand.ts), which yields the same transitions in the same order.
import { candidatesAt, type ActorKind, type CompiledStep, type Program } from '../lang/compile.ts';
import { asModelError, isOutOfMemory, type ModelError } from '../lang/errors.ts';
import { genExpander, type EnabledCount, type Outcome, type Visit } from './expand.ts';
import { Machine } from './machine.ts';

export type { Outcome, Visit } from './expand.ts';

/** How an expansion ended: every candidate tried, stopped by the visit, or a model error. */
export type End = 'done' | 'stopped' | 'error';

export interface ExpanderOptions {
  /** Record each transition's accesses (guard, effect, monitors) in `machine.rec`. */
  readonly record?: boolean;
  /** Also visit disabled candidates (outcome 'disabled', `machine.cur` as the guard left it). */
  readonly disabled?: boolean;
  /** Evaluate guards only: enabled candidates are visited as 'enabled' without being applied. */
  readonly guardsOnly?: boolean;
  /** Pack each successor into this buffer before it is visited. */
  readonly packed?: Uint32Array | null;
  /**
   * A model error skips its transition (visited with outcome 'error', `error` and `failing` set)
   * instead of ending the expansion.
   */
  readonly skipErrors?: boolean;
  /** Use the generated fast path for whole-state expansions (ignored with the options above). */
  readonly generated?: boolean;
}

/** A failing transition (the one being tried when a model error was raised). */
export interface Failing {
  step: number;
  actor: number;
  choice: number;
}

export class Expander implements EnabledCount {
  readonly machine: Machine;
  /** Enabled transitions of the last expansion (up to where it ended). */
  enabled = 0;
  /** After the end 'error': the model error and the transition that raised it. */
  error: ModelError | null = null;
  readonly failing: Failing = { step: 0, actor: 0, choice: 0 };
  /** Per step id: the index of its actor kind in `program.actorKinds`. */
  readonly kindIndex: Int32Array;
  private readonly fast: ((base: Int32Array) => boolean) | null;
  private readonly disabled: boolean;
  private readonly guardsOnly: boolean;
  private readonly skipErrors: boolean;
  private readonly packed: Uint32Array | null;
  /** The state a taken transition started from (for naming an undeclared write). */
  private readonly saved: Int32Array;

  constructor(readonly prog: Program, private readonly visit: Visit, opts: ExpanderOptions = {}) {
    this.machine = new Machine(prog, opts.record ?? false);
    this.disabled = opts.disabled ?? false;
    this.guardsOnly = opts.guardsOnly ?? false;
    this.skipErrors = opts.skipErrors ?? false;
    this.packed = opts.packed ?? null;
    this.saved = new Int32Array(this.machine.cur.length);
    this.kindIndex = Int32Array.from(prog.steps, (s) => prog.actorKinds.findIndex((k) => k.name === s.actorKind));
    const plain = !opts.record && !this.disabled && !this.guardsOnly && !this.skipErrors;
    this.fast = opts.generated && plain ? genExpander(prog, this.machine, this.packed, visit, this) : null;
  }

  /** Every candidate transition of every actor in `base`. */
  expand(base: Int32Array): End {
    this.enabled = 0;
    this.error = null;
    const m = this.machine;
    try {
      if (this.fast !== null) {
        m.cur.set(base);
        return this.fast(base) ? 'stopped' : 'done';
      }
      const kinds = this.prog.actorKinds;
      for (let ki = 0; ki < kinds.length; ki++) {
        const k = kinds[ki];
        for (let a = 0; a < k.count; a++) if (this.actor(base, k, a)) return 'stopped';
      }
      return 'done';
    } catch (e) {
      return this.fail(e, base);
    }
  }

  /** The candidate transitions of actor `a` of kind `ki` in `base` only. */
  expandActor(base: Int32Array, ki: number, a: number): End {
    this.enabled = 0;
    this.error = null;
    try {
      return this.actor(base, this.prog.actorKinds[ki], a) ? 'stopped' : 'done';
    } catch (e) {
      return this.fail(e, base);
    }
  }

  /**
   * Takes one transition on `machine.cur` as it stands (replaying a known trace): its outcome ('error'
   * with `error` and `failing` set). The visit is not called (the step is applied also in a guards-only expander); `enabled` counts it if its guard held.
   */
  take(step: number, actor: number, choice: number): Outcome {
    const m = this.machine;
    const st = this.prog.steps[step];
    this.error = null;
    this.saved.set(m.cur);
    m.violation = null;
    m.rec?.reset();
    try {
      return this.one(st, actor, choice, true);
    } catch (e) {
      this.fail(e, this.saved);
      return 'error';
    }
  }

  /** Tries actor a's candidates; true if the visit stopped. */
  private actor(base: Int32Array, k: ActorKind, a: number): boolean {
    const m = this.machine;
    const steps = this.prog.steps;
    const cands = candidatesAt(k, base, a);
    for (let j = 0; j < cands.length; j++) {
      const st = steps[cands[j]];
      for (let ch = 0; ch < st.choices; ch++) {
        m.restart(base);
        let o: Outcome;
        if (this.skipErrors) {
          try {
            o = this.one(st, a, ch, !this.guardsOnly);
          } catch (e) {
            this.fail(e, base);
            o = 'error';
          }
        } else o = this.one(st, a, ch, !this.guardsOnly);
        if (o === 'disabled' && !this.disabled) continue;
        if (this.visit(st.id, a, ch, o)) return true;
      }
    }
    return false;
  }

  /** Runs one candidate on `machine.cur` (restarted): its guard, then with `apply` its step. */
  private one(st: CompiledStep, a: number, ch: number, apply: boolean): Outcome {
    const m = this.machine;
    if (!m.enabled(st, a, ch)) return 'disabled';
    this.enabled++;
    if (!apply) return 'enabled';
    m.apply(st, a);
    if (this.packed !== null) this.prog.pack(m.cur, this.packed, 0);
    return m.violation === null ? 'next' : 'violation';
  }

  /** A model error while expanding `base`: names the failing transition; anything else is rethrown. */
  private fail(e: unknown, base: Int32Array): End {
    if (isOutOfMemory(e)) throw e;
    const me = asModelError(e);
    if (me === null) throw e;
    const x = this.machine.ctx;
    this.failing.step = x.step?.id ?? 0;
    this.failing.actor = x.actor;
    this.failing.choice = x.choice;
    // A write of an undeclared field: the step re-run on a trapped view names the path.
    this.error = (x.step !== null && this.machine.explainUndeclared(e, x.step, x.actor, x.choice, base)) || me;
    return 'error';
  }
}
