// instantiate: model + variant + command-line settings → one concrete transition system (fixed
// params, flag values, edited procedures, bound properties). Everything the user typed is validated
// here, so a bad name or value is a UsageError before any search starts.
import { ModelError, UsageError, unknownName } from './errors.ts';
import { decimalInteger, integerRange } from './numbers.ts';
import type { AnyModel, FlagSpec, ScopeDef, FlagValue, Flags, MemoryModel, Params, ProcedureDef, StepDef } from './model.ts';
import { boundTo, checkedByDefault, type PropertyDef } from './property.ts';
import type { RecordDecl } from './schema.ts';
import { checkVariant, type Edit, type VariantDef } from './variant.ts';

export interface InstanceOptions {
  /** Parameter values (numbers, or strings from the command line). */
  readonly params?: Readonly<Record<string, number | string>>;
  /** Flag values (typed, or strings from the command line); applied after the variant's. */
  readonly flags?: Readonly<Record<string, FlagValue>>;
  readonly variant?: VariantDef | null;
  /** A named scope of the model (its params and flags come after the variant's, before `params`/`flags`). */
  readonly scope?: string;
  readonly memory?: string;
  /** Names of the properties to check; default: every property bound to the model. */
  readonly properties?: readonly string[];
}

export interface Instance {
  readonly model: AnyModel;
  readonly variant: VariantDef | null;
  /** The named scope, or null for the default one. */
  readonly scope: string | null;
  readonly params: Params;
  readonly flags: Flags;
  readonly memory: MemoryModel;
  /** The actor kind whose instances are the CPUs (ModelDef.cpuActor), or null if the model has none. */
  readonly cpuKind: string | null;
  readonly actors: Readonly<Record<string, number>>;
  readonly decl: RecordDecl;
  readonly procedures: readonly ProcedureDef[];
  readonly properties: readonly PropertyDef[];
}

export function instantiate(model: AnyModel, allProperties: readonly PropertyDef[], opts: InstanceOptions = {}): Instance {
  const variant = opts.variant ? checkVariant(opts.variant) : null;
  if (variant && variant.model !== model.name) throw new UsageError(`variant '${variant.name}' is for model '${variant.model}', not '${model.name}'`);
  const scope = opts.scope === undefined || opts.scope === 'default' ? null : opts.scope;
  const scopes = model.scopes ?? {};
  const sc: ScopeDef = scope === null ? { doc: 'default' } : Object.hasOwn(scopes, scope) ? scopes[scope] : throwUnknown('scope', scope, ['default', ...Object.keys(scopes)]);
  const params = resolveParams(model, { ...(variant?.params ?? {}), ...(sc.params ?? {}), ...(opts.params ?? {}) });
  const flags = resolveFlags(model, { ...(variant?.flags ?? {}), ...(sc.flags ?? {}) }, opts.flags ?? {});
  const memories = model.memory ?? ['sc'];
  const memory = (opts.memory ?? variant?.memory ?? 'sc') as MemoryModel;
  if (!memories.includes(memory)) {
    const from = opts.memory === undefined ? `variant '${variant?.name}' sets memory '${memory}', but ` : '';
    throw new UsageError(`${from}model '${model.name}' has no memory model '${memory}'; accepted: ${memories.join(', ')}`);
  }
  const bound = boundTo(allProperties, model.name);
  let properties = checkedByDefault(allProperties, model.name);
  if (opts.properties && opts.properties.length > 0) {
    properties = opts.properties.map((n) => bound.find((p) => p.name === n) ?? throwUnknown('property', n, bound.map((p) => p.name)));
  }
  const procedures = applyEdits(model.procedures(params, flags), variant?.edits ?? []);
  const actors = model.actors(params);
  const cpuKind = model.cpuActor ?? ('cpu' in actors ? 'cpu' : null);
  if (cpuKind !== null && !(cpuKind in actors)) throw new ModelError(`model '${model.name}' declares cpuActor '${cpuKind}', which is not one of its actors: ${Object.keys(actors).join(', ')}`);
  return { model, variant, scope, params, flags, memory, cpuKind, actors, decl: model.state(params), procedures, properties };
}

function throwUnknown(what: string, name: string, accepted: readonly string[]): never {
  throw unknownName(what, name, accepted);
}

function resolveParams(model: AnyModel, given: Readonly<Record<string, number | string>>): Params {
  const out: Record<string, number> = {};
  for (const [k, spec] of Object.entries(model.params)) out[k] = spec.default;
  for (const [k, raw] of Object.entries(given)) {
    const spec = model.params[k];
    if (!spec) throwUnknown('param', k, Object.keys(model.params));
    const v = typeof raw === 'number' ? raw : decimalInteger(raw);
    const accepted = integerRange(spec.min, spec.max);
    if (v === null || !Number.isInteger(v)) throw new UsageError(`param ${k}=${raw} is not an integer; accepted: ${accepted}`);
    if (v < spec.min || v > spec.max) throw new UsageError(`param ${k}=${raw} is outside its range; accepted: ${accepted}`);
    out[k] = v;
  }
  return out;
}

function resolveFlags(model: AnyModel, fromVariant: Record<string, FlagValue>, given: Readonly<Record<string, FlagValue>>): Flags {
  const out: Record<string, FlagValue> = {};
  for (const [k, spec] of Object.entries(model.flags)) out[k] = spec.default;
  for (const src of [fromVariant, given]) {
    for (const [k, raw] of Object.entries(src)) {
      const spec = model.flags[k];
      if (!spec) throwUnknown('flag', k, Object.keys(model.flags));
      out[k] = parseFlagValue(k, spec, raw);
    }
  }
  return out;
}

/** A flag value from a variant or the command line, checked against the flag's type. */
export function parseFlagValue(name: string, spec: FlagSpec, raw: FlagValue): FlagValue {
  const t = typeof spec.default;
  if (t === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw new UsageError(`flag ${name}=${raw} is not a boolean; accepted: true, false`);
  }
  if (t === 'number') {
    const v = typeof raw === 'number' ? raw : typeof raw === 'string' ? decimalInteger(raw) : null;
    const lo = spec.min ?? -Infinity;
    const hi = spec.max ?? Infinity;
    if (v === null || !Number.isInteger(v) || v < lo || v > hi) {
      throw new UsageError(`flag ${name}=${raw} is not an integer in range; accepted: ${integerRange(lo, hi)}`);
    }
    return v;
  }
  const values = spec.values ?? [];
  if (typeof raw !== 'string' || !values.includes(raw)) throw new UsageError(`flag ${name}=${raw} is not accepted; accepted: ${values.join(', ')}`);
  return raw;
}

/**
 * Applies a variant's edits to the procedures, by `procedure:label`. A step's `jumps` name the labels
 * it may continue at; an edit that removes or moves a step some other step jumps to is rejected (the
 * jump would silently mean another position), and every jump of a step the variant wrote must name a
 * label its procedure has after the edits.
 */
export function applyEdits(procs: readonly ProcedureDef[], edits: readonly Edit[]): ProcedureDef[] {
  let out = procs.map((p) => ({ ...p, steps: [...p.steps] }));
  const written = new Set<StepDef>();
  for (const e of edits) {
    if (e.op === 'addProcedure') {
      if (out.some((p) => p.name === e.procedure.name)) throw new UsageError(`variant adds procedure '${e.procedure.name}', which the model already has`);
      out = [...out, { ...e.procedure, steps: [...e.procedure.steps] }];
      for (const s of e.procedure.steps) written.add(s);
      continue;
    }
    if (e.op === 'locals') {
      const i = out.findIndex((p) => p.name === e.proc);
      if (i < 0) throwUnknown('procedure', e.proc, out.map((p) => p.name));
      const p = out[i];
      if (p.locked) throw new UsageError(`variant adds locals to '${p.name}', which cannot be edited: ${p.locked}`);
      if (p.kind !== 'seq') throw new UsageError(`variant adds locals to '${p.name}', a rules procedure: a rule runs in no frame (add them to the seq procedure it calls)`);
      const have = Object.keys(p.locals ?? {});
      const clash = Object.keys(e.locals).find((n) => have.includes(n));
      if (clash !== undefined) throw new UsageError(`variant adds local '${clash}' to '${p.name}', which already has a local of that name (its locals: ${have.join(', ')})`);
      out[i] = { ...p, locals: { ...(p.locals ?? {}), ...e.locals } };
      continue;
    }
    const { proc, index } = locate(out, e.at);
    if (proc.locked) throw new UsageError(`variant edits '${e.at}', but procedure '${proc.name}' cannot be edited: ${proc.locked}`);
    const label = proc.steps[index].label;
    if (e.op === 'replace') {
      // A replacement of the same label that declares no jumps keeps the replaced step's.
      const old = proc.steps[index];
      const steps = e.steps.map((s) => (s.label === label && s.jumps === undefined && old.jumps !== undefined ? { ...s, jumps: old.jumps } : { ...s }));
      if (!steps.some((s) => s.label === label)) keepJumpTarget(proc, label, `replaces '${e.at}' by steps without label '${label}'`);
      proc.steps.splice(index, 1, ...steps);
      for (const s of steps) written.add(s);
    } else if (e.op === 'insertBefore' || e.op === 'insertAfter') {
      const steps = e.steps.map((s) => ({ ...s }));
      proc.steps.splice(e.op === 'insertBefore' ? index : index + 1, 0, ...steps);
      for (const s of steps) written.add(s);
    } else if (e.op === 'patch') {
      const patched = patchStep(proc.steps[index], e.attrs);
      proc.steps[index] = patched;
      written.add(patched);
    } else if (e.op === 'remove') {
      keepJumpTarget(proc, label, `removes '${e.at}'`);
      proc.steps.splice(index, 1);
    } else if (e.op === 'move') {
      const target = e.before ?? e.after;
      if (!target) throw new UsageError(`move of '${e.at}' names no 'before' or 'after' step`);
      keepJumpTarget(proc, label, `moves '${e.at}'`);
      const [moved] = proc.steps.splice(index, 1);
      const t = locate(out, target);
      if (t.proc.locked) throw new UsageError(`variant moves a step into '${t.proc.name}', which cannot be edited: ${t.proc.locked}`);
      t.proc.steps.splice(e.before ? t.index : t.index + 1, 0, moved);
      if (t.proc !== proc) written.add(moved);
    }
  }
  for (const p of out) {
    const seen = new Set<string>();
    for (const s of p.steps) {
      if (seen.has(s.label)) throw new UsageError(`procedure '${p.name}' has two steps labeled '${s.label}'`);
      seen.add(s.label);
    }
    for (const s of p.steps) {
      if (!written.has(s)) continue;
      for (const j of s.jumps ?? []) {
        if (p.kind !== 'seq' && !p.lower) throw new UsageError(`variant step ${p.name}:${s.label} declares jumps, but ${p.name} is a rules procedure (its steps have no program counter to jump with)`);
        if (!seen.has(j)) throw unknownName(`jump target of variant step ${p.name}:${s.label}`, j, p.steps.map((x) => x.label));
      }
    }
  }
  return out.map((p) => (p.lower ? { ...p, steps: [...p.lower(p.steps)] } : p));
}

/** An edit that takes label `label` away from its position: refused while another step jumps to it. */
function keepJumpTarget(proc: { name: string; steps: StepDef[] }, label: string, what: string): void {
  const from = proc.steps.filter((s) => s.label !== label && (s.jumps ?? []).includes(label)).map((s) => `${proc.name}:${s.label}`);
  if (from.length === 0) return;
  throw new UsageError(
    `variant ${what}, but ${from.join(' and ')} ${from.length > 1 ? 'jump' : 'jumps'} to ${proc.name}:${label} (x.goto or a call's return label); ` +
      `replace the jumping step too (its effect and jumps), or patch ${proc.name}:${label} in place`,
  );
}

/** A step with some attributes changed (undefined drops one); the label stays. */
function patchStep(s: StepDef, attrs: Readonly<Record<string, unknown>>): StepDef {
  const out: Record<string, unknown> = { ...s };
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  if (typeof out.text !== 'string') throw new UsageError(`patch of step '${s.label}' drops its text; a step needs the kernel's words for what it does`);
  return out as unknown as StepDef;
}

function locate(procs: { name: string; locked?: string; steps: StepDef[] }[], at: string): { proc: { name: string; locked?: string; steps: StepDef[] }; index: number } {
  const colon = at.indexOf(':');
  if (colon < 0) throw new UsageError(`step reference '${at}' must be 'procedure:label'`);
  const pname = at.slice(0, colon);
  const label = at.slice(colon + 1);
  const proc = procs.find((p) => p.name === pname);
  if (!proc) throwUnknown('procedure', pname, procs.map((p) => p.name));
  const index = proc.steps.findIndex((s) => s.label === label);
  if (index < 0) throwUnknown(`step label in ${pname}`, label, proc.steps.map((s) => `${pname}:${s.label}`).map((x) => x.slice(pname.length + 1)));
  return { proc, index };
}
