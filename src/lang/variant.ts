// A variant is a patch to a model: flag values (a historical fix switched off, a design generation)
// and/or edits of procedures by step label, the way a kernel patch edits a function:
//   replace('switch_mm_irqs_off:SW3c', step(…)), insertAfter('context_switch:CS6', step(…)),
//   remove('flush_tlb_func:T4'), move('switch_mm_irqs_off:SW3b', { after: 'switch_mm_irqs_off:SW3d' }).
// Historical kernels are variants of the mainline model (models/<model>/variants/).
import type { FlagValue, MemoryModel, ProcedureDef, StepDef } from './model.ts';

export type Edit =
  | { readonly op: 'replace'; readonly at: string; readonly steps: readonly StepDef[] }
  | { readonly op: 'insertBefore' | 'insertAfter'; readonly at: string; readonly steps: readonly StepDef[] }
  | { readonly op: 'remove'; readonly at: string }
  | { readonly op: 'move'; readonly at: string; readonly before?: string; readonly after?: string }
  | { readonly op: 'addProcedure'; readonly procedure: ProcedureDef };

export interface VariantDef {
  /** The model this variant patches. */
  readonly model: string;
  readonly name: string;
  /** What the variant is: the kernel version or the patch, with the commit where known. */
  readonly description: string;
  readonly flags?: Readonly<Record<string, FlagValue>>;
  /** Default parameter values for this variant (the command line still overrides them). */
  readonly params?: Readonly<Record<string, number>>;
  readonly edits?: readonly Edit[];
  /** The memory model this variant is checked under by default (the command line still overrides it). */
  readonly memory?: MemoryModel;
  /** Properties this variant is known to violate (historical bugs), for the regression corpus. */
  readonly violates?: readonly string[];
}

export function defineVariant(v: VariantDef): VariantDef {
  return v;
}

export const replace = (at: string, ...steps: StepDef[]): Edit => ({ op: 'replace', at, steps });
export const insertBefore = (at: string, ...steps: StepDef[]): Edit => ({ op: 'insertBefore', at, steps });
export const insertAfter = (at: string, ...steps: StepDef[]): Edit => ({ op: 'insertAfter', at, steps });
export const remove = (at: string): Edit => ({ op: 'remove', at });
export const move = (at: string, where: { before?: string; after?: string }): Edit => ({ op: 'move', at, ...where });
export const addProcedure = (procedure: ProcedureDef): Edit => ({ op: 'addProcedure', procedure });
