// Weakly ordered stores (arm64, powerpc, riscv-like): per-CPU store buffers whose entries reach memory
// in any order across addresses (store→store reordering), in order per address (coherence); a full
// fence (smp_mb: dmb ish, sync, fence rw,rw) drains the buffer.
import type { MemoryModelDef } from './types.ts';

export const weak: MemoryModelDef = {
  name: 'weak',
  doc: 'arm64/powerpc/riscv-like: store buffers that drain out of order across addresses',
  drain: 'any',
  drainText: 'a buffered store becomes visible to other CPUs',
};
