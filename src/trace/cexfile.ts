// The counterexample file (JSON, versioned): what was checked (model, variant, flag settings, params,
// memory model), what broke (property and reason), and the steps by label — actor, procedure, step
// label, choice — not by state index, so a trace outlives edits to the model and replays against
// other variants. A file is data: loading validates it and never executes anything in it.
import { mkdirSync, readFileSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fsReason, UsageError } from '../lang/errors.ts';
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
  /**
   * A variant file, relative to the directory of the counterexample file, or null. It is never
   * imported from here: replay, show and shrink ask for it with --variant. (Files saved before the
   * hash was recorded hold it relative to the directory check ran in.)
   */
  readonly file: string | null;
  /** The sha256 of the variant file's contents when the trace was saved (hex), for a file. */
  readonly sha256?: string;
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
  /** A lasso (a liveness violation): steps[cycleAt..] is the cycle back to the state after steps[0..cycleAt). */
  readonly cycleAt?: number;
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
  cycleAt?: number;
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
    ...(r.cycleAt !== undefined ? { cycleAt: r.cycleAt } : {}),
  };
}

/** Where a counterexample is stored: counterexamples/<model>/<variant>/<property>.json. */
export function cexPath(root: string, c: Counterexample): string {
  const v = c.variant.name ?? (c.variant.file ? c.variant.file.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, '') : 'mainline');
  const set = Object.entries(c.variant.set).map(([k, val]) => `${k}=${String(val)}`).join(',');
  const dir = set ? `${v}+${set}` : v;
  return join(root, 'counterexamples', c.model, dir.replace(/[^A-Za-z0-9._=+,-]/g, '_'), `${c.property.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/**
 * Writes the file; an existing different file is kept unless `force`. Returns the path written. A
 * variant file is recorded relative to the counterexample's own directory, so the pair can move
 * together. Callers print their result before saving, so a refusal never hides it.
 */
export function saveCounterexample(path: string, c: Counterexample, force: boolean, root = process.cwd()): string {
  const file = c.variant.file;
  const data = file && isAbsolute(file) ? { ...c, variant: { ...c.variant, file: relative(dirname(path), file) } } : c;
  return writeJson(path, data, force, root);
}

/** Writes JSON; an existing different file is kept unless `force`. Returns the path written. */
export function writeJson(path: string, data: unknown, force: boolean, root = process.cwd()): string {
  return writeOutput(path, JSON.stringify(data, null, 2) + '\n', { force, keepSame: true, shown: relative(root, path) });
}

/**
 * Writes an output file the user named or the corpus layout chose. An existing file is kept unless
 * `force` (with `keepSame`: only when it differs; the same contents are rewritten harmlessly); a
 * directory or another non-file is never written; a missing directory is created only for the corpus
 * (`mkdir`), not for a path the user typed. Every failure is one UsageError line naming the path
 * (`shown`, default as given).
 */
export function writeOutput(path: string, text: string, o: { force: boolean; keepSame?: boolean; mkdir?: boolean; shown?: string }): string {
  const shown = o.shown || path;
  const st = statOrNull(path, (why) => new UsageError(`cannot write ${shown}: ${why}`));
  if (st && !st.isFile()) throw new UsageError(`${shown} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}; not written`);
  if (st && !o.force) {
    const same = o.keepSame && readOrNull(path) === text;
    if (!same) throw new UsageError(`${shown} exists${o.keepSame ? ' and differs' : ''}; not overwritten (use --force)`);
  }
  try {
    if (o.mkdir !== false) mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${fsWords(e)}`);
  }
  return path;
}

/** Counterexamples are small (a few KiB); a larger file is not one (and /dev/zero never ends). */
export const MAX_CEX_BYTES = 16 * 2 ** 20;

/** Reads and validates a counterexample file; any defect is a UsageError naming the file, the position and the reason. */
export function loadCounterexample(file: string): Counterexample {
  const st = statOrNull(file, (why) => new UsageError(`${file}: cannot read: ${why}`));
  if (!st) throw new UsageError(`${file}: no such file`);
  if (!st.isFile()) throw new UsageError(`${file}: ${st.isDirectory() ? 'a directory' : 'not a regular file'}, not a counterexample file`);
  if (st.size > MAX_CEX_BYTES) throw new UsageError(`${file}: ${st.size} bytes, larger than a counterexample can be (at most ${MAX_CEX_BYTES} bytes)`);
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_CEX_BYTES) throw new UsageError(`${file}: larger than a counterexample can be (at most ${MAX_CEX_BYTES} bytes)`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read: ${fsWords(e)}`);
  }
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
  if (v.sha256 !== undefined && (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256))) bad('variant.sha256', 'expected 64 hex digits');
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
  if (o.cycleAt !== undefined && !(Number.isInteger(o.cycleAt) && (o.cycleAt as number) >= 0 && (o.cycleAt as number) < (o.steps as unknown[]).length)) bad('cycleAt', `expected the index of a step (0..${(o.steps as unknown[]).length - 1}) where the cycle starts`);
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

/** A path's stat, or null if nothing is there; any other failure is `fail(reason)`. */
function statOrNull(path: string, fail: (reason: string) => UsageError): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fail(fsWords(e));
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}


/** An fs error as a few words ("permission denied"), not a stack. */
function fsWords(e: unknown): string {
  return fsReason(e) ?? (e as Error).message?.split('\n')[0] ?? String(e);
}
