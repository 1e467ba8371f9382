// Growing the explorer's typed arrays: a copy with room for at least `n` elements, doubling, so that
// arrays filled one element at a time are copied O(log n) times. An array in a SharedArrayBuffer (one
// another thread reads: the parallel search's stores and outboxes) grows into a SharedArrayBuffer.

type Growable = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

export function grown<T extends Growable>(a: T, n: number): T {
  const length = Math.max(n, a.length * 2);
  const make = a.constructor as { new (length: number): T; new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };
  const b = a.buffer instanceof SharedArrayBuffer ? new make(new SharedArrayBuffer(length * make.BYTES_PER_ELEMENT)) : new make(length);
  b.set(a);
  return b;
}
