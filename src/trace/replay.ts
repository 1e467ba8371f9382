// Replay: re-executes a stored trace, step by step by label, on a program (the same or another
// variant) and says whether the violation still happens, or where the trace stops applying — a label
// that no longer exists, an actor the scope does not have, a step whose guard is false or whose
// procedure is not at that point — and what the state is there. A step that exists neither in the
// program nor in any of the programs the trace could have come from (mainline, its own variant) was
// never a step of the model: the trace is malformed (hand-edited), which is not a verdict on a patch.
import type { Program } from '../lang/compile.ts';
import { asModelError, closeMatches } from '../lang/errors.ts';
import { Machine } from '../engine/machine.ts';
import type { RawStep } from '../engine/via.ts';
import { verifyLasso } from '../engine/liveness.ts';
import { stuckFrom } from '../engine/stuck.ts';
import type { CexStep } from './cexfile.ts';
import { actorOf, displayPath, parseActor } from '../lang/names.ts';

export type ReplayOutcome =
  | { readonly status: 'violates'; readonly property: string; readonly reason: string; readonly at: number; readonly raw: readonly RawStep[]; readonly skipped: number }
  | { readonly status: 'no-violation'; readonly steps: number; readonly skipped: number; readonly why?: string }
  | { readonly status: 'not-applicable'; readonly at: number; readonly why: string; readonly state: readonly string[] }
  | { readonly status: 'malformed'; readonly at: number; readonly why: string };

export interface ReplayOptions {
  /** Skip the steps the program does not have (a patch that removed them), counting them. */
  readonly skipMissing?: boolean;
  /**
   * The programs the trace may have been recorded on (mainline and its own variant, in its scope):
   * a step missing from the program and from all of these makes the trace malformed. Called only
   * when a step is missing. Without it (an origin that cannot be loaded: a variant file the trace
   * names), a missing step is only not applicable.
   */
  readonly origins?: () => readonly Program[];
  /**
   * The stored violation is not a safety one: `stuck` (the trace's end must have a stuck actor: the
   * states reachable from it are explored) or a liveness property with the lasso's `cycleAt` (the
   * cycle must return to its first state, keep the property's wait open and be weakly fair).
   */
  readonly progress?: { readonly property: string; readonly cycleAt?: number };
}

/**
 * Replays `steps` from the initial state. `at` is the 0-based index of the step where the outcome
 * was decided (for a violation: the step after which it showed; -1 for the initial state).
 */
export function replay(prog: Program, steps: readonly CexStep[], opts: ReplayOptions = {}): ReplayOutcome {
  const m = new Machine(prog);
  const props = prog.instance.properties;
  const raw: RawStep[] = [];
  let skipped = 0;
  let origins: readonly Program[] | null = null;
  const stop = (at: number, why: string): ReplayOutcome => ({ status: 'not-applicable', at, why, state: describeState(prog, m) });
  try {
    m.init();
    const v0 = m.checkInvariants();
    if (v0) return { status: 'violates', property: props[v0.prop].name, reason: v0.reason, at: -1, raw, skipped };
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      const found = locate(prog, s);
      if (found.problem !== null) {
        origins ??= opts.origins?.() ?? null;
        if (origins !== null && !origins.some((o) => locate(o, s).problem === null)) return { status: 'malformed', at: i, why: malformed(prog, s, found.problem) };
        if (opts.skipMissing && found.problem.missing) {
          skipped++;
          continue;
        }
        return stop(i, found.problem.why);
      }
      const { st, kind, actor } = found;
      const pc = kind.pcSlot < 0 ? 0 : m.cur[kind.pcSlot + actor * kind.ctlStride];
      if (!kind.candidates[pc].includes(st.id)) return stop(i, `${st.name} cannot run on ${s.actor} here: it is at ${kind.pcNames[pc]}`);
      if (!m.enabled(st, actor, s.choice)) return stop(i, `${st.name} is not enabled on ${s.actor} here: its guard is false`);
      m.apply(st, actor);
      raw.push({ step: st.id, actor, choice: s.choice });
      if (m.violation) return { status: 'violates', property: props[m.violation.prop].name, reason: m.violation.reason, at: i, raw, skipped };
      const v = m.checkInvariants();
      if (v) return { status: 'violates', property: props[v.prop].name, reason: v.reason, at: i, raw, skipped };
    }
    const p = opts.progress;
    if (p !== undefined && skipped === 0) {
      const last = steps.length - 1;
      if (p.property === 'stuck') {
        const why = stuckFrom(prog, m.cur);
        if (why !== null) return { status: 'violates', property: 'stuck', reason: why, at: last, raw, skipped };
        return { status: 'no-violation', steps: steps.length, skipped, why: 'every actor busy at the end of the trace can still get back to rest' };
      }
      const idx = props.findIndex((x) => x.name === p.property);
      if (idx >= 0 && props[idx].kind === 'liveness' && p.cycleAt !== undefined) {
        const why = verifyLasso(prog, raw, p.cycleAt, idx);
        if (why === null) return { status: 'violates', property: p.property, reason: `the cycle of steps ${p.cycleAt + 1}-${steps.length} returns to the state it starts in, keeps ${p.property}'s wait open and is weakly fair`, at: last, raw, skipped };
        return { status: 'no-violation', steps: steps.length, skipped, why };
      }
    }
  } catch (e) {
    const me = asModelError(e);
    if (me === null) throw e;
    return stop(raw.length, `model error: ${me.message}`);
  }
  return { status: 'no-violation', steps: steps.length, skipped };
}

type Problem = { readonly why: string; readonly missing: boolean; readonly kind: 'procedure' | 'label' | 'actor' | 'choice' };
type Located =
  | { readonly problem: null; readonly st: Program['steps'][number]; readonly kind: Program['actorKinds'][number]; readonly actor: number }
  | { readonly problem: Problem };

/** The step a trace entry names in a program, or why the program has no such step (regardless of the state). */
function locate(prog: Program, s: CexStep): Located {
  const st = prog.steps.find((x) => x.proc === s.procedure && x.label === s.label);
  if (!st) {
    const inProc = prog.steps.some((x) => x.proc === s.procedure);
    return { problem: inProc ? { why: `step ${s.procedure}:${s.label} no longer exists`, missing: true, kind: 'label' } : { why: `procedure ${s.procedure} no longer exists`, missing: true, kind: 'procedure' } };
  }
  const am = parseActor(prog, s.actor);
  const kind = am && prog.actorKinds.find((k) => k.name === am.kind);
  const actor = am?.actor ?? 0;
  if (!kind || kind.name !== st.actorKind) return { problem: { why: `${s.procedure}:${s.label} is not run by ${s.actor}`, missing: false, kind: 'actor' } };
  if (actor >= kind.count) return { problem: { why: `actor ${s.actor} does not exist with these params (${kind.count} ${kind.name}s)`, missing: false, kind: 'actor' } };
  if (s.choice >= st.choices) return { problem: { why: `${st.name}: choice ${s.choice} is outside 0..${st.choices - 1}`, missing: false, kind: 'choice' } };
  return { problem: null, st, kind, actor };
}

/** Why a step of a malformed trace is none of the model's, with what the model has instead. */
function malformed(prog: Program, s: CexStep, p: Problem): string {
  const procs = [...new Set(prog.steps.map((x) => x.proc))];
  const hint = (names: readonly string[], name: string) => {
    const close = closeMatches(name, names);
    return close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : '';
  };
  if (p.kind === 'procedure') return `no procedure ${s.procedure} in the model${hint(procs, s.procedure)}`;
  if (p.kind === 'label') {
    const labels = prog.steps.filter((x) => x.proc === s.procedure).map((x) => x.label);
    return `no step ${s.procedure}:${s.label} in the model${hint(labels, s.label)}; ${s.procedure} has ${labels.join(', ')}`;
  }
  if (p.kind === 'actor') {
    const actors = prog.actorKinds.map((k) => (k.count === 1 ? `${k.name}0` : `${k.name}0..${k.name}${k.count - 1}`));
    const runner = prog.steps.find((x) => x.proc === s.procedure)?.actorKind;
    return `no actor ${s.actor} runs ${s.procedure}:${s.label}${runner ? ` (${runner} actors do)` : ''}; the actors are ${actors.join(', ')}`;
  }
  return `${p.why.replace(/: choice/, ' has no choice').replace(/ is outside/, '; its choices are')}`;
}

/** The model's fields (not the language's control state) as `path = value`. */
function describeState(prog: Program, m: Machine): string[] {
  return prog.layout.slots.filter((s) => !s.path.startsWith('$')).map((s) => `${displayPath(prog, s.path)} = ${m.render(s.index)}`);
}

/** Replays transitions given by step id (as the explorer records them). */
export function replayRaw(prog: Program, raw: readonly RawStep[]): ReplayOutcome {
  return replay(prog, raw.map((r) => ({ actor: actorOf(prog, r.step, r.actor), procedure: prog.steps[r.step].proc, label: prog.steps[r.step].label, choice: r.choice })));
}
