// Footprint verification: over every reachable state of the full (unreduced) search, every candidate
// transition is re-executed on a recording machine, and every invariant re-evaluated, to check what
// partial-order reduction relies on: no step of one actor touches a field another actor owns or writes
// a field another actor publishes, and no invariant reads a field outside its declared `reads`. A
// step that strays is a model error.
import { candidatesAt, type CompiledStep, type Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import { exploreBfs, type ExploreOptions } from './bfs.ts';
import { Footprints, matchesAny } from './footprint.ts';
import { Machine } from './machine.ts';
import { displayPath } from '../trace/trace.ts';

export interface FootprintReport {
  /** States whose transitions were checked (all reachable ones when the search completed). */
  readonly states: number;
  readonly complete: boolean;
  readonly transitions: number;
  /** The first problems found, one sentence each. */
  readonly problems: readonly string[];
}

/**
 * Re-executes every candidate transition of state `base` on the recording machine `rm`, calling
 * `visit(step, actor kind index, actor, taken)` after each with `rm.rec` holding its accesses (a
 * disabled step's guard reads included; a model error ends the step there). Returns how many were taken.
 */
export function recordEachTransition(prog: Program, rm: Machine, base: Int32Array, visit: (st: CompiledStep, ki: number, a: number, taken: boolean) => void): number {
  let taken = 0;
  prog.actorKinds.forEach((k, ki) => {
    for (let a = 0; a < k.count; a++) {
      for (const sid of candidatesAt(k, base, a)) {
        const st = prog.steps[sid];
        for (let ch = 0; ch < st.choices; ch++) {
          rm.restart(base);
          let took = false;
          try {
            if (rm.enabled(st, a, ch)) {
              took = true;
              taken++;
              rm.apply(st, a);
            }
          } catch (e) {
            if (asModelError(e) === null) throw e;
          }
          visit(st, ki, a, took);
        }
      }
    }
  });
  return taken;
}

export function verifyFootprints(prog: Program, opts: ExploreOptions = {}): FootprintReport {
  const r = exploreBfs(prog, { ...opts, deadlock: false, por: false, symmetry: false });
  const fp = new Footprints(prog);
  const rm = new Machine(prog, true);
  const rec = rm.rec!;
  const base = new Int32Array(rm.cur.length);
  const packed = new Uint32Array(prog.words);
  const problems = new Set<string>();
  const { slots } = prog.layout;
  const name = (s: number) => displayPath(prog, slots[s].path);
  let transitions = 0;
  const invariants = prog.instance.properties.map((p, i) => ({ p, i })).filter(({ p }) => p.check && p.reads);
  for (let id = 0; id < r.store.count && problems.size < 20; id++) {
    r.store.read(id, packed);
    prog.unpack(packed, 0, base);
    transitions += recordEachTransition(prog, rm, base, (st, ki, a) => {
      const k = prog.actorKinds[ki];
      const owner = (s: number) => `${prog.actorKinds[fp.ownerKind[s]].name}${fp.ownerActor[s]}`;
      for (const s of rec.reads.subarray(0, rec.nr)) {
        if (fp.ownerKind[s] >= 0 && fp.published[s] === 0 && !fp.isOwn(s, ki, a)) problems.add(`${st.name} on ${k.name}${a} touches ${name(s)}, which ${owner(s)} owns`);
      }
      for (const s of rec.writes.subarray(0, rec.nw)) {
        if (fp.ownerKind[s] < 0 || fp.writesOnly(s, ki, a)) continue;
        problems.add(fp.published[s] === 1 ? `${st.name} on ${k.name}${a} writes ${name(s)}, which only ${owner(s)} writes (published)` : `${st.name} on ${k.name}${a} touches ${name(s)}, which ${owner(s)} owns`);
      }
    });
    for (const { p, i } of invariants) {
      rm.restart(base);
      rm.ctx.cpu = -1;
      p.check!(rm.view, rm.ghost[i], prog.instance.params, prog.instance.flags);
      for (let j = 0; j < rec.nr; j++) {
        const s = rec.reads[j];
        if (!matchesAny(slots[s].path, p.reads!)) problems.add(`invariant ${p.name} reads ${name(s)}, which its reads (${p.reads!.join(', ')}) do not declare`);
      }
    }
  }
  return { states: r.states, complete: r.verdict !== 'incomplete', transitions, problems: [...problems] };
}
