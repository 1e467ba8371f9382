// The configuration every building block of the lazy-TLB model reads: parameters, flags, the value
// encoding of mm references, and the hardware hooks the Xen PV model replaces.
import { Table } from './state.ts';
import type { Domain } from '../../src/lang/domain.ts';
import { rules as mkRules, seq as mkSeq, step as mkStep, type Flags, type Params, type ProcedureDef, type StepCtx, type StepDef } from '../../src/lang/model.ts';

/** Shapes of the switch / lazy mode / flush handler (docs/steps/x86-lazy-tlb.md: A v2.6.24-v4.12 … E v6.14, mainline). */
export type Shape = 'A' | 'B' | 'C' | 'D' | 'E' | 'mainline';

export interface Env {
  readonly p: Params;
  readonly f: Flags;
  readonly shape: Shape;
  /** User mms 0..M-1; `init_mm` is the value M; `LOADED_MM_SWITCHING` M+1; NULL M+2; kthread M+3. */
  readonly M: number;
  readonly INIT: number;
  readonly SWITCHING: number;
  /** NULL (a nullable mm reference holds no mm). */
  readonly NULL: number;
  /** csNext value naming "a kernel thread". */
  readonly KTHREAD: number;
  /** No CPU (ftFrom, shFrom, fIter). */
  readonly NOCPU: number;
  /** flush_tlb_info.end = TLB_FLUSH_ALL: the page index `pages`. */
  readonly ALL: number;
  /** TLB entry slot with no entry: version gens+2 (exit_mmap may take a generation past the bound `gens`). */
  readonly EMPTY: number;
  /** Shapes with tlb_gen, ctx_id and per-ASID freshness (v4.13+). */
  readonly gens: boolean;
  /** The MMU's page-table root changes: native CR3 write, or the Xen hypercall path. */
  readonly hw: Hardware;
}

/** Hardware actions that the paravirtualized model replaces (xen_write_cr3, the multicall batch: models/xen-pv). */
export interface Hardware {
  /**
   * R1 `load_new_mm_cr3`: the CR3 write (native: serializing, takes effect now; Xen: `xen_write_cr3`,
   * queued in lazy-CPU mode). `flush` = without the no-flush bit.
   */
  writeCr3(s: any, c: number, mm: number, asid: number, flush: boolean, e: Env, x: StepCtx): void;
}

export function makeEnv(p: Params, f: Flags, hw: Hardware): Env {
  const M = p.mms;
  const shape = f.lazyDesign as Shape;
  return { p, f, shape, M, INIT: M, SWITCHING: M + 1, NULL: M + 2, KTHREAD: M + 3, NOCPU: p.cpus, ALL: p.pages, EMPTY: p.gens + 2, gens: shape !== 'A', hw };
}

/** Native CR3 write: the MMU walks from the new root at once; with flush the new PCID's TLB and PSC are emptied. */
export const nativeHardware: Hardware = {
  writeCr3(s, c, mm, asid, flush, e) {
    const me = s.cpu[c];
    me.cr3Mm = mm;
    me.cr3Asid = asid;
    if (flush) flushPcid(s, c, asid, e.ALL, e);
    else if (e.f.fills === 'eager') mmuFill(s, c, e);
  },
};

/**
 * A page walk from CR3: TLB entries for the pages not cached, at the current page-table version, and
 * the table page in the PSC if it is linked. With fills = 'eager' it runs at every CR3 load and after
 * every flush: the oldest entries any execution could cache then, so no stale-entry or freed-table
 * violation is missed (fills only add entries, at versions that only grow).
 */
export function mmuFill(s: any, c: number, e: Env): void {
  const me = s.cpu[c];
  if (me.cr3Mm >= e.M) return;
  const m = s.mm[me.cr3Mm];
  const t = me.tlb[me.cr3Asid];
  for (let x = 0; x < e.p.pages; x++) if (t.ver[x].v === e.EMPTY) t.ver[x].v = m.ptv[x].v;
  if (m.table === Table.ids.linked) t.psc = true;
}

/** Invalidate TLB entries (one page, or all with `page = ALL`) and the paging-structure caches of a PCID. */
export function flushPcid(s: any, c: number, asid: number, page: number, e: Env): void {
  const t = s.cpu[c].tlb[asid];
  for (let x = 0; x < e.p.pages; x++) if (page === e.ALL || page === x) t.ver[x].v = e.EMPTY;
  t.psc = false;
  if (e.f.fills === 'eager' && asid === s.cpu[c].cr3Asid) mmuFill(s, c, e);
}

export const bit = (c: number) => 1 << c;

/** Steps and procedures over this model's untyped state view (`s.cpu[c].loadedMm`). */
export const step = (label: string, text: string, body: Omit<StepDef<any>, 'label' | 'text'> = {}): StepDef<any> => mkStep<any>(label, text, body);
export const seq = (name: string, actor: string, steps: readonly StepDef<any>[], opts: { entry?: boolean; locals?: Readonly<Record<string, Domain>> } = {}): ProcedureDef<any> => mkSeq<any>(name, actor, steps, opts);
export const rules = (name: string, actor: string, steps: readonly StepDef<any>[], opts: { idleOnly?: boolean } = {}): ProcedureDef<any> => mkRules<any>(name, actor, steps, opts);
