// Per-CPU store buffers, the one mechanism behind every buffered memory model (tso.ts, weak.ts): the
// layout the state gets (`$sb[c]`: the count `n`, then `depth` entries `e[j]`, oldest first), how an
// entry codes a store (plain field index × valueRange + value), and the operations on an unpacked
// state: a CPU's load (its newest buffered store to the field, else memory), its store (into the
// buffer; a full buffer first lets its oldest entry reach memory, an execution every buffered model
// allows), the drain of one entry (which ones may go first is the model's `drain`), the fence (drain
// all), the renaming of entries under a symmetry permutation, and which slots a CPU owns.
import { int } from '../domain.ts';
import { ModelError } from '../errors.ts';
import type { Instance } from '../instantiate.ts';
import { buildLayout, nodeAt, type Layout } from '../layout.ts';
import type { ProcedureDef } from '../model.ts';
import { arrayOf, type RecordDecl } from '../schema.ts';
import type { MemoryModelDef } from './types.ts';

/** The built-in procedure of the drain step (`store_buffer:drain`). */
export const DRAIN_PROCEDURE = 'store_buffer';

/** The root field of the store buffers in the full state declaration. */
export const STORE_BUFFERS = '$sb';

export interface StoreBufferLayout {
  /** The CPU actor kind (one buffer per instance) and its count. */
  readonly cpuKind: string;
  readonly cpus: number;
  readonly depth: number;
  /** Slot of CPU 0's buffer length; entries follow; `stride` slots per CPU. */
  readonly base: number;
  readonly stride: number;
  /** plain slot → index among plain slots (-1 if not plain). */
  readonly plainIndex: Int32Array;
  /** index among plain slots → slot. */
  readonly plainSlots: Int32Array;
  /** Entries encode plainIndex * valueRange + value. */
  readonly valueRange: number;
}

export interface StoreBufferPlan {
  readonly depth: number;
  readonly entries: number;
  readonly plainPaths: readonly string[];
  readonly valueRange: number;
}

/** The store buffers' plan for a buffered model (sized from the model's plain fields), or null for sc. */
export function planBuffers(inst: Instance, mm: MemoryModelDef): StoreBufferPlan | null {
  if (mm.drain === null) return null;
  if (inst.cpuKind === null) throw new ModelError(`--memory ${mm.name} needs a CPU actor (store buffers are per CPU): declare cpuActor, or name the actor kind 'cpu'`);
  const probe = buildLayout(inst.decl);
  const plain = probe.slots.filter((s) => s.plain);
  if (plain.length === 0) throw new ModelError(`--memory ${mm.name}: the model declares no plain shared fields`);
  const valueRange = Math.max(...plain.map((s) => s.domain.size));
  return { depth: inst.model.storeBufferDepth ?? 2, entries: plain.length * valueRange, plainPaths: plain.map((s) => s.path), valueRange };
}

/** The declaration of the store buffers (the `$sb` root field). */
export function bufferDecl(inst: Instance, plan: StoreBufferPlan): RecordDecl[keyof RecordDecl] {
  const cpu = inst.cpuKind!;
  return arrayOf(inst.actors[cpu], { n: int(0, plan.depth), e: arrayOf(plan.depth, int(0, plan.entries - 1)) }, cpu);
}

export function bufferLayout(inst: Instance, layout: Layout, plan: StoreBufferPlan): StoreBufferLayout {
  const sb = nodeAt(layout, STORE_BUFFERS);
  if (!sb || sb.kind !== 'array') throw new Error('internal: no store buffer layout');
  const plainIndex = new Int32Array(layout.slots.length).fill(-1);
  const plainSlots = new Int32Array(plan.plainPaths.length);
  plan.plainPaths.forEach((p, i) => {
    const slot = layout.slots.find((s) => s.path === p)!;
    plainIndex[slot.index] = i;
    plainSlots[i] = slot.index;
  });
  const cpuKind = inst.cpuKind!;
  return { cpuKind, cpus: inst.actors[cpuKind], depth: plan.depth, base: sb.base, stride: sb.stride, plainIndex, plainSlots, valueRange: plan.valueRange };
}

/**
 * The hardware's store-buffer drain, a nondeterministic step of every CPU with buffered stores:
 * with `drain: 'oldest'` the oldest entry, with 'any' the entry the choice names (when it may go).
 */
export function drainProcedure(inst: Instance, mm: MemoryModelDef): ProcedureDef {
  const depth = inst.model.storeBufferDepth ?? 2;
  const fifo = mm.drain === 'oldest';
  return {
    name: DRAIN_PROCEDURE,
    actor: inst.cpuKind!,
    kind: 'rules',
    steps: [
      {
        label: 'drain',
        text: mm.drainText ?? 'a buffered store becomes visible to other CPUs',
        ...(fifo ? {} : { choose: { name: 'entry', count: depth, of: null } }),
        when: (_s, _a, x) => (x as unknown as { $canDrain(j: number): boolean }).$canDrain(x.choice),
        do: (_s, _a, x) => (x as unknown as { $drain(j: number): void }).$drain(x.choice),
      },
    ],
  };
}

/** The first slot of CPU c's buffer (its count; the entries follow). */
export function bufferAt(t: StoreBufferLayout, cpu: number): number {
  return t.base + cpu * t.stride;
}

/** Whether `slot` is one of the store buffers' slots, and of which CPU (-1: none). */
export function bufferOwner(t: StoreBufferLayout, slot: number): number {
  if (slot < t.base || slot >= t.base + t.cpus * t.stride) return -1;
  return ((slot - t.base) / t.stride) | 0;
}

/** The memory slot an entry's code names. */
export function entrySlot(t: StoreBufferLayout, code: number): number {
  return t.plainSlots[(code / t.valueRange) | 0];
}

/** The value (domain index) an entry's code stores. */
export function entryValue(t: StoreBufferLayout, code: number): number {
  return code % t.valueRange;
}

/** What CPU c reads from plain `slot` in `cur`: its newest buffered store to it, else memory. */
export function load(t: StoreBufferLayout, cur: Int32Array, cpu: number, slot: number): number {
  const b = t.base + cpu * t.stride;
  const pi = t.plainIndex[slot];
  for (let j = cur[b] - 1; j >= 0; j--) {
    const e = cur[b + 1 + j];
    if (((e / t.valueRange) | 0) === pi) return e - pi * t.valueRange;
  }
  return cur[slot];
}

/** CPU c stores value `i` to plain `slot`: a new youngest entry (a full buffer drains its oldest first). */
export function store(t: StoreBufferLayout, cur: Int32Array, cpu: number, slot: number, i: number): void {
  const b = t.base + cpu * t.stride;
  if (cur[b] === t.depth) drainAt(t, cur, cpu, 0);
  const n = cur[b];
  cur[b + 1 + n] = t.plainIndex[slot] * t.valueRange + i;
  cur[b] = n + 1;
}

/** Entry j may reach memory under a model whose drain is 'any': it exists and no older entry writes the same field. */
export function canDrain(t: StoreBufferLayout, cur: Int32Array, cpu: number, j: number): boolean {
  const b = t.base + cpu * t.stride;
  if (j >= cur[b]) return false;
  const pi = (cur[b + 1 + j] / t.valueRange) | 0;
  for (let i = 0; i < j; i++) if (((cur[b + 1 + i] / t.valueRange) | 0) === pi) return false;
  return true;
}

/** Entry j of CPU c's buffer reaches memory; the entries after it move up. Returns the memory slot written. */
export function drainAt(t: StoreBufferLayout, cur: Int32Array, cpu: number, j: number): number {
  const b = t.base + cpu * t.stride;
  const n = cur[b];
  const e = cur[b + 1 + j];
  const pi = (e / t.valueRange) | 0;
  const slot = t.plainSlots[pi];
  cur[slot] = e - pi * t.valueRange;
  for (let i = j + 1; i < n; i++) cur[b + i] = cur[b + i + 1];
  cur[b + n] = 0;
  cur[b] = n - 1;
  return slot;
}

/** A full fence on CPU c: every buffered store reaches memory, oldest first. */
export function drainAll(t: StoreBufferLayout, cur: Int32Array, cpu: number): void {
  const b = t.base + cpu * t.stride;
  while (cur[b] > 0) drainAt(t, cur, cpu, 0);
}

/** How a symmetry permutation renames a buffered store: its memory slot, and its value given that slot. */
export interface EntryRenaming {
  slotTo(slot: number): number;
  valueTo(slot: number, v: number): number;
}

/** Renames every buffered entry of `dst` under a permutation (`r`, built once per kind: no allocation here). */
export function permuteEntries(t: StoreBufferLayout, dst: Int32Array, r: EntryRenaming): void {
  for (let c = 0; c < t.cpus; c++) {
    const b = t.base + c * t.stride;
    for (let e = 0; e < dst[b]; e++) {
      const x = dst[b + 1 + e];
      const pi = (x / t.valueRange) | 0;
      const slot = t.plainSlots[pi];
      const val = r.valueTo(slot, x - pi * t.valueRange);
      dst[b + 1 + e] = t.plainIndex[r.slotTo(slot)] * t.valueRange + val;
    }
  }
}
