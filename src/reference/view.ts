// The objects guards, effects, invariants and monitors see: plain JavaScript objects whose getters
// and setters call `load` and `store` with the field's path. Records become objects, arrays of records
// frozen arrays of objects, arrays of scalars objects with length/get/set (the index is checked).
// Nothing here knows how values are stored; the explorer's Access decides (memory or store buffer).
import { isArray, type ArrayDecl, type RecordDecl } from '../lang/schema.ts';
import { isScalarDecl, join, type Scalar } from './fields.ts';

export interface Access {
  load(path: string): Scalar;
  /** Must throw when `v` lies outside the field's domain. */
  store(path: string, v: unknown): void;
  /** An array index outside 0..length-1: must throw. */
  badIndex(path: string, i: unknown): never;
}

export function recordView(decl: RecordDecl, prefix: string, acc: Access): any {
  const obj: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(decl)) {
    const path = join(prefix, name);
    if (isScalarDecl(d)) {
      Object.defineProperty(obj, name, {
        enumerable: true,
        get: () => acc.load(path),
        set: (v: unknown) => acc.store(path, v),
      });
    } else if (isArray(d)) {
      obj[name] = arrayView(d, path, acc);
    } else {
      obj[name] = recordView(d as RecordDecl, path, acc);
    }
  }
  return obj;
}

function arrayView(d: ArrayDecl, path: string, acc: Access): unknown {
  if (isScalarDecl(d.elem)) {
    const at = (i: unknown): string => {
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= d.length) acc.badIndex(path, i);
      return `${path}[${i}]`;
    };
    return Object.freeze({
      length: d.length,
      get: (i: number) => acc.load(at(i)),
      set: (i: number, v: unknown) => acc.store(at(i), v),
    });
  }
  const elems = [];
  for (let i = 0; i < d.length; i++) {
    const p = `${path}[${i}]`;
    elems.push(isArray(d.elem) ? arrayView(d.elem, p, acc) : recordView(d.elem as RecordDecl, p, acc));
  }
  return Object.freeze(elems);
}
