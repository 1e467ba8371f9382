// Sequential consistency: every store reaches memory when it executes; a fence orders nothing more.
import type { MemoryModelDef } from './types.ts';

export const sc: MemoryModelDef = {
  name: 'sc',
  doc: 'sequential consistency: every store is visible to every CPU at once',
  drain: null,
};
