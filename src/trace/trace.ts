// A trace: the transitions of a counterexample replayed on the machine, each with what it changed.
// Rows name the actor, the kernel function and step id, and the nondeterministic choice, so a trace
// reads like a race report and can be stored by label (it outlives edits to the model's layout).
import type { Program } from '../lang/compile.ts';
import { entrySlot, entryValue } from '../lang/memory/buffers.ts';
import { renderValue } from '../lang/domain.ts';
import { actorOf, displaySlot } from '../lang/names.ts';
import { Machine } from '../engine/machine.ts';
import { asModelError } from '../lang/errors.ts';
import type { RawStep } from '../engine/via.ts';

export interface Change {
  readonly path: string;
  readonly from: string;
  readonly to: string;
  /**
   * Under --memory tso/weak, for a plain field: `buffered` when the store entered the writing CPU's
   * store buffer (memory is unchanged; `from` is what that CPU read before), `drained` when a buffered
   * store reached memory (other CPUs see `to` from now on). Absent for a store straight to memory.
   */
  readonly store?: 'buffered' | 'drained';
}

export interface TraceRow {
  /** Actor instance, e.g. `cpu1`, `flusher0`. */
  readonly actor: string;
  readonly actorKind: string;
  readonly actorIndex: number;
  readonly procedure: string;
  readonly label: string;
  readonly text: string;
  readonly choice: number;
  /** The choice rendered (`next=mm1`), or '' for a step without choices. */
  readonly choiceText: string;
  readonly changes: readonly Change[];
  /** After shrinking: whether the violation depends on this step (removing it makes it disappear). */
  readonly matters?: boolean;
}

/** Replays raw transitions from the initial state and records the visible changes of each. */
export function buildTrace(prog: Program, raw: readonly RawStep[]): TraceRow[] {
  const m = new Machine(prog);
  try {
    m.init();
  } catch (e) {
    if (asModelError(e) !== null) return []; // the initial state itself is the error (reported as the reason)
    throw e;
  }
  const before = new Int32Array(m.cur.length);
  const rows: TraceRow[] = [];
  for (const r of raw) {
    const st = prog.steps[r.step];
    before.set(m.cur);
    let changes: Change[] = [];
    try {
      if (!m.enabled(st, r.actor, r.choice)) throw new Error(`internal: trace step ${st.name} is not enabled`);
      m.apply(st, r.actor);
      changes = diff(prog, before, m.cur);
    } catch (e) {
      changes = [{ path: 'error', from: '', to: (e as Error).message }];
    }
    rows.push({
      actor: actorOf(prog, r.step, r.actor),
      actorKind: st.actorKind,
      actorIndex: r.actor,
      procedure: st.proc,
      label: st.label,
      text: st.text,
      choice: r.choice,
      choiceText: st.choiceName ? `${st.choiceName}=${st.choiceOf ? `${st.choiceOf}${r.choice}` : r.choice}` : '',
      changes,
    });
    if (changes.length > 0 && changes[0].path === 'error') break;
  }
  return rows;
}

function diff(prog: Program, a: Int32Array, b: Int32Array): Change[] {
  const viaBuffers = prog.storeBuffers !== null ? storeBufferChanges(prog, a, b) : null;
  const out: Change[] = [];
  for (const s of prog.layout.slots) {
    if (s.kind === 'storeBuffer') continue;
    const stores = viaBuffers?.get(s.index);
    if (stores) out.push(...stores);
    else if (a[s.index] !== b[s.index]) out.push(change(prog, s.index, a[s.index], b[s.index]));
  }
  return out;
}

function change(prog: Program, slot: number, from: number, to: number, store?: 'buffered' | 'drained'): Change {
  return { path: displaySlot(prog, prog.layout.slots[slot]), from: show(prog, slot, from), to: show(prog, slot, to), ...(store ? { store } : {}) };
}

/**
 * CPU c's buffered stores in state s, oldest first, as (memory slot, value) and the entry's code. The
 * layout of src/lang/memory/buffers.ts: per CPU the count, then the entries.
 */
function bufferOf(prog: Program, s: Int32Array, c: number): { code: number; slot: number; value: number }[] {
  const t = prog.storeBuffers!;
  const b = t.base + c * t.stride;
  return Array.from(s.subarray(b + 1, b + 1 + s[b]), (code) => ({ code, slot: entrySlot(t, code), value: entryValue(t, code) }));
}

/**
 * The stores still in each CPU's buffer in state `s`, oldest first, one [`cpuN store buffer`, `path :=
 * value, ...`] pair per CPU with a non-empty buffer (none without store buffers): what the CPU itself
 * reads and other CPUs do not see yet.
 */
export function bufferedStores(prog: Program, s: Int32Array): [string, string][] {
  const t = prog.storeBuffers;
  if (t === null) return [];
  const out: [string, string][] = [];
  for (let c = 0; c < t.cpus; c++) {
    const entries = bufferOf(prog, s, c).map((e) => `${displaySlot(prog, prog.layout.slots[e.slot])} := ${show(prog, e.slot, e.value)}`);
    if (entries.length > 0) out.push([`${t.cpuKind}${c} store buffer`, entries.join(', ')]);
  }
  return out;
}

/**
 * What a step did through the store buffers, per memory slot: each store that reached memory
 * (`drained`), a store to memory the drains do not explain (a store and a fence in the same step),
 * then each store that entered a buffer (`buffered`). Slots the buffers did not touch are not in the map.
 */
function storeBufferChanges(prog: Program, a: Int32Array, b: Int32Array): Map<number, Change[]> {
  const drained = new Map<number, Change[]>();
  const buffered = new Map<number, Change[]>();
  const add = (m: Map<number, Change[]>, slot: number, c: Change) => m.set(slot, [...(m.get(slot) ?? []), c]);
  const mem = Int32Array.from(a);
  for (let c = 0; c < prog.storeBuffers!.cpus; c++) {
    const before = bufferOf(prog, a, c);
    const after = bufferOf(prog, b, c);
    // The entries still buffered keep their order; the others reached memory, oldest first; what
    // follows the kept ones in the buffer is new.
    let kept = 0;
    for (const e of before) {
      if (kept < after.length && after[kept].code === e.code) kept++;
      else {
        add(drained, e.slot, change(prog, e.slot, mem[e.slot], e.value, 'drained'));
        mem[e.slot] = e.value;
      }
    }
    for (let k = kept; k < after.length; k++) {
      const e = after[k];
      // What this CPU read before the store: its own newest buffered store to the field, else memory.
      const older = after.slice(0, k).reverse().find((o) => o.slot === e.slot);
      add(buffered, e.slot, change(prog, e.slot, older ? older.value : b[e.slot], e.value, 'buffered'));
    }
  }
  const out = new Map<number, Change[]>();
  for (const slot of new Set([...drained.keys(), ...buffered.keys()])) {
    const direct = mem[slot] !== b[slot] ? [change(prog, slot, mem[slot], b[slot])] : [];
    out.set(slot, [...(drained.get(slot) ?? []), ...direct, ...(buffered.get(slot) ?? [])]);
  }
  return out;
}

function show(prog: Program, slot: number, i: number): string {
  const d = prog.layout.slots[slot].domain;
  return renderValue(d, d.kind === 'bool' ? i !== 0 : i + d.lo);
}

/**
 * The changes a reader of the violation needs, in order: the model's state (without the control
 * state: pc, return stack), then the ghost state of the violated property only (the other
 * properties' ghost fields say nothing about this violation). An error row is kept as it is.
 */
export function shownChanges(changes: readonly Change[], property: string): Change[] {
  const control = (c: Change) => /\.(pc|sp|stack\[\d+\])$/.test(c.path) && c.path !== 'error';
  const ghost = (c: Change) => c.path.startsWith('ghost(');
  return [...changes.filter((c) => !control(c) && !ghost(c)), ...changes.filter((c) => c.path.startsWith(`ghost(${property}).`))];
}

/** One change as a line of a race report: `path: from -> to`, a buffered store `path := to (buffered)`. */
export function changeLine(c: Change): string {
  if (c.path === 'error') return `model error: ${c.to}`;
  if (c.store === 'buffered') return `${c.path} := ${c.to} (buffered)`;
  return `${c.path}: ${c.from} -> ${c.to}${c.store === 'drained' ? ' (the buffered store reaches memory)' : ''}`;
}
