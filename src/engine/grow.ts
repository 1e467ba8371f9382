// Growing the explorer's typed arrays: a copy with room for at least `n` elements, doubling, so that
// arrays filled one element at a time are copied O(log n) times.

type Growable = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

export function grown<T extends Growable>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** As `grown`, in a SharedArrayBuffer (an array another thread reads). */
export function sharedGrown(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(new SharedArrayBuffer(Math.max(n, a.length * 2) * 4));
  b.set(a);
  return b;
}
