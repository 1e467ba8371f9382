// Footprint verification: over every reachable state of the full (unreduced) search, every candidate
// transition is re-executed on a recording machine, and every invariant re-evaluated, to check what
// partial-order reduction relies on: no step of one actor touches a field another actor owns or writes
// a field another actor publishes, no invariant reads a field outside its declared `reads`, and each
// actor's part of an invariant checked per actor (PropertyDef.each) reads only what that actor alone
// writes. A step that strays is a model error.
import type { CompiledStep, Program } from '../lang/compile.ts';
import { exploreBfs, type ExploreOptions } from './bfs.ts';
import { Expander } from './expander.ts';
import { Footprints, matchesAny } from './footprint.ts';
import { actorNames, displayPath } from '../lang/names.ts';

export interface FootprintReport {
  /** States whose transitions were checked (all reachable ones when the search completed). */
  readonly states: number;
  readonly complete: boolean;
  readonly transitions: number;
  /** The first problems found, one sentence each. */
  readonly problems: readonly string[];
}

/** Per candidate transition: its step, actor kind index and actor, and whether its guard held. */
export type RecordVisit = (st: CompiledStep, ki: number, a: number, taken: boolean) => void;

/**
 * An expander that re-executes every candidate transition of a state on a recording machine, calling
 * `visit` after each with `machine.rec` holding its accesses (a disabled step's guard reads included;
 * a model error ends the step there). `enabled` after an expansion: how many were taken.
 */
export function recordingExpander(prog: Program, visit: RecordVisit): Expander {
  const ex: Expander = new Expander(
    prog,
    (step, actor, _choice, outcome) => {
      visit(prog.steps[step], ex.kindIndex[step], actor, outcome !== 'disabled');
      return false;
    },
    { record: true, disabled: true, skipErrors: true },
  );
  return ex;
}

export function verifyFootprints(prog: Program, opts: ExploreOptions = {}): FootprintReport {
  const r = exploreBfs(prog, { ...opts, deadlock: false, por: false, symmetry: false });
  const fp = new Footprints(prog);
  const problems = new Set<string>();
  const { slots } = prog.layout;
  const name = (s: number) => displayPath(prog, slots[s].path);
  const actors = actorNames(prog).byKind;
  const owner = (s: number) => actors[fp.ownerKind[s]][fp.ownerActor[s]];
  const ex = recordingExpander(prog, (st, ki, a) => {
    const who = actors[ki][a];
    for (const s of rec.reads.subarray(0, rec.nr)) {
      if (fp.ownerKind[s] >= 0 && fp.published[s] === 0 && !fp.isOwn(s, ki, a)) problems.add(`${st.name} on ${who} touches ${name(s)}, which ${owner(s)} owns`);
    }
    for (const s of rec.writes.subarray(0, rec.nw)) {
      if (fp.ownerKind[s] < 0 || fp.writesOnly(s, ki, a)) continue;
      problems.add(fp.published[s] === 1 ? `${st.name} on ${who} writes ${name(s)}, which only ${owner(s)} writes (published)` : `${st.name} on ${who} touches ${name(s)}, which ${owner(s)} owns`);
    }
  });
  const rm = ex.machine;
  const rec = rm.rec!;
  const base = new Int32Array(rm.cur.length);
  const packed = new Uint32Array(prog.words);
  let transitions = 0;
  // Per invariant: the actors whose parts are checked one by one (kind index, count), or the whole state (-1, 1).
  const invariants = prog.instance.properties
    .map((p, i) => ({ p, i, ki: p.each === undefined ? -1 : prog.actorKinds.findIndex((k) => k.name === p.each) }))
    .filter(({ p }) => p.check && p.reads)
    .map((x) => ({ ...x, parts: x.ki < 0 ? 1 : prog.actorKinds[x.ki].count }));
  for (let id = 0; id < r.store.count && problems.size < 20; id++) {
    r.store.read(id, packed);
    prog.unpack(packed, 0, base);
    ex.expand(base);
    transitions += ex.enabled;
    for (const { p, i, ki, parts } of invariants) {
      for (let a = 0; a < parts; a++) {
        rm.restart(base);
        rm.ctx.cpu = -1;
        p.check!(rm.view, rm.ghost[i], prog.instance.params, prog.instance.flags, ki < 0 ? -1 : a);
        for (let j = 0; j < rec.nr; j++) {
          const s = rec.reads[j];
          if (!matchesAny(slots[s].path, p.reads!)) problems.add(`invariant ${p.name} reads ${name(s)}, which its reads (${p.reads!.join(', ')}) do not declare`);
          else if (ki >= 0 && !fp.writesOnly(s, ki, a)) problems.add(`invariant ${p.name}, checked per ${p.each}, reads ${name(s)} in the part of ${actors[ki][a]}, which ${actors[ki][a]} does not alone write (declare it own or published by ${actors[ki][a]}, or check the invariant on the whole state)`);
        }
      }
    }
  }
  return { states: r.states, complete: r.verdict !== 'incomplete', transitions, problems: [...problems] };
}
