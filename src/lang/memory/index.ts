// The memory models, by name. Adding one: a file like tso.ts and a line here.
import { sc } from './sc.ts';
import { tso } from './tso.ts';
import { weak } from './weak.ts';
import type { MemoryModelDef } from './types.ts';

export const MEMORY_MODELS = { sc, tso, weak } as const satisfies Readonly<Record<string, MemoryModelDef>>;

/** A memory model's name (`--memory`). */
export type MemoryModel = keyof typeof MEMORY_MODELS;

export const MEMORY_MODEL_NAMES = Object.keys(MEMORY_MODELS) as MemoryModel[];

export function memoryModel(name: MemoryModel): MemoryModelDef {
  return MEMORY_MODELS[name];
}

export type { MemoryModelDef } from './types.ts';
