// Replay: re-executes a stored trace, step by step by label, on a program (the same or another
// variant) and says whether the violation still happens, or where the trace stops applying — a label
// that no longer exists, an actor the scope does not have, a step whose guard is false or whose
// procedure is not at that point — and what the state is there.
import type { Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import { Machine } from '../engine/machine.ts';
import type { RawStep } from '../engine/bfs.ts';
import type { CexStep } from './cexfile.ts';
import { displayPath } from './trace.ts';

export type ReplayOutcome =
  | { readonly status: 'violates'; readonly property: string; readonly reason: string; readonly at: number; readonly raw: readonly RawStep[]; readonly skipped: number }
  | { readonly status: 'no-violation'; readonly steps: number; readonly skipped: number }
  | { readonly status: 'not-applicable'; readonly at: number; readonly why: string; readonly state: readonly string[] };

/**
 * Replays `steps` from the initial state. `at` is the 0-based index of the step where the outcome
 * was decided (for a violation: the step after which it showed; -1 for the initial state).
 */
export function replay(prog: Program, steps: readonly CexStep[], opts: { skipMissing?: boolean } = {}): ReplayOutcome {
  const m = new Machine(prog);
  const props = prog.instance.properties;
  const raw: RawStep[] = [];
  let skipped = 0;
  const stop = (at: number, why: string): ReplayOutcome => ({ status: 'not-applicable', at, why, state: describeState(prog, m) });
  try {
    m.init();
    const v0 = m.checkInvariants();
    if (v0) return { status: 'violates', property: props[v0.prop].name, reason: v0.reason, at: -1, raw, skipped };
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      const st = prog.steps.find((x) => x.proc === s.procedure && x.label === s.label);
      if (!st && opts.skipMissing) {
        skipped++;
        continue;
      }
      if (!st) {
        const inProc = prog.steps.some((x) => x.proc === s.procedure);
        return stop(i, inProc ? `step ${s.procedure}:${s.label} no longer exists` : `procedure ${s.procedure} no longer exists`);
      }
      const am = /^(.*?)(\d+)$/.exec(s.actor)!;
      const kind = prog.actorKinds.find((k) => k.name === am[1]);
      const actor = Number(am[2]);
      if (!kind || kind.name !== st.actorKind) return stop(i, `${s.procedure}:${s.label} is not run by ${s.actor}`);
      if (actor >= kind.count) return stop(i, `actor ${s.actor} does not exist with these params (${kind.count} ${kind.name}s)`);
      if (s.choice >= st.choices) return stop(i, `${st.name}: choice ${s.choice} is outside 0..${st.choices - 1}`);
      const pc = kind.pcSlot < 0 ? 0 : m.cur[kind.pcSlot + actor * kind.ctlStride];
      if (!kind.candidates[pc].includes(st.id)) return stop(i, `${st.name} cannot run on ${s.actor} here: it is at ${kind.pcNames[pc]}`);
      if (!m.enabled(st, actor, s.choice)) return stop(i, `${st.name} is not enabled on ${s.actor} here: its guard is false`);
      m.apply(st, actor);
      raw.push({ step: st.id, actor, choice: s.choice });
      if (m.violation) return { status: 'violates', property: props[m.violation.prop].name, reason: m.violation.reason, at: i, raw, skipped };
      const v = m.checkInvariants();
      if (v) return { status: 'violates', property: props[v.prop].name, reason: v.reason, at: i, raw, skipped };
    }
  } catch (e) {
    const me = asModelError(e);
    if (me === null) throw e;
    return stop(raw.length, `model error: ${me.message}`);
  }
  return { status: 'no-violation', steps: steps.length, skipped };
}

/** The model's fields (not the language's control state) as `path = value`. */
function describeState(prog: Program, m: Machine): string[] {
  return prog.layout.slots.filter((s) => !s.path.startsWith('$')).map((s) => `${displayPath(prog, s.path)} = ${m.render(s.index)}`);
}

/** Replays transitions given by step id (as the explorer records them). */
export function replayRaw(prog: Program, raw: readonly RawStep[]): ReplayOutcome {
  return replay(prog, raw.map((r) => ({ actor: `${prog.steps[r.step].actorKind}${r.actor}`, procedure: prog.steps[r.step].proc, label: prog.steps[r.step].label, choice: r.choice })));
}
