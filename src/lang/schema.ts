// The shape of a model's state: records of fields with finite domains, and fixed-length arrays
// indexed by CPU, mm, task… (per-CPU `cpu_tlbstate`, per-mm `mm_struct` fields, per-ASID slots).
import type { BoolDomain, Domain, ObjKind } from './domain.ts';

export interface ArrayDecl<E extends Decl = Decl> {
  readonly kind: 'array';
  readonly length: number;
  /** The kind of object the index names (for symmetry and rendering), or null for a plain index. */
  readonly index: ObjKind | null;
  readonly elem: E;
}

/**
 * A marked field. `plain`: a shared variable written with plain stores (buffered under TSO).
 * `own`: a field of a per-actor record that only that actor's own steps read or write (partial-order
 * reduction treats steps that touch only own fields as independent of other actors).
 * `published`: a field of a per-actor record that only that actor's own steps write; other actors may
 * read it (`buffered`: with plain stores, as `plain`).
 */
export interface PlainDecl<D extends Domain = Domain> {
  readonly kind: 'plain' | 'own' | 'published';
  readonly domain: D;
  readonly buffered?: boolean;
}

export interface RecordDecl {
  readonly [field: string]: Decl;
}

export type Decl = Domain | PlainDecl | ArrayDecl | RecordDecl;

export function arrayOf<E extends Decl>(length: number, elem: E, index: ObjKind | null = null): ArrayDecl<E> {
  return { kind: 'array', length, index, elem };
}

export function perCpu<E extends Decl>(cpus: number, elem: E): ArrayDecl<E> {
  return arrayOf(cpus, elem, 'cpu');
}

export function perMm<E extends Decl>(mms: number, elem: E): ArrayDecl<E> {
  return arrayOf(mms, elem, 'mm');
}

/**
 * A shared variable written with a plain (non-LOCK) store that another CPU reads, e.g. `loaded_mm`,
 * `is_lazy`, `rq->curr`: under `--memory tso` the store sits in the writer's store buffer until a
 * drain, a full fence, a LOCKed operation or a serializing instruction.
 */
export function plain<D extends Domain>(domain: D): PlainDecl<D> {
  return { kind: 'plain', domain };
}

/**
 * A field of a per-CPU (per-actor) record that no other actor's step ever reads or writes: the CPU's
 * private state (`cpu_tlbstate` fields not read remotely, procedure locals, its own TLB contents).
 * Declaring it lets partial-order reduction skip interleavings of steps that touch only such fields;
 * `check --verify-footprints` checks the declaration on every transition of the full state space.
 */
export function own<D extends Domain>(domain: D): PlainDecl<D> {
  return { kind: 'own', domain };
}

/**
 * A field of a per-CPU (per-actor) record that only that actor's own steps write, while other actors'
 * steps may read it: `cpu_tlbstate.loaded_mm` and `cpu_tlbstate_shared.is_lazy` (written by this CPU's
 * switch_mm_irqs_off, read by another CPU's should_flush_tlb), `rq->curr`, the initiator's
 * flush_tlb_info. A step of the owner that only reads it commutes with every step of another actor
 * (they only read it too), so partial-order reduction may take such a read alone; a write still
 * conflicts with the other actors' reads. `published(plain(d))` is also store-buffered under TSO.
 * `check --verify-footprints` checks that no other actor's step writes it.
 */
export function published<D extends Domain>(d: D | PlainDecl<D>): PlainDecl<D> {
  if (isPlain(d)) {
    if (d.kind !== 'plain') throw new Error(`published(${d.kind}(...)): only a domain or plain(domain) can be published`);
    return { kind: 'published', domain: d.domain, buffered: true };
  }
  return { kind: 'published', domain: d };
}

export function isDomain(d: Decl): d is Domain {
  const k = (d as { kind?: unknown }).kind;
  return typeof k === 'string' && k !== 'array' && k !== 'plain' && k !== 'own' && k !== 'published';
}
export function isPlain(d: Decl): d is PlainDecl {
  const k = (d as { kind?: unknown }).kind;
  return k === 'plain' || k === 'own' || k === 'published';
}
/** A field written with plain stores (buffered under TSO): `plain` or `published(plain(...))`. */
export function isBuffered(d: PlainDecl): boolean {
  return d.kind === 'plain' || (d.kind === 'published' && d.buffered === true);
}
export function isArray(d: Decl): d is ArrayDecl {
  return (d as { kind?: unknown }).kind === 'array';
}

/**
 * A property's ghost declaration as the state holds it: `plain` and `published` marks removed (ghost
 * state is never buffered), `own` kept. A ghost field of a per-actor record declared own is written
 * only by the monitors that run inside that actor's steps (an invariant checked per actor may then
 * read it in that actor's part; `check --verify-footprints` checks both).
 */
export function ghostDecl(d: Decl): Decl {
  if (isPlain(d)) return d.kind === 'own' ? d : d.domain;
  if (isDomain(d)) return d;
  if (isArray(d)) return { ...d, elem: ghostDecl(d.elem) };
  return Object.fromEntries(Object.entries(d as RecordDecl).map(([k, v]) => [k, ghostDecl(v)]));
}

/** An array of scalars: read with get(i), written with set(i, v). */
export interface ScalarArray<T> {
  readonly length: number;
  get(i: number): T;
  set(i: number, v: T): void;
}

type ScalarOf<D> = D extends BoolDomain ? boolean : number;

/** The view a step sees of a declared state shape (`any` for a model of unknown shape). */
export type View<D> = 0 extends 1 & D
  ? any
  : D extends PlainDecl<infer X>
  ? ScalarOf<X>
  : D extends Domain
    ? ScalarOf<D>
    : D extends ArrayDecl<infer E>
      ? E extends Domain | PlainDecl
        ? ScalarArray<View<E>>
        : ReadonlyArray<View<E>>
      : D extends RecordDecl
        ? { -readonly [K in keyof D]: View<D[K]> }
        : never;
