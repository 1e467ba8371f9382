// What a property's `completes` names (src/lang/property.ts) as obligations of the program, and when
// one is open: a seq procedure is open for an actor instance while its pc or a return frame is in the
// procedure (one obligation per instance of its actor kind), a model's `busy` entry while its `at` is
// not 0. The fair-cycle check (liveness.ts) and the bounded monitors (within.ts) share this test, and
// the scope bounds (a step's `bounded`) under which the stuck check, the fair-cycle check and the
// bounded monitors all count an obligation as done.
import type { Program } from '../lang/compile.ts';
import { ModelError } from '../lang/errors.ts';
import type { BusyDef } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';

/** One thing that must complete: property `prop`, for the actor instance `actor` of `kind` (or a busy entry: kind -1). */
export interface Obligation {
  readonly prop: number;
  readonly kind: number;
  readonly actor: number;
  /** Per pc of the kind: the pc is in the procedure (a frame of it is live). */
  readonly inProc: Uint8Array | null;
  readonly busy: BusyDef<any> | null;
  /** The procedure, or the busy entry's name. */
  readonly name: string;
}

/**
 * The obligations of property `i` of the program (which names what completes in `completes`): per
 * actor instance for a procedure, one for a busy entry; none for a procedure this scope or variant
 * does not have (no exits, no kthread: nothing of it to complete).
 */
export function obligationsOf(prog: Program, i: number): Obligation[] {
  const { model, params, flags } = prog.instance;
  const p: PropertyDef = prog.instance.properties[i];
  const c = p.completes;
  if (c === undefined) throw new ModelError(`property ${p.name} does not say what completes (completes: { procedure } or { busy })`);
  if ('busy' in c) {
    const busy = model.busy?.(params, flags) ?? {};
    const def = busy[c.busy];
    if (def === undefined) throw new ModelError(`property ${p.name}: the model has no busy entry '${c.busy}' (it has: ${Object.keys(busy).join(', ') || 'none'})`);
    return [{ prop: i, kind: -1, actor: -1, inProc: null, busy: def, name: c.busy }];
  }
  const st = prog.steps.find((x) => x.proc === c.procedure && x.kind === 'seq');
  if (st === undefined) return [];
  const ki = prog.actorKinds.findIndex((k) => k.name === st.actorKind);
  const k = prog.actorKinds[ki];
  const inProc = Uint8Array.from(k.pcNames.map((n) => (n.startsWith(`${c.procedure}:`) ? 1 : 0)));
  return Array.from({ length: k.count }, (_, a) => ({ prop: i, kind: ki, actor: a, inProc, busy: null, name: c.procedure }));
}

/** What the open test reads of a machine (machine.ts): its current state, its view and step context. */
export interface MachineState {
  readonly cur: Int32Array;
  readonly view: any;
  readonly ctx: { cpu: number };
}

/** Whether `o` is open in the machine's current state (a busy entry's `at` reads memory, no CPU's view). */
export function isOpen(prog: Program, m: MachineState, o: Obligation): boolean {
  if (o.busy !== null) {
    m.ctx.cpu = -1;
    return o.busy.at(m.view) !== 0;
  }
  const k = prog.actorKinds[o.kind];
  const at = k.pcSlot + o.actor * k.ctlStride;
  const s = m.cur;
  if (o.inProc![s[at]] === 1) return true;
  for (let d = 0; d < s[at + 1]; d++) if (o.inProc![s[at + 2 + d]] === 1) return true;
  return false;
}

/**
 * Per actor kind and pc: the `bounded` predicate of the seq step there, or null. A state where an
 * actor waits at a step whose scope bound is used up ends the explored behaviour (the kernel goes on
 * beyond the scope there): every obligation counts as done in it.
 */
export function boundedSteps(prog: Program): (((s: any, a: number) => boolean) | null)[][] {
  const procs = prog.instance.procedures;
  return prog.actorKinds.map((k) =>
    k.pcNames.map((_, pc) => {
      const st = prog.steps.find((x) => x.actorKind === k.name && x.kind === 'seq' && x.pc === pc);
      return st ? (procs.find((p) => p.name === st.proc)?.steps.find((d) => d.label === st.label)?.bounded ?? null) : null;
    }),
  );
}
