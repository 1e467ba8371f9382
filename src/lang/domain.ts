// Finite value domains of state fields. Every field has a small declared domain; the compiler packs
// each value into ceil(log2(size)) bits, and a store outside the domain is a model error.
//
// Values are plain JavaScript numbers or booleans as the model sees them. In the packed state a value
// is stored as its index 0..size-1 (value - lo for numbers, 0/1 for booleans).

/** What a reference or a set points at: interchangeable objects of the model (used by symmetry). */
export type ObjKind = 'cpu' | 'mm' | 'task' | 'asid' | (string & {});

export interface BoolDomain {
  readonly kind: 'bool';
  readonly size: 2;
  readonly lo: 0;
  readonly __t?: boolean;
}

export interface IntDomain {
  readonly kind: 'int';
  readonly size: number;
  readonly lo: number;
  readonly __t?: number;
}

export interface EnumDomain<N extends string = string> {
  readonly kind: 'enum';
  readonly size: number;
  readonly lo: 0;
  readonly names: readonly N[];
  /** name → value, for guards and effects: `s.cpu[c].mode === Mode.user`. */
  readonly ids: { readonly [K in N]: number };
  readonly __t?: number;
}

/**
 * A reference to one of `count` objects of kind `of` (a CPU, an mm, a task…): values 0..count-1, plus
 * `none` = -1 when nullable (NULL), plus named extra values count, count+1, … (e.g. LOADED_MM_SWITCHING).
 */
export interface RefDomain<X extends string = string> {
  readonly kind: 'ref';
  readonly size: number;
  readonly lo: number;
  readonly of: ObjKind;
  readonly count: number;
  readonly nullable: boolean;
  readonly extra: { readonly [K in X]: number };
  readonly __t?: number;
}

/** A set of objects of kind `of` as a bitmask (bit i = object i), e.g. mm_cpumask. */
export interface SetDomain {
  readonly kind: 'set';
  readonly size: number;
  readonly lo: 0;
  readonly of: ObjKind;
  readonly count: number;
  readonly __t?: number;
}

export type Domain = BoolDomain | IntDomain | EnumDomain | RefDomain | SetDomain;

export const NONE = -1;

export function bool(): BoolDomain {
  return { kind: 'bool', size: 2, lo: 0 };
}

export function int(lo: number, hi: number): IntDomain {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`int(${lo}, ${hi}): empty or non-integer range`);
  return { kind: 'int', size: hi - lo + 1, lo };
}

export function enumOf<const N extends string>(names: readonly N[]): EnumDomain<N> {
  if (names.length === 0) throw new Error('enumOf: no names');
  const ids = {} as { [K in N]: number };
  names.forEach((n, i) => ((ids as Record<string, number>)[n] = i));
  return { kind: 'enum', size: names.length, lo: 0, names, ids };
}

export function ref<const X extends string = never>(
  of: ObjKind,
  count: number,
  opts: { nullable?: boolean; extra?: readonly X[] } = {},
): RefDomain<X> {
  const nullable = opts.nullable ?? false;
  const extraNames = opts.extra ?? [];
  const extra = {} as { [K in X]: number };
  extraNames.forEach((n, i) => ((extra as Record<string, number>)[n] = count + i));
  return { kind: 'ref', of, count, nullable, extra, lo: nullable ? -1 : 0, size: count + extraNames.length + (nullable ? 1 : 0) };
}

export function setOf(of: ObjKind, count: number): SetDomain {
  if (count > 16) throw new Error(`setOf(${of}, ${count}): at most 16 members`);
  return { kind: 'set', of, count, lo: 0, size: 1 << count };
}

/** Bits needed to store an index 0..size-1. */
export function bitsFor(d: Domain): number {
  return d.size <= 1 ? 0 : 32 - Math.clz32(d.size - 1);
}

/** The largest value a field of this domain may hold, for range checks. */
export function hiOf(d: Domain): number {
  return d.lo + d.size - 1;
}

/** Human-readable rendering of a value (traces, counterexample files). */
export function renderValue(d: Domain, v: number | boolean): string {
  switch (d.kind) {
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
      return String(v);
    case 'enum':
      return d.names[v as number] ?? `?${v}`;
    case 'ref': {
      const n = v as number;
      if (n === NONE) return 'NULL';
      if (n >= d.count) return Object.keys(d.extra).find((k) => (d.extra as Record<string, number>)[k] === n) ?? `?${n}`;
      return `${d.of}${n}`;
    }
    case 'set': {
      const m = v as number;
      const out: string[] = [];
      for (let i = 0; i < d.count; i++) if (m & (1 << i)) out.push(String(i));
      return `{${out.join(',')}}`;
    }
  }
}

export function decodeValue(d: Domain, i: number): number | boolean {
  return d.kind === 'bool' ? i !== 0 : i + d.lo;
}
