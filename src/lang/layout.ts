// Flattens a state declaration into slots (one per scalar field) and packs the slots into 32-bit
// words. A value never straddles two words. Records are laid out contiguously, so every element of a
// per-CPU array has the same field offsets (one view class serves all CPUs).
import { bitsFor, type Domain, type ObjKind } from './domain.ts';
import { ModelError } from './errors.ts';
import { isArray, isBuffered, isDomain, isPlain, type Decl, type RecordDecl } from './schema.ts';

/**
 * What a slot is: a field the model declares, or state the language adds (compile.ts): an actor's
 * control (pc, return stack), a CPU's store buffer (src/lang/memory/buffers.ts), a property's ghost field.
 */
export type SlotKind = 'field' | 'control' | 'storeBuffer' | 'ghost';

export interface Slot {
  readonly index: number;
  readonly kind: SlotKind;
  /**
   * Language state only (kind ≠ field): the element of the root field the slot is in (`cpu[1]` of
   * `$ctl.cpu[1].pc`, `[0]` of `$sb[0].n`, `p2` of `$ghost.p2.cpu[0].win`), and the path below it
   * (`pc`, `n`, `cpu[0].win`); '' for fields.
   */
  readonly group: string;
  readonly rel: string;
  /** Path as written in a model: `cpu[1].localGen`, `mmGen`. */
  readonly path: string;
  readonly domain: Domain;
  readonly bits: number;
  readonly word: number;
  readonly shift: number;
  /** A plain shared store: buffered under TSO. */
  readonly plain: boolean;
  /** Declared own: only the actor owning the record accesses it. */
  readonly own: boolean;
  /** Declared published: only the actor owning the record writes it. */
  readonly published: boolean;
  /** The objects whose arrays contain this slot, outermost first (`cpu[1]` → [{of:'cpu', index:1}]). */
  readonly owners: readonly { readonly of: ObjKind; readonly index: number }[];
}

export type LayoutNode =
  | { readonly kind: 'scalar'; readonly slot: Slot }
  | { readonly kind: 'record'; readonly base: number; readonly size: number; readonly fields: ReadonlyMap<string, LayoutNode> }
  | { readonly kind: 'array'; readonly base: number; readonly stride: number; readonly index: ObjKind | null; readonly elems: readonly LayoutNode[] };

export interface Layout {
  readonly slots: readonly Slot[];
  readonly words: number;
  readonly root: LayoutNode & { kind: 'record' };
}

const RESERVED = new Set(['constructor', '__proto__', 'prototype']);

interface Draft {
  index: number;
  kind: SlotKind;
  group: string;
  rel: string;
  path: string;
  domain: Domain;
  bits: number;
  plain: boolean;
  own: boolean;
  published: boolean;
  owners: { of: ObjKind; index: number }[];
}

/**
 * Lays `decl` out. `internal` names the root fields the language adds (their names start with '$')
 * and what their slots are; every other name starting with '$' is reserved.
 */
export function buildLayout(decl: RecordDecl, internal: Readonly<Record<string, Exclude<SlotKind, 'field'>>> = {}): Layout {
  const drafts: Draft[] = [];
  const root = walk(decl, '', [], drafts, internal, null) as LayoutNode & { kind: 'record' };
  // Pack: first fit in declaration order, a new word when the next field does not fit.
  let word = 0;
  let used = 0;
  const slots: Slot[] = drafts.map((d) => {
    if (d.bits > 32) throw new Error(`field ${d.path}: domain of ${d.domain.size} values does not fit 32 bits`);
    if (used + d.bits > 32) {
      word++;
      used = 0;
    }
    const s: Slot = { ...d, word, shift: used };
    used += d.bits;
    return s;
  });
  fixSlots(root, slots);
  return { slots, words: used === 0 && word === 0 ? 1 : word + 1, root };
}

/**
 * Where a language slot's path splits: after the root field (`$ctl`) at `groupAt`, the group is one
 * step down (`.cpu`, `[0]`, `.p2`) with the indices that follow it (`cpu[1]`); the rest starts at `relAt`.
 */
interface Role {
  readonly kind: Exclude<SlotKind, 'field'>;
  readonly groupAt: number;
  /** The group has begun (one step below the root field). */
  readonly started: boolean;
  /** Where the relative path starts, or -1 while still in the group. */
  readonly relAt: number;
}

/** The role one step below `path`: into an array element, or (`name` given) into a record field. */
function below(role: Role | null, path: string, name?: string): Role | null {
  if (role === null || role.relAt >= 0) return role;
  if (!role.started) return { ...role, started: true };
  return name === undefined ? role : { ...role, relAt: path.length + 1 };
}

function walk(d: Decl, path: string, owners: { of: ObjKind; index: number }[], out: Draft[], internal: Readonly<Record<string, Exclude<SlotKind, 'field'>>>, role: Role | null): LayoutNode {
  if (isDomain(d) || isPlain(d)) {
    const domain = isPlain(d) ? d.domain : d;
    const mark = isPlain(d) ? d.kind : null;
    const plain = isPlain(d) && isBuffered(d);
    const kind: SlotKind = role ? role.kind : 'field';
    const group = role ? path.slice(role.groupAt, role.relAt < 0 ? undefined : role.relAt - 1).replace(/^\./, '') : '';
    const rel = role && role.relAt >= 0 ? path.slice(role.relAt) : '';
    const draft: Draft = { index: out.length, kind, group, rel, path, domain, bits: bitsFor(domain), plain, own: mark === 'own', published: mark === 'published', owners };
    out.push(draft);
    return { kind: 'scalar', slot: draft as unknown as Slot };
  }
  if (isArray(d)) {
    const base = out.length;
    const elems: LayoutNode[] = [];
    const r = below(role, path);
    for (let i = 0; i < d.length; i++) {
      const o = d.index ? [...owners, { of: d.index, index: i }] : owners;
      elems.push(walk(d.elem, `${path}[${i}]`, o, out, internal, r));
    }
    const stride = d.length > 0 ? (out.length - base) / d.length : 0;
    return { kind: 'array', base, stride, index: d.index, elems };
  }
  const base = out.length;
  const fields = new Map<string, LayoutNode>();
  for (const [name, f] of Object.entries(d as RecordDecl)) {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new ModelError(`field name '${name}' at ${path || 'state'} is not an identifier`);
    // Names starting with '$' are the language's own (compile.ts: control, store buffers, ghost state at the root).
    const own = path === '' && Object.hasOwn(internal, name) ? internal[name] : null;
    if ((name.startsWith('$') && own === null) || RESERVED.has(name)) throw new ModelError(`field name '${name}' at ${path || 'state'} is reserved; rename the field`);
    const p = path ? `${path}.${name}` : name;
    const r = own !== null ? { kind: own, groupAt: p.length, started: false, relAt: -1 } : below(role, path, name);
    fields.set(name, walk(f, p, owners, out, internal, r));
  }
  return { kind: 'record', base, size: out.length - base, fields };
}

/** Replace the drafts referenced from scalar nodes by the final slots (with word and shift). */
function fixSlots(n: LayoutNode, slots: readonly Slot[]): void {
  if (n.kind === 'scalar') (n as { slot: Slot }).slot = slots[n.slot.index];
  else if (n.kind === 'array') n.elems.forEach((e) => fixSlots(e, slots));
  else n.fields.forEach((f) => fixSlots(f, slots));
}

/** The node at a dotted path from the root (`cpu`, `$ctl.cpu`), or undefined. */
export function nodeAt(layout: Layout, path: string): LayoutNode | undefined {
  let n: LayoutNode | undefined = layout.root;
  for (const part of path.split('.')) {
    if (!n || n.kind !== 'record') return undefined;
    n = n.fields.get(part);
  }
  return n;
}

/**
 * The packed words ordered by the object they describe: per object kind in order of first appearance
 * (`cpu`, `mm`, ...), per member, that member's words (its record, its control stack, its store
 * buffer, ghost state kept per member), then the words of no member (globals, ghost state of the
 * whole system). A word goes with the object that owns most of its bits. The compact store builds its
 * tree over the words in this order (tree-store.ts), so that a CPU's record and its control stack,
 * which change together, share subtrees instead of each being paired with other CPUs' words.
 */
export function wordOrder(layout: Layout): number[] {
  const kinds: string[] = [];
  for (const s of layout.slots) if (s.owners.length && !kinds.includes(s.owners[0].of)) kinds.push(s.owners[0].of);
  // Per word, its bits per owner; an owner is kind and member, `kinds.length` being no object.
  const tally = Array.from({ length: layout.words }, () => [] as { kind: number; index: number; bits: number }[]);
  for (const s of layout.slots) {
    const kind = s.owners.length ? kinds.indexOf(s.owners[0].of) : kinds.length;
    const index = s.owners.length ? s.owners[0].index : 0;
    const t = tally[s.word].find((x) => x.kind === kind && x.index === index);
    if (t) t.bits += s.bits;
    else tally[s.word].push({ kind, index, bits: s.bits });
  }
  const owner = tally.map((ts) => ts.reduce((a, b) => (b.bits > a.bits ? b : a), { kind: kinds.length, index: 0, bits: -1 }));
  return owner.map((_, w) => w).sort((a, b) => owner[a].kind - owner[b].kind || owner[a].index - owner[b].index || a - b);
}
