// What a reader sees of a program's actors and fields: actor instances are `cpu0`, `cpu1`, …
// (kind name, then index), listed CPUs first; internal fields read as what they are. The names of a
// program's actors are computed once per program; this is the one place that forms and reads them.
import type { Program } from './compile.ts';
import type { Slot } from './layout.ts';

export interface ActorNames {
  /** Actor instances in column order (CPUs first). */
  readonly columns: readonly string[];
  /** By actor kind index (program order), then instance index: the actor's name. */
  readonly byKind: readonly (readonly string[])[];
  /** By step id: the names of the instances of the step's actor kind. */
  readonly byStep: readonly (readonly string[])[];
}

const cache = new WeakMap<Program, ActorNames>();

export function actorNames(prog: Program): ActorNames {
  let n = cache.get(prog);
  if (n === undefined) {
    const byKind = prog.actorKinds.map((k) => Array.from({ length: k.count }, (_, i) => `${k.name}${i}`));
    const kindOf = new Map(prog.actorKinds.map((k, i) => [k.name, i]));
    const columns = prog.actorKinds
      .map((k, i) => ({ k, i }))
      .sort((a, b) => (a.k.name === prog.cpuKind ? -1 : b.k.name === prog.cpuKind ? 1 : 0))
      .flatMap(({ i }) => byKind[i]);
    n = { columns, byKind, byStep: prog.steps.map((s) => byKind[kindOf.get(s.actorKind)!]) };
    cache.set(prog, n);
  }
  return n;
}

/** The name of the actor taking a transition of step `step` as instance `actor`. */
export function actorOf(prog: Program, step: number, actor: number): string {
  return actorNames(prog).byStep[step][actor];
}

/**
 * An actor name read back (`cpu3` → kind `cpu`, index 3), also for an index the program does not
 * have (so that a trace from a larger scope can be told what is missing); null if no kind matches.
 */
export function parseActor(prog: Program, name: string): { readonly kind: string; readonly actor: number } | null {
  for (const k of prog.actorKinds) {
    const rest = name.slice(k.name.length);
    if (name.startsWith(k.name) && /^\d+$/.test(rest)) return { kind: k.name, actor: Number(rest) };
  }
  return null;
}

/** Language state reads as what it is (Slot.kind): `cpu0.pc`, `cpu1.storebuf.n`, ghost fields by property name. */
export function displaySlot(prog: Program, slot: Slot): string {
  const owner = slot.owners[slot.owners.length - 1];
  switch (slot.kind) {
    case 'field':
      return slot.path;
    case 'control':
      return `${owner.of}${owner.index}.${slot.rel}`;
    case 'storeBuffer':
      return `${owner.of}${owner.index}.storebuf.${slot.rel}`;
    case 'ghost':
      return `ghost(${prog.instance.properties[prog.ghostNames.indexOf(slot.group)].name}).${slot.rel}`;
  }
}

const byPath = new WeakMap<Program['layout'], Map<string, Slot>>();

/** displaySlot of the slot at `path` (a path of the layout). */
export function displayPath(prog: Program, path: string): string {
  let m = byPath.get(prog.layout);
  if (!m) byPath.set(prog.layout, (m = new Map(prog.layout.slots.map((s) => [s.path, s]))));
  const slot = m.get(path);
  return slot ? displaySlot(prog, slot) : path;
}

