// The reference explorer's view of a state declaration: a flat list of scalar fields, each named by
// its path as a model writes it (`cpu[1].localGen`, `mmGen`), with its domain and whether it is a
// plain (store-buffered) field. Values are kept as the model sees them (numbers and booleans), never
// as packed indices.
import type { Domain } from '../lang/domain.ts';
import { isArray, isBuffered, isDomain, isPlain, type Decl, type RecordDecl } from '../lang/schema.ts';

export type Scalar = number | boolean;

export interface Field {
  readonly path: string;
  readonly domain: Domain;
  readonly plain: boolean;
}

/** Every scalar field of `decl`, in declaration order, with paths under `prefix` (`markPlain` false: none is plain). */
export function collectFields(decl: RecordDecl, prefix: string, markPlain: boolean): Field[] {
  const out: Field[] = [];
  const walk = (d: Decl, path: string): void => {
    // `own` and `published` mark a field for partial-order reduction; `plain` fields (published or
    // not) are store-buffered.
    if (isPlain(d)) out.push({ path, domain: d.domain, plain: markPlain && isBuffered(d) });
    else if (isDomain(d)) out.push({ path, domain: d, plain: false });
    else if (isArray(d)) for (let i = 0; i < d.length; i++) walk(d.elem, `${path}[${i}]`);
    else for (const [name, sub] of Object.entries(d)) walk(sub, join(path, name));
  };
  for (const [name, sub] of Object.entries(decl)) walk(sub, join(prefix, name));
  return out;
}

export function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** A declaration that is one scalar field (a domain or a plain domain). */
export function isScalarDecl(d: Decl): boolean {
  return isDomain(d) || isPlain(d);
}

/** The first value of a domain: false, or `lo` (which is NONE for a nullable reference). */
export function firstValue(d: Domain): Scalar {
  return d.kind === 'bool' ? false : d.lo;
}

/** Whether `v` is a value of the domain: a boolean for bool, else an integer from lo to lo+size-1. */
export function inDomain(d: Domain, v: unknown): v is Scalar {
  if (d.kind === 'bool') return v === true || v === false;
  return typeof v === 'number' && Number.isInteger(v) && v >= d.lo && v <= d.lo + d.size - 1;
}

export function describeDomain(d: Domain): string {
  return d.kind === 'bool' ? 'true/false' : `${d.lo}..${d.lo + d.size - 1}`;
}
