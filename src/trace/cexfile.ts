// The counterexample file (JSON, versioned): what was checked (model, variant, flag settings, params,
// memory model), what broke (property and reason), and the steps by label — actor, procedure, step
// label, choice — not by state index, so a trace outlives edits to the model and replays against
// other variants. A file is data: loading validates it and never executes anything in it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../lang/errors.ts';
import type { FlagValue } from '../lang/model.ts';
import type { TraceRow } from './trace.ts';

export const CEX_FORMAT = 'lazytlb-counterexample';
export const CEX_VERSION = 1;

export interface CexStep {
  /** Actor instance: `cpu0`, `rcu0`. */
  readonly actor: string;
  readonly procedure: string;
  readonly label: string;
  readonly choice: number;
}

export interface CexVariant {
  /** A shipped variant's name, or null for mainline or a variant file. */
  readonly name: string | null;
  /** A variant file, relative to the repository root, or null. */
  readonly file: string | null;
  /** Flags set on the command line (`--set`), on top of the variant. */
  readonly set: Readonly<Record<string, FlagValue>>;
}

export interface Counterexample {
  readonly format: typeof CEX_FORMAT;
  readonly version: typeof CEX_VERSION;
  readonly model: string;
  readonly variant: CexVariant;
  /** Every flag's value in the run that found it (for the reader; replay takes flags from the variant). */
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly params: Readonly<Record<string, number>>;
  readonly memory: string;
  readonly property: string;
  readonly reason: string;
  readonly steps: readonly CexStep[];
}

export function toCounterexample(r: {
  model: string;
  variant: CexVariant;
  flags: Readonly<Record<string, FlagValue>>;
  params: Readonly<Record<string, number>>;
  memory: string;
  property: string;
  reason: string;
  trace: readonly TraceRow[];
}): Counterexample {
  return {
    format: CEX_FORMAT,
    version: CEX_VERSION,
    model: r.model,
    variant: r.variant,
    flags: r.flags,
    params: r.params,
    memory: r.memory,
    property: r.property,
    reason: r.reason,
    steps: r.trace.map((t) => ({ actor: t.actor, procedure: t.procedure, label: t.label, choice: t.choice })),
  };
}

/** Where a counterexample is stored: counterexamples/<model>/<variant>/<property>.json. */
export function cexPath(root: string, c: Counterexample): string {
  const v = c.variant.name ?? (c.variant.file ? c.variant.file.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, '') : 'mainline');
  const set = Object.entries(c.variant.set).map(([k, val]) => `${k}=${String(val)}`).join(',');
  const dir = set ? `${v}+${set}` : v;
  return join(root, 'counterexamples', c.model, dir.replace(/[^A-Za-z0-9._=+,-]/g, '_'), `${c.property.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/** Writes the file; an existing different file is kept unless `force`. Returns the path written. */
export function saveCounterexample(path: string, c: Counterexample, force: boolean, root = process.cwd()): string {
  return writeJson(path, c, force, root);
}

/** Writes JSON; an existing different file is kept unless `force`. Returns the path written. */
export function writeJson(path: string, data: unknown, force: boolean, root = process.cwd()): string {
  const text = JSON.stringify(data, null, 2) + '\n';
  if (existsSync(path) && !force && readFileSync(path, 'utf8') !== text) {
    throw new UsageError(`${relative(root, path)} exists and differs; not overwritten (use --force)`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Reads and validates a counterexample file; any defect is a UsageError naming the file, the position and the reason. */
export function loadCounterexample(file: string): Counterexample {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? ` at ${lineCol(text, Number(m[1]))}` : '';
    throw new UsageError(`${file}: not valid JSON${where}: ${(e as Error).message.split('\n')[0]}`);
  }
  const bad = (path: string, why: string): never => {
    throw new UsageError(`${file}: ${path}: ${why}`);
  };
  const o = isObj(data) ? data : bad('(top level)', 'expected an object');
  if (o.format !== CEX_FORMAT) bad('format', `expected "${CEX_FORMAT}" (not a lazytlb counterexample)`);
  if (o.version !== CEX_VERSION) bad('version', `expected ${CEX_VERSION}, found ${JSON.stringify(o.version)}`);
  for (const k of ['model', 'memory', 'property', 'reason'] as const) if (typeof o[k] !== 'string') bad(k, 'expected a string');
  const v = isObj(o.variant) ? o.variant : bad('variant', 'expected an object');
  if (v.name !== null && typeof v.name !== 'string') bad('variant.name', 'expected a string or null');
  if (v.file !== null && typeof v.file !== 'string') bad('variant.file', 'expected a string or null');
  if (!isObj(v.set) || !Object.values(v.set).every(isFlagValue)) bad('variant.set', 'expected an object of flag values');
  if (!isObj(o.flags) || !Object.values(o.flags).every(isFlagValue)) bad('flags', 'expected an object of flag values');
  if (!isObj(o.params) || !Object.values(o.params).every((x) => Number.isInteger(x))) bad('params', 'expected an object of integers');
  if (!Array.isArray(o.steps)) bad('steps', 'expected an array');
  (o.steps as unknown[]).forEach((s, i) => {
    if (!isObj(s)) bad(`steps[${i}]`, 'expected an object');
    const st = s as Record<string, unknown>;
    if (typeof st.actor !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*?\d+$/.test(st.actor)) bad(`steps[${i}].actor`, 'expected an actor instance like "cpu0"');
    if (typeof st.procedure !== 'string' || st.procedure === '') bad(`steps[${i}].procedure`, 'expected a procedure name');
    if (typeof st.label !== 'string' || st.label === '') bad(`steps[${i}].label`, 'expected a step label');
    if (!Number.isInteger(st.choice) || (st.choice as number) < 0) bad(`steps[${i}].choice`, 'expected a non-negative integer');
  });
  return data as Counterexample;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isFlagValue(x: unknown): boolean {
  return typeof x === 'boolean' || typeof x === 'string' || (typeof x === 'number' && Number.isInteger(x));
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
