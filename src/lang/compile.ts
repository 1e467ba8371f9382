// compile: instance → program. Adds the state the language itself needs to the model's declaration
// (per-actor program counter and return stack, per-CPU store buffers under a buffered memory model
// (src/lang/memory/), each property's ghost
// state), lays it out in 32-bit words, generates pack/unpack for that layout, and turns procedures into
// a flat step table indexed by program counter. Procedure locals are kept per frame: each actor's
// control record holds one record of every procedure's locals per stack level (the frame at level
// sp is the running one), so an interrupt that calls a procedure already running gets its own.
import { bool, enumOf, int } from './domain.ts';
import { ModelError } from './errors.ts';
import { generatedFunction } from './generated.ts';
import type { Instance } from './instantiate.ts';
import { buildLayout, nodeAt, wordOrder, type Layout, type LayoutNode } from './layout.ts';
import { bufferDecl, bufferLayout, drainProcedure, planBuffers, STORE_BUFFERS, type StoreBufferLayout } from './memory/buffers.ts';
import { memoryModel, type MemoryModelDef } from './memory/index.ts';
import type { Effect, Guard, ProcedureDef } from './model.ts';
import type { PropertyDef } from './property.ts';
import { arrayOf, ghostDecl, isDomain, type RecordDecl } from './schema.ts';

export const IDLE = 0;

export interface CompiledStep {
  readonly id: number;
  readonly proc: string;
  readonly label: string;
  readonly text: string;
  readonly actorKind: string;
  readonly kind: 'seq' | 'rules';
  /** rules: fires only when the actor is idle. */
  readonly idleOnly: boolean;
  /** seq: the pc at which this step runs; rules: -1. */
  readonly pc: number;
  /** seq: the pc after this step by default (-1 = return). */
  readonly nextPc: number;
  readonly choices: number;
  readonly choiceName: string | null;
  readonly choiceOf: string | null;
  readonly fence: boolean;
  readonly guard: Guard<any> | null;
  readonly effect: Effect<any> | null;
  /** The step's declared jumps (StepDef.jumps): label → pc within its procedure (goto targets, call return labels). */
  readonly labels: Readonly<Record<string, number>>;
  /** `proc:label` */
  readonly name: string;
  /** seq steps of a procedure with locals: its field in the actor's frame record; otherwise null. */
  readonly locals: string | null;
}

export interface ActorKind {
  readonly name: string;
  readonly count: number;
  /** Slot of actor 0's pc, or -1 when the kind has no seq procedures (no control state). */
  readonly pcSlot: number;
  /** Slots between consecutive actors' control records. */
  readonly ctlStride: number;
  readonly stackDepth: number;
  /** pc → candidate step ids at that pc (the seq step there, or entries when idle, then the rules). */
  readonly candidates: readonly Int32Array[];
  /** pc value → `proc:label` ('idle' for 0). */
  readonly pcNames: readonly string[];
  /** Entry pc of each seq procedure of this kind. */
  readonly entryPc: Readonly<Record<string, number>>;
  /**
   * Per-frame locals: the slot offset of frame level 0 from the actor's pc slot, and the slots of one
   * level (every procedure's locals); 0 when no procedure of this kind declares locals. The frame at
   * level sp is the running one; a frame that returns is reset to every local's first value.
   */
  readonly frameOffset: number;
  readonly frameSize: number;
}

/** The candidate step ids of actor `a` of kind `k` in the unpacked state `s` (by its pc). */
export function candidatesAt(k: ActorKind, s: Int32Array, a: number): Int32Array {
  return k.candidates[k.pcSlot < 0 ? 0 : s[k.pcSlot + a * k.ctlStride]];
}

export interface Program {
  readonly instance: Instance;
  readonly layout: Layout;
  readonly words: number;
  /** The packed words by the object each describes (layout.ts wordOrder): the compact store's leaf order. */
  readonly wordOrder: readonly number[];
  readonly steps: readonly CompiledStep[];
  readonly actorKinds: readonly ActorKind[];
  readonly pack: (src: Int32Array, dst: Uint32Array, off: number) => void;
  readonly unpack: (src: Uint32Array, off: number, dst: Int32Array) => void;
  /** The memory model the program runs under (`--memory`). */
  readonly memory: MemoryModelDef;
  /** Under a buffered memory model (tso, weak): the store-buffer layout (per CPU); null under sc. */
  readonly storeBuffers: StoreBufferLayout | null;
  /** The CPU actor kind (Instance.cpuKind): its steps run on a CPU, its instances own the store buffers. */
  readonly cpuKind: string | null;
  /** Field name of each property's ghost record under `$ghost`. */
  readonly ghostNames: readonly string[];
}

export function compile(inst: Instance): Program {
  const { model } = inst;
  const mm = memoryModel(inst.memory);
  const plan = planBuffers(inst, mm);
  const procedures = plan === null ? inst.procedures : [...inst.procedures, drainProcedure(inst, mm)];
  const stackDepth = model.stackDepth ?? 4;
  for (const p of procedures) {
    if (!(p.actor in inst.actors)) throw new ModelError(`procedure ${p.name} runs on unknown actor '${p.actor}'; actors: ${Object.keys(inst.actors).join(', ')}`);
  }

  // Program counters: per actor kind, idle plus one value per seq step.
  const pcNamesByKind = new Map<string, string[]>();
  for (const kind of Object.keys(inst.actors)) pcNamesByKind.set(kind, ['idle']);
  for (const p of procedures) if (p.kind === 'seq') for (const s of p.steps) pcNamesByKind.get(p.actor)!.push(`${p.name}:${s.label}`);
  const hasCtl = (kind: string) => procedures.some((p) => p.actor === kind && (p.kind === 'seq' || p.idleOnly));

  // The full declaration: model state, then control, store buffers and ghost state.
  const ctl: Record<string, RecordDecl[keyof RecordDecl]> = {};
  for (const [kind, count] of Object.entries(inst.actors)) {
    if (!hasCtl(kind)) continue;
    const pc = enumOf(pcNamesByKind.get(kind)!);
    const frame = frameDecl(procedures.filter((p) => p.actor === kind));
    // One frame per stack level: level sp is the running procedure's, levels below are its callers'.
    const rec: RecordDecl = { pc, sp: int(0, stackDepth), stack: arrayOf(stackDepth, pc), ...(frame ? { frame: arrayOf(stackDepth + 1, frame, null) } : {}) };
    ctl[kind] = arrayOf(count, rec, kind);
  }
  const full: Record<string, RecordDecl[keyof RecordDecl]> = { ...inst.decl };
  if (Object.keys(ctl).length > 0) full.$ctl = ctl;
  if (plan) full[STORE_BUFFERS] = bufferDecl(inst, plan);
  const ghostNames = inst.properties.map((_, i) => `p${i}`);
  const ghost: Record<string, RecordDecl> = {};
  inst.properties.forEach((p, i) => {
    if (p.ghost) ghost[ghostNames[i]] = ghostDecl(p.ghost(inst.params)) as RecordDecl;
    else if (p.within !== undefined) {
      const w = withinGhost(inst, procedures, p.completes!, p.within);
      if (w !== null) ghost[ghostNames[i]] = w;
    }
  });
  if (Object.keys(ghost).length > 0) full.$ghost = ghost;
  const layout = buildLayout(full, { $ctl: 'control', [STORE_BUFFERS]: 'storeBuffer', $ghost: 'ghost' });

  // Step table.
  const steps: CompiledStep[] = [];
  const entryPcByKind = new Map<string, Record<string, number>>();
  for (const kind of Object.keys(inst.actors)) entryPcByKind.set(kind, {});
  for (const p of procedures) {
    const names = pcNamesByKind.get(p.actor)!;
    const labels: Record<string, number> = {};
    p.steps.forEach((s) => (labels[s.label] = p.kind === 'seq' ? names.indexOf(`${p.name}:${s.label}`) : -1));
    if (p.kind === 'seq' && p.steps.length > 0) entryPcByKind.get(p.actor)![p.name] = labels[p.steps[0].label];
    p.steps.forEach((s, i) => {
      // A jump is known before the search: each step declares the labels it may continue at.
      const jumps: Record<string, number> = {};
      for (const j of s.jumps ?? []) {
        if (p.kind !== 'seq') throw new ModelError(`step ${p.name}:${s.label} declares jumps, but ${p.name} is a rules procedure (no program counter to jump with)`);
        if (!Object.hasOwn(labels, j)) throw new ModelError(`step ${p.name}:${s.label} declares a jump to '${j}', which procedure ${p.name} does not have; labels: ${p.steps.map((x) => x.label).join(', ')}`);
        jumps[j] = labels[j];
      }
      const count = s.choose ? s.choose.count : 1;
      if (!Number.isInteger(count) || count < 1 || count > 255) throw new ModelError(`step ${p.name}:${s.label}: choice count ${count} is not 1..255`);
      steps.push({
        id: steps.length,
        proc: p.name,
        label: s.label,
        text: s.text,
        actorKind: p.actor,
        kind: p.kind,
        idleOnly: p.kind === 'rules' && (p.idleOnly ?? false),
        pc: p.kind === 'seq' ? labels[s.label] : -1,
        nextPc: p.kind === 'seq' && i + 1 < p.steps.length ? labels[p.steps[i + 1].label] : -1,
        choices: count,
        choiceName: s.choose?.name ?? null,
        choiceOf: s.choose?.of ?? null,
        fence: s.fence ?? false,
        guard: s.when ?? null,
        effect: s.do ?? null,
        labels: jumps,
        name: `${p.name}:${s.label}`,
        locals: p.kind === 'seq' && p.locals && Object.keys(p.locals).length > 0 ? p.name : null,
      });
    });
  }
  if (steps.length > 0xffff) throw new ModelError(`too many steps (${steps.length})`);

  const actorKinds: ActorKind[] = Object.entries(inst.actors).map(([name, count]) => {
    if (count > 255) throw new ModelError(`actor '${name}': ${count} instances, at most 255`);
    const pcNames = pcNamesByKind.get(name)!;
    const ctlNode = nodeAt(layout, `$ctl.${name}`);
    const pcSlot = ctlNode && ctlNode.kind === 'array' ? firstSlot(ctlNode) : -1;
    const ctlStride = ctlNode && ctlNode.kind === 'array' ? ctlNode.stride : 0;
    const mine = steps.filter((s) => s.actorKind === name);
    const candidates = pcNames.map((_, pc) => {
      const ids: number[] = [];
      for (const s of mine) if (s.kind === 'seq' && s.pc === pc) ids.push(s.id);
      if (pc === IDLE) {
        for (const p of procedures) {
          if (p.actor !== name || p.kind !== 'seq' || !p.entry || p.steps.length === 0) continue;
          ids.push(mine.find((s) => s.proc === p.name && s.label === p.steps[0].label)!.id);
        }
        for (const s of mine) if (s.kind === 'rules' && s.idleOnly) ids.push(s.id);
      }
      for (const s of mine) if (s.kind === 'rules' && !s.idleOnly) ids.push(s.id);
      return Int32Array.from(ids);
    });
    const frames = nodeAt(layout, `$ctl.${name}`);
    const level0 = frames && frames.kind === 'array' ? (frames.elems[0] as LayoutNode & { kind: 'record' }).fields.get('frame') : undefined;
    const frameOffset = level0 && level0.kind === 'array' ? level0.base - pcSlot : 0;
    const frameSize = level0 && level0.kind === 'array' ? level0.stride : 0;
    return { name, count, pcSlot, ctlStride, stackDepth, candidates, pcNames, entryPc: entryPcByKind.get(name)!, frameOffset, frameSize };
  });

  const storeBuffers = plan ? bufferLayout(inst, layout, plan) : null;
  return { instance: inst, layout, words: layout.words, wordOrder: wordOrder(layout), steps, actorKinds, pack: genPack(layout, model.name), unpack: genUnpack(layout, model.name), memory: mm, storeBuffers, cpuKind: inst.cpuKind, ghostNames };
}

/**
 * The frame record of an actor kind: one record of locals per seq procedure that declares any, under
 * the procedure's name; null when none does (the control record then has no frames).
 */
function frameDecl(procs: readonly ProcedureDef[]): RecordDecl | null {
  const frame: Record<string, RecordDecl> = {};
  for (const p of procs) {
    if (!p.locals || Object.keys(p.locals).length === 0) continue;
    if (p.kind !== 'seq') throw new ModelError(`procedure ${p.name} declares locals, but it is a rules procedure (rules run in no frame)`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name)) throw new ModelError(`procedure '${p.name}' declares locals, but its name is not an identifier`);
    for (const [n, d] of Object.entries(p.locals)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new ModelError(`procedure ${p.name}: local '${n}' is not an identifier`);
      if (!isDomain(d)) throw new ModelError(`procedure ${p.name}: local '${n}' is not a domain (bool(), int(lo, hi), enumOf, ref, setOf)`);
    }
    frame[p.name] = { ...p.locals };
  }
  return Object.keys(frame).length > 0 ? frame : null;
}

/**
 * The ghost record of a bounded monitor (PropertyDef.within, run by src/engine/within.ts): `peerSteps`,
 * 0 while X is not open, else 1 + the steps counted since it opened (at most K of them are allowed),
 * and `spinning`, the waiter's last step of its program changed nothing: one of each per instance of
 * the procedure's actor kind, indexed by the kind (so symmetry permutes them with their actor), or one
 * counter for a busy entry; null for a procedure the scope does not have.
 */
function withinGhost(inst: Instance, procedures: readonly ProcedureDef[], c: NonNullable<PropertyDef['completes']>, k: number): RecordDecl | null {
  if (!Number.isInteger(k) || k < 1) throw new ModelError(`a bounded monitor's step bound must be a positive integer, not ${k}`);
  if ('busy' in c) return { peerSteps: int(0, k + 1) };
  const proc = procedures.find((p) => p.name === c.procedure && p.kind === 'seq');
  if (proc === undefined) return null;
  const n = inst.actors[proc.actor];
  return { peerSteps: arrayOf(n, int(0, k + 1), proc.actor), spinning: arrayOf(n, bool(), proc.actor) };
}

function firstSlot(n: LayoutNode): number {
  if (n.kind === 'scalar') return n.slot.index;
  return n.base;
}

/** pack(src slots → dst words at off): one statement per word, shifts and ors with constants. */
function genPack(layout: Layout, model: string): Program['pack'] {
  return generatedFunction(model, 'pack', ['s', 'd', 'o'], packSource({ layout }, 's', 'd', 'o+')) as Program['pack'];
}

/** The statements that pack slot array `src` into word array `dst` (at offset expression `off`). */
export function packSource(prog: { layout: Layout }, src: string, dst: string, off = ''): string {
  const { layout } = prog;
  const terms: string[][] = Array.from({ length: layout.words }, () => []);
  for (const s of layout.slots) if (s.bits > 0) terms[s.word].push(s.shift === 0 ? `${src}[${s.index}]` : `(${src}[${s.index}]<<${s.shift})`);
  return terms.map((t, w) => `${dst}[${off}${w}]=${t.length ? t.join('|') : '0'};`).join('\n');
}

function genUnpack(layout: Layout, model: string): Program['unpack'] {
  const lines: string[] = [];
  for (let w = 0; w < layout.words; w++) lines.push(`const w${w}=s[o+${w}];`);
  for (const sl of layout.slots) {
    if (sl.bits === 0) lines.push(`d[${sl.index}]=0;`);
    else if (sl.bits === 32) lines.push(`d[${sl.index}]=w${sl.word}|0;`);
    else lines.push(`d[${sl.index}]=(w${sl.word}>>>${sl.shift})&${(2 ** sl.bits - 1) >>> 0};`);
  }
  return generatedFunction(model, 'unpack', ['s', 'o', 'd'], lines.join('\n')) as Program['unpack'];
}
