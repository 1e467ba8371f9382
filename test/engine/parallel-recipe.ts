// The recipe (src/engine/parallel/recipe.ts) of a random model's program, for the parallel search's
// differential test: a worker draws the same model from the same choice tape.
import { compile, type Program } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import type { ProgramRecipe } from '../../src/engine/parallel/recipe.ts';
import { buildModel, drawSpec, type DrawMode, type RandomModel } from '../reference/arbitrary-model.ts';

export interface RandomProgram {
  readonly tape: readonly number[];
  readonly mode: DrawMode;
}

export function randomModel(a: RandomProgram): RandomModel {
  return buildModel(drawSpec(a.tape, a.mode));
}

export function randomProgram(a: RandomProgram): Program {
  const rm = randomModel(a);
  return compile(instantiate(rm.model, rm.properties));
}

export function randomRecipe(a: RandomProgram): ProgramRecipe {
  return { module: import.meta.url, export: 'randomProgram', args: a };
}

/** A choice tape from a seed (a fixed linear congruential sequence: the same models on every run). */
export function tapeOf(seed: number, length = 300): number[] {
  let x = seed >>> 0;
  return Array.from({ length }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % 10000;
  });
}
