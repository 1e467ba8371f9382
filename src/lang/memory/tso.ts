// x86-TSO: per-CPU FIFO store buffers over the plain fields. A CPU reads its own newest buffered
// store; the oldest entry reaches memory first (stores stay in order; a load can pass an earlier
// store to another address); a full fence (MFENCE, a LOCKed instruction) drains the buffer.
import type { MemoryModelDef } from './types.ts';

export const tso: MemoryModelDef = {
  name: 'tso',
  doc: 'x86-TSO: per-CPU FIFO store buffers (store→load reordering)',
  drain: 'oldest',
  drainText: 'the oldest buffered store becomes visible to other CPUs',
};
