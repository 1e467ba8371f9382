// What a memory model is to the language: whether plain stores wait in a per-CPU store buffer, and
// which buffered store may reach memory next (the hardware's drain, a step of every CPU). Each model
// is one file (sc.ts, tso.ts, weak.ts) registered in index.ts; the store-buffer layout and the
// operations on it (load, store, drain, fence, symmetry, ownership) are buffers.ts, shared by all.
export interface MemoryModelDef {
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly doc: string;
  /**
   * How buffered stores reach memory, or null for no store buffers (every store goes to memory at
   * once). 'oldest': FIFO, no store→store reordering. 'any': any entry with no older entry for the
   * same field (store→store reordering across addresses; per-address order, so memory stays coherent).
   */
  readonly drain: 'oldest' | 'any' | null;
  /** The text of the drain step (`store_buffer:drain`) in traces. */
  readonly drainText?: string;
}
