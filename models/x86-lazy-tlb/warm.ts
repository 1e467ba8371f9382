// Initial states: cold, or a warm pre-state of a catalogued race (TLB-1 ... TLB-5, XEN-1). Every start is a reachable state that
// satisfies the invariants: each is what a few setup steps from `cold` produce. A warm start puts a
// catalogued race a few steps away; the fixed configuration is checked from the same start.
import { ModelError } from '../../src/lang/errors.ts';
import { Life, Table } from './state.ts';
import { bit, type Env } from './env.ts';

export const warmStarts = ['cold', 'lazyOnA', 'bothOnA', 'userAcachedB', 'execKthread', 'xenLazyOnA'] as const;

/** A CPU running a kernel thread on init_mm (the idle task). */
function idle(s: any, c: number, e: Env): void {
  const me = s.cpu[c];
  me.online = true;
  me.switches = e.p.switches;
  me.irqsOn = true;
  me.currKthread = true;
  me.currMm = e.NULL;
  me.activeMm = e.INIT;
  me.prevMm = e.NULL;
  me.loadedMm = e.INIT;
  me.cr3Mm = e.INIT;
  for (let a = 0; a < e.p.asids; a++) {
    me.ctxs[a].ctxId = e.NULL;
    for (let x = 0; x < e.p.pages; x++) me.tlb[a].ver[x].v = e.EMPTY;
  }
  me.ctxs[0].ctxId = e.INIT;
  for (const k of ['fMm', 'fLm', 'csNext', 'csDrop', 'mdMm', 'exOld', 'kuMm', 'kuOld', 'putMm', 'exNew', 'batchMm']) me[k] = e.NULL;
  me.ftFrom = e.NOCPU;
  me.shFrom = e.NOCPU;
  me.fIter = e.NOCPU;
  me.swNext = e.INIT;
}

/** CPU c has mm m loaded in ASID slot a at generation g, entries cached at version v, table page cached. */
function loaded(s: any, c: number, m: number, a: number, e: Env, v = s.mm[m].ptv[0].v): void {
  const me = s.cpu[c];
  me.loadedMm = m;
  me.loadedAsid = a;
  me.cr3Mm = m;
  me.cr3Asid = a;
  me.ctxs[a].ctxId = m;
  me.ctxs[a].tlbGen = s.mm[m].tlbGen;
  for (let x = 0; x < e.p.pages; x++) me.tlb[a].ver[x].v = v;
  me.tlb[a].psc = s.mm[m].table === Table.ids.linked;
  me.nextAsid = (a + 1) % e.p.asids;
  s.mm[m].cpumask = s.mm[m].cpumask | bit(c);
}

function user(s: any, c: number, m: number, a: number, e: Env): void {
  const me = s.cpu[c];
  me.currKthread = false;
  me.currMm = m;
  me.activeMm = m;
  loaded(s, c, m, a, e);
}

/** A kernel thread running lazily on user mm m (holds a lazy reference under REFCOUNT). */
function lazy(s: any, c: number, m: number, e: Env): void {
  const me = s.cpu[c];
  me.currKthread = true;
  me.currMm = e.NULL;
  me.activeMm = m;
  loaded(s, c, m, 0, e);
  me.isLazy = true;
  if (e.shape === 'B') s.mm[m].cpumask = s.mm[m].cpumask & ~bit(c);
  if (e.f.lazyRefs === 'refcount') s.mm[m].count = s.mm[m].count + 1;
}

export function initState(s: any, e: Env): void {
  const { p, f } = e;
  // The CPUs and mms each warm start places tasks on (below).
  const needs: Record<string, [number, number]> = { lazyOnA: [2, 1], bothOnA: [2, 1], userAcachedB: [2, 2], execKthread: [1, 2], xenLazyOnA: [2, 2] };
  const [cpus, mms] = needs[f.warm] ?? [1, 1];
  if (p.cpus < cpus || p.mms < mms) {
    throw new ModelError(`warm start '${f.warm}' needs --param cpus=${cpus} and --param mms=${mms} or more (or --set warm=cold)`);
  }
  s.changes = p.changes;
  s.exits = p.exits;
  for (let c = 0; c < p.cpus; c++) idle(s, c, e);
  for (let m = 0; m < e.M; m++) {
    const mm = s.mm[m];
    // exec's new mm is the last one when exec is modeled
    mm.life = f.exec && m === e.M - 1 ? Life.ids.unborn : Life.ids.live;
    // mm0 has one thread (its exit is the last: __mmput, exit_mmap, the final mmdrop), the others two
    // (two CPUs can run the same mm)
    mm.users = mm.life !== Life.ids.live ? 0 : m === 0 ? 1 : 2;
    mm.count = mm.life === Life.ids.live ? 1 : 0;
    mm.table = Table.ids.linked;
  }
  if (f.temporaryMm) {
    if (f.exec) throw new ModelError('temporaryMm and exec both use the last mm: set only one');
    if (mms > e.M - 1) throw new ModelError(`warm start '${f.warm}' with temporaryMm needs --param mms=${mms + 1} or more (the last mm is the temporary mm)`);
    // text_poke_mm / efi_mm: no task, never freed (its one mm_count reference is static), notrack
    const t = s.mm[e.M - 1];
    t.users = 0;
    t.notrack = true;
  }
  const A = 0;
  const B = 1;
  switch (f.warm) {
    case 'cold':
      return;
    case 'lazyOnA': // TLB-2, TLB-4: C1 lazy on A with A's table page in its PSC; C0 runs A
      user(s, 0, A, 0, e);
      lazy(s, 1, A, e);
      return;
    case 'bothOnA': // TLB-1: C1 runs user A with P in its PSC; C0 runs a thread of A
      user(s, 0, A, 0, e);
      user(s, 1, A, 0, e);
      s.mm[A].users = 2;
      return;
    case 'userAcachedB': {
      // TLB-5: C1 runs user A; its second ASID slot holds B at generation 1 (entries at version 1) and
      // its bit is still set in mm_cpumask(B); C0 runs a thread of B
      const mb = s.mm[B];
      mb.tlbGen = 1;
      for (let x = 0; x < p.pages; x++) mb.ptv[x].v = 1;
      user(s, 0, B, 0, e);
      loaded(s, 1, B, Math.min(1, p.asids - 1), e);
      user(s, 1, A, 0, e);
      s.mm[A].users = 1;
      return;
    }
    case 'execKthread': // TLB-3: a kernel thread K lazily on L = mm0 (a lazy reference); L' = mm1 has a task
      lazy(s, 0, A, e);
      s.mm[A].users = 1;
      s.mm[B].users = 1;
      return;
    case 'xenLazyOnA': // XEN-1: vCPU1 runs a kthread lazily on A; vCPU0 runs the last user of A
      user(s, 0, A, 0, e);
      lazy(s, 1, A, e);
      s.mm[A].users = 1;
      s.mm[B].users = 1;
      return;
  }
}
