// Footprints: which slots each actor owns (declared `own`, plus the language's own control state and
// the CPU's own store buffer), which it alone writes (declared `published`: others may read them), and
// which slots the properties observe (the `reads` of invariants). A transition that, in a state,
// writes only its actor's own slots, reads only its own and its published slots and writes nothing
// observed (the monitors of the events it emits included: their accesses are the transition's) is
// independent of every other actor's transitions (they neither read what it writes nor write what it
// reads) and invisible. The reads of an invariant checked per actor (PropertyDef.each) observe
// nothing here: each actor's part reads only what that actor alone writes (verify.ts checks it), so
// another actor's step cannot change it, and the reduction needs no more of the actor's own steps
// than that they keep their order.
import { bufferOwner } from '../lang/memory/buffers.ts';
import type { Program } from '../lang/compile.ts';

export class Footprints {
  /** slot → actor kind index owning it (own or published), or -1 (shared). */
  readonly ownerKind: Int32Array;
  /** slot → actor instance owning it. */
  readonly ownerActor: Int32Array;
  /** slot → 1 if published: the owner alone writes it, other actors may read it. */
  readonly published: Uint8Array;
  /** slot → 1 if some invariant checked on the whole state (not per actor) may read it. */
  readonly visible: Uint8Array;
  /** Every invariant declares its reads (otherwise no transition is invisible). */
  readonly invariantsDeclared: boolean;

  constructor(readonly prog: Program) {
    const { slots } = prog.layout;
    this.ownerKind = new Int32Array(slots.length).fill(-1);
    this.ownerActor = new Int32Array(slots.length).fill(-1);
    this.visible = new Uint8Array(slots.length);
    this.published = new Uint8Array(slots.length);
    const sb = prog.storeBuffers;
    prog.actorKinds.forEach((k, ki) => {
      for (const s of slots) {
        const o = s.owners.find((x) => x.of === k.name);
        if (!o) continue;
        // An actor's control state is its own; a CPU's store buffer is that CPU's (memory/buffers.ts).
        const control = s.kind === 'control' || (sb !== null && k.name === sb.cpuKind && bufferOwner(sb, s.index) === o.index);
        if (s.own || s.published || control) {
          this.ownerKind[s.index] = ki;
          this.ownerActor[s.index] = o.index;
          this.published[s.index] = s.published ? 1 : 0;
        }
      }
    });
    const invariants = prog.instance.properties.filter((p) => p.check);
    this.invariantsDeclared = invariants.every((p) => p.reads !== undefined);
    const patterns = invariants.filter((p) => p.each === undefined).flatMap((p) => p.reads ?? []);
    for (const s of slots) if (matchesAny(s.path, patterns)) this.visible[s.index] = 1;
  }

  /** No other actor reads or writes the slot. */
  isOwn(slot: number, kind: number, actor: number): boolean {
    return this.ownerKind[slot] === kind && this.ownerActor[slot] === actor && this.published[slot] === 0;
  }

  /** No other actor writes the slot (own or published by this actor). */
  writesOnly(slot: number, kind: number, actor: number): boolean {
    return this.ownerKind[slot] === kind && this.ownerActor[slot] === actor;
  }
}

/** `cpu[1].tlb[0].gen` matches `cpu`, `cpu.tlb`, `cpu.tlb.gen` (paths without indices). */
export function matchesAny(path: string, patterns: readonly string[]): boolean {
  const bare = path.replace(/\[\d+\]/g, '');
  return patterns.some((p) => bare === p || bare.startsWith(p + '.'));
}
