// A variant is a patch to a model: flag values (a historical fix switched off, a design generation)
// and/or edits of procedures by step label, the way a kernel patch edits a function:
//   replace('switch_mm_irqs_off:SW3c', step(…)), insertAfter('context_switch:CS6', step(…)),
//   patch('switch_mm_irqs_off:SW3c', { fence: false }) (one attribute of a step, the rest kept),
//   remove('switch_mm_irqs_off:SW3c'),
//   move('switch_mm_irqs_off:SW3d', { before: 'switch_mm_irqs_off:SW3c' }) (tlb_gen read before the mask bit is set),
//   locals('switch_mm_irqs_off', { earlyGen: int(0, 3) }) (a new local variable of the function, per frame).
// A step another step jumps to (its `jumps`) cannot be removed or moved: the edit is rejected, naming
// the jumping step (docs/language.md, "Jumps and edits").
// Historical kernels are variants of the mainline model (models/<model>/variants/).
import { UsageError, unknownName } from './errors.ts';
import { MEMORY_MODEL_NAMES } from './memory/index.ts';
import type { Domain } from './domain.ts';
import type { FlagValue, MemoryModel, ProcedureDef, StepDef } from './model.ts';
import { isDomain } from './schema.ts';

/** The attributes of a step an edit may set besides its label (StepDef's fields). */
export type StepAttrs = Partial<Omit<StepDef, 'label'>>;

export type Edit =
  | { readonly op: 'replace'; readonly at: string; readonly steps: readonly StepDef[] }
  | { readonly op: 'insertBefore' | 'insertAfter'; readonly at: string; readonly steps: readonly StepDef[] }
  | { readonly op: 'remove'; readonly at: string }
  | { readonly op: 'move'; readonly at: string; readonly before?: string; readonly after?: string }
  | { readonly op: 'patch'; readonly at: string; readonly attrs: StepAttrs }
  | { readonly op: 'addProcedure'; readonly procedure: ProcedureDef }
  | { readonly op: 'locals'; readonly proc: string; readonly locals: Readonly<Record<string, Domain>> };

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
/**
 * Changes some attributes of a step and keeps the others: `{ fence: false }`, `{ when: … }`, `{ text:
 * … }`. An attribute given as `undefined` is dropped (`{ fence: undefined }`: no fence).
 */
export const patch = (at: string, attrs: StepAttrs): Edit => ({ op: 'patch', at, attrs });
export const addProcedure = (procedure: ProcedureDef): Edit => ({ op: 'addProcedure', procedure });
/**
 * Adds per-frame locals to a seq procedure (a patch that declares a new local variable in the kernel
 * function): `locals('switch_mm_irqs_off', { earlyGen: int(0, 3) })`; the steps read and write them
 * as `x.locals.earlyGen`. A name the procedure already has is refused.
 */
export const locals = (proc: string, decl: Readonly<Record<string, Domain>>): Edit => ({ op: 'locals', proc, locals: decl });

/** StepDef's attributes besides the label, and the type each must have. */
export const STEP_ATTRS: Readonly<Record<string, 'string' | 'function' | 'boolean' | 'choice' | 'labels'>> = {
  text: 'string',
  when: 'function',
  do: 'function',
  choose: 'choice',
  fence: 'boolean',
  jumps: 'labels',
  bounded: 'function',
};

const MEMORY_MODELS: readonly MemoryModel[] = MEMORY_MODEL_NAMES;
const EDIT_HELPERS = 'replace, insertBefore, insertAfter, remove, move, patch, addProcedure, locals';

/**
 * Checks the shape of a variant (a variant file is user input: anything may be in it) and returns it.
 * Every problem is a one-line UsageError naming the variant and the field.
 */
export function checkVariant(v: unknown): VariantDef {
  if (!isObject(v)) throw new UsageError(`a variant must be an object made by defineVariant({ model, name, description, ... }), not ${describe(v)}`);
  const who = `variant '${typeof v.name === 'string' ? v.name : '?'}'`;
  const bad = (field: string, what: string, got: unknown): never => {
    throw new UsageError(`${who}: ${field} must be ${what}, not ${describe(got)}`);
  };
  for (const f of ['model', 'name', 'description'] as const) if (typeof v[f] !== 'string' || v[f] === '') bad(f, 'a non-empty string', v[f]);
  const known = ['model', 'name', 'description', 'flags', 'params', 'edits', 'memory', 'violates'];
  for (const k of Object.keys(v)) if (!known.includes(k)) throw unknownName(`field of ${who}`, k, known);
  if (v.flags !== undefined && !isObject(v.flags)) bad('flags', 'an object of flag values', v.flags);
  if (v.params !== undefined && !isObject(v.params)) bad('params', 'an object of parameter values', v.params);
  if (v.memory !== undefined && !MEMORY_MODELS.includes(v.memory as MemoryModel)) bad('memory', `one of ${MEMORY_MODELS.join(', ')}`, v.memory);
  if (v.violates !== undefined && !(Array.isArray(v.violates) && v.violates.every((p) => typeof p === 'string'))) bad('violates', 'an array of property names', v.violates);
  if (v.edits !== undefined) {
    if (!Array.isArray(v.edits)) bad('edits', `an array of edits (${EDIT_HELPERS})`, v.edits);
    (v.edits as unknown[]).forEach((e, i) => checkEdit(e, `${who}: edits[${i}]`));
  }
  return v as unknown as VariantDef;
}

function checkEdit(e: unknown, where: string): void {
  const fail = (what: string): never => {
    throw new UsageError(`${where} ${what}`);
  };
  if (!isObject(e) || typeof e.op !== 'string') return fail(`is not an edit made by ${EDIT_HELPERS}: ${describe(e)}`);
  const ref = (k: string) => {
    if (typeof e[k] !== 'string') fail(`(${e.op}): '${k}' must be a 'procedure:label' string, not ${describe(e[k])}`);
  };
  switch (e.op) {
    case 'replace':
    case 'insertBefore':
    case 'insertAfter':
      ref('at');
      if (!Array.isArray(e.steps) || e.steps.length === 0) fail(`(${e.op} '${e.at}') has no steps: pass step(label, text, { ... }) after the reference`);
      (e.steps as unknown[]).forEach((s) => checkStep(s, `${where} (${e.op} '${e.at}')`));
      return;
    case 'remove':
      return ref('at');
    case 'move':
      ref('at');
      if ((e.before === undefined) === (e.after === undefined)) fail(`(move '${e.at}') must name exactly one of 'before' or 'after'`);
      return ref(e.before !== undefined ? 'before' : 'after');
    case 'patch':
      ref('at');
      if (!isObject(e.attrs)) fail(`(patch '${e.at}') needs an object of step attributes, not ${describe(e.attrs)}`);
      return checkAttrs(e.attrs as Record<string, unknown>, `${where} (patch '${e.at}')`, true);
    case 'addProcedure': {
      const p = e.procedure;
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.actor !== 'string' || (p.kind !== 'seq' && p.kind !== 'rules') || !Array.isArray(p.steps)) {
        return fail(`(addProcedure) needs a procedure made by seq(name, actor, steps) or rules(name, actor, steps), not ${describe(p)}`);
      }
      (p.steps as unknown[]).forEach((s) => checkStep(s, `${where} (addProcedure '${p.name}')`));
      return;
    }
    case 'locals': {
      if (typeof e.proc !== 'string' || e.proc === '' || e.proc.includes(':')) return fail(`(locals): the first argument must name a procedure ('switch_mm_irqs_off'), not ${describe(e.proc)}`);
      const decl = e.locals;
      if (!isObject(decl) || Object.keys(decl).length === 0) return fail(`(locals '${e.proc}') needs an object of local names and domains, { name: int(0, 2) }, not ${describe(decl)}`);
      for (const [n, d] of Object.entries(decl)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) fail(`(locals '${e.proc}'): local name ${describe(n)} is not an identifier`);
        if (!isObject(d) || !isDomain(d as never) || !['bool', 'int', 'enum', 'ref', 'set'].includes(String(d.kind))) fail(`(locals '${e.proc}'): local '${n}' must be a domain (bool(), int(lo, hi), enumOf, ref, setOf), not ${describe(d)}`);
      }
      return;
    }
    default:
      return fail(`has an unknown op '${e.op}'; the edits are made by ${EDIT_HELPERS}`);
  }
}

/** A step of a variant: made by step(label, text, { ... }) with only StepDef's attributes. */
function checkStep(s: unknown, where: string): void {
  if (!isObject(s) || typeof s.label !== 'string' || s.label === '') throw new UsageError(`${where}: ${describe(s)} is not a step made by step(label, text, { ... })`);
  const { label, ...attrs } = s;
  if (typeof attrs.text !== 'string') throw new UsageError(`${where}: step '${label}' has no text (the kernel's words for what it does)`);
  checkAttrs(attrs, `${where}: step '${label}'`, false);
}

function checkAttrs(attrs: Record<string, unknown>, where: string, dropAllowed: boolean): void {
  for (const [k, v] of Object.entries(attrs)) {
    const type = STEP_ATTRS[k];
    if (type === undefined) throw unknownName(`step attribute in ${where}`, k, Object.keys(STEP_ATTRS));
    if (v === undefined && (dropAllowed || k !== 'text')) continue;
    const ok =
      type === 'choice'
        ? isObject(v) && typeof v.name === 'string' && Number.isInteger(v.count)
        : type === 'labels'
          ? Array.isArray(v) && v.every((l) => typeof l === 'string')
          : typeof v === type;
    if (!ok) {
      const want = type === 'choice' ? '{ name, count, of }' : type === 'labels' ? 'an array of labels of the procedure' : `a ${type}`;
      throw new UsageError(`${where}: ${k} must be ${want}, not ${describe(v)}`);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}
