// The parallel search (src/engine/parallel/) against the sequential one (bfs.ts): on every shipped
// model and variant at a small scope and on random models, 2 and 3 workers give the same states,
// transitions, depth, verdict, property and the same trace (step for step), with and without
// symmetry and partial-order reduction (its statistics too); with the default reductions and the
// compact store (shared by the partitions for the cycle proviso's lookups) on the shipped models at
// their default scopes, historical variants' violations and random models; sleep sets, and
// partial-order reduction with the fingerprint store, search with one worker and say so; a limit or a
// stop request ends the search `incomplete`. Two workers search each layer in many rounds (a small
// exchange), so that a layer's states stored in its earlier rounds are where the rounds could differ.
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { exploreBfs, INTERRUPT, type ExploreOptions, type ExploreResult } from '../../src/engine/bfs.ts';
import { exploreParallel } from '../../src/engine/parallel/coordinator.ts';
import { check, type CheckOptions } from '../../src/pipeline/check.ts';
import { freeCores } from '../../src/cli/workers.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import { randomModel, randomProgram, randomRecipe, tapeOf } from './parallel-recipe.ts';

/** What must agree between the searches. */
function outcome(r: { verdict: string; states: number; transitions: number; depth: number; property?: string; rawTrace?: readonly unknown[] }) {
  return { verdict: r.verdict, states: r.states, transitions: r.transitions, depth: r.depth, property: r.property, trace: r.rawTrace };
}

function exploreOutcome(r: ExploreResult) {
  return { verdict: r.verdict, states: r.states, transitions: r.transitions, depth: r.depth, kind: r.found?.kind, prop: r.found?.prop, reason: r.found?.reason, trace: r.trace };
}

/** Small scopes (a model not named: every parameter at its minimum), with violations in most variants. */
const SCOPES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  shootdown: { cpus: 2, gens: 2 },
  'x86-lazy-tlb': { cpus: 2, mms: 2, switches: 1, changes: 1, gens: 2 },
  'xen-pv': { cpus: 2, mms: 2, switches: 1, changes: 1, gens: 2 },
  'lazy-mmu': { cpus: 2 },
};

function smallScope(model: ModelDef): Record<string, number> {
  const params = Object.fromEntries(Object.entries(model.params as Record<string, { min: number }>).map(([k, s]) => [k, s.min]));
  return { ...params, ...SCOPES[model.name] };
}

/** Scopes with more states than this are left to the bench. */
const MAX_STATES = 20_000;

describe('parallel search agrees with the sequential search on the shipped models', () => {
  for (const { model, variants } of shipped) {
    for (const variant of [null, ...variants]) {
      it(`${model.name}${variant ? ` ${variant.name}` : ''}`, (ctx) => {
        const base: CheckOptions = { params: smallScope(model as ModelDef), variant, liveness: false };
        // 2 workers with the default reductions (the model's symmetry where it declares one, and
        // partial-order reduction), 3 without reductions.
        const reduced: CheckOptions = { ...base, symmetry: model.symmetry !== undefined, por: true };
        const seq = check(model as ModelDef, allProperties, { ...reduced, maxStates: MAX_STATES });
        if (seq.verdict === 'incomplete') ctx.skip(`more than ${MAX_STATES} states`);
        // Two workers in rounds of at most 64 words of records each (many rounds a layer).
        const two = check(model as ModelDef, allProperties, { ...reduced, workers: 2, exchangeWords: 64 });
        expect(two.workers).toBe(2);
        expect({ ...outcome(two), reductions: two.reductions }).toEqual({ ...outcome(seq), reductions: seq.reductions });
        const unreduced: CheckOptions = { ...base, symmetry: false, por: false };
        const plain = check(model as ModelDef, allProperties, unreduced);
        const three = check(model as ModelDef, allProperties, { ...unreduced, workers: 3 });
        expect(three.workers).toBe(3);
        expect(outcome(three)).toEqual(outcome(plain));
      });
    }
  }
});

describe('parallel search with the default reductions and the compact store: the shipped models at their default scopes', () => {
  // Symmetry and partial-order reduction, as the command line has them; the store by default (compact:
  // every one of these models packs more than two words), so the cycle proviso looks each successor up
  // in its owner's tree store, shared by the partitions.
  const defaults: CheckOptions = { symmetry: true, por: true, liveness: false };
  const names = ['x86-lazy-tlb', 'xen-pv', 'membarrier', 'context-tracking', 'lazy-mmu'];
  const sequential = new Map<string, ReturnType<typeof check>>();
  const seqOf = (model: ModelDef) => {
    if (!sequential.has(model.name)) sequential.set(model.name, check(model, allProperties, defaults));
    return sequential.get(model.name)!;
  };
  for (const name of names) {
    for (const n of [2, 3]) {
      // Two workers in rounds of at most 4,096 words of records (each layer in several rounds), three in one round a layer.
      const exchangeWords = n === 2 ? 4096 : undefined;
      it(`${name}, ${n} workers${exchangeWords ? ` in rounds of ${exchangeWords} words` : ''}: the states, transitions, depth, verdict, property, trace and ample sets of one`, () => {
        const model = shipped.find((s) => s.model.name === name)!.model as ModelDef;
        const seq = seqOf(model);
        expect(seq.store).toBe('compact');
        const par = check(model, allProperties, { ...defaults, workers: n, exchangeWords });
        expect({ workers: par.workers, note: par.workersNote, store: par.store }).toEqual({ workers: n, note: undefined, store: 'compact' });
        expect({ ...outcome(par), traceLength: par.rawTrace?.length, reductions: par.reductions }).toEqual({ ...outcome(seq), traceLength: seq.rawTrace?.length, reductions: seq.reductions });
      });
    }
  }

  // Historical x86 kernels at the default scope: the violation they are known for, found by two
  // workers as by one, with the same trace.
  for (const [variant, property] of [['v2.6.39', 'P3'], ['pre-fea4e317f9e7', 'P1']] as const) {
    it(`x86-lazy-tlb ${variant}: ${property}, the same trace with 1 and 2 workers`, () => {
      const sm = shipped.find((s) => s.model.name === 'x86-lazy-tlb')!;
      const opts: CheckOptions = { ...defaults, variant: sm.variants.find((v) => v.name === variant)! };
      const one = check(sm.model as ModelDef, allProperties, opts);
      const two = check(sm.model as ModelDef, allProperties, { ...opts, workers: 2 });
      expect({ verdict: one.verdict, property: one.property, store: one.store }).toEqual({ verdict: 'violation', property, store: 'compact' });
      expect(two.workers).toBe(2);
      expect({ ...outcome(two), reductions: two.reductions }).toEqual({ ...outcome(one), reductions: one.reductions });
    });
  }
});

describe('parallel search agrees with the sequential search on random models', () => {
  // Fixed tapes: the same models on every run; the default mode, the footprints mode (with
  // partial-order reduction) and the symmetric one (with symmetry and partial-order reduction); each
  // with the exact store (their default: they are of one or two words) and the compact one.
  const modes = [['default', [1, 2, 3, 4, 5, 6, 7, 8]], ['footprints', [21, 22, 23, 24, 25, 26]], ['symmetric', [11, 12, 13, 14]]] as const;
  for (const [mode, seeds] of modes) for (const store of ['exact', 'compact'] as const) {
    it(`${mode} models, ${store} store`, () => {
      const opts: ExploreOptions = { deadlock: true, store };
      let searched = 0;
      for (const seed of seeds) {
        const a = { tape: tapeOf(seed), mode };
        const prog = randomProgram(a);
        const reductions = { symmetry: mode === 'symmetric', por: mode !== 'default' };
        const seq = exploreBfs(prog, { ...opts, ...reductions, maxStates: 2000 });
        if (seq.verdict === 'incomplete') continue;
        searched++;
        for (const n of [2, 3]) {
          // Two workers in rounds of at most 32 words of records, three in one round a layer.
          const par = exploreParallel(prog, randomRecipe(a), n, { ...opts, ...reductions, exchangeWords: n === 2 ? 32 : undefined });
          expect({ n, ...exploreOutcome(par), reductions: par.reductions }).toEqual({ n, ...exploreOutcome(seq), reductions: seq.reductions });
        }
      }
      expect(searched).toBeGreaterThan(seeds.length / 2);
    });
  }
});

describe('parallel search: what runs with one worker, and limits', () => {
  const sm = shipped.find((s) => s.model.name === 'shootdown')!;
  const model = sm.model as ModelDef;

  it('sleep sets, and partial-order reduction with the fingerprint store, search with one worker and say so; with the compact store, with two', () => {
    const opts: CheckOptions = { params: { cpus: 2, gens: 2 }, liveness: false, workers: 2 };
    const sleep = check(model, allProperties, { ...opts, sleep: true });
    expect({ workers: sleep.workers, note: sleep.workersNote }).toEqual({ workers: 1, note: '1 worker, not 2: sleep sets depend on the order of expansion (without --sleep-sets to search with workers)' });
    const fp = check(model, allProperties, { ...opts, por: true, store: 'fingerprint' });
    expect({ workers: fp.workers, note: fp.workersNote }).toEqual({ workers: 1, note: '1 worker, not 2: partial-order reduction with workers needs the compact or exact store, not fingerprint' });
    expect(outcome(fp)).toEqual(outcome(check(model, allProperties, { ...opts, por: true, store: 'fingerprint', workers: 1 })));
    const compact = check(model, allProperties, { ...opts, por: true, store: 'compact' });
    expect({ workers: compact.workers, note: compact.workersNote, store: compact.store }).toEqual({ workers: 2, note: undefined, store: 'compact' });
    expect(outcome(compact)).toEqual(outcome(check(model, allProperties, { ...opts, por: true, store: 'compact', workers: 1 })));
  });

  it('a model that is not shipped (no recipe) searches with one worker and says so', () => {
    const rm = randomModel({ tape: tapeOf(1), mode: 'default' });
    const r = check(rm.model, rm.properties, { liveness: false, workers: 2 });
    expect(r.workers).toBe(1);
    expect(r.workersNote).toMatch(/cannot be rebuilt in a worker/);
  });

  it('--max-states with workers: incomplete, with the states covered', () => {
    const r = check(model, allProperties, { params: { cpus: 4, gens: 3 }, por: false, symmetry: false, liveness: false, workers: 2, maxStates: 3000 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-states 3000');
    expect(r.states).toBeGreaterThanOrEqual(3000);
  });

  it('progress with workers: between layers the queue is the layer about to be expanded', () => {
    const seen: { states: number; queue: number; depth: number }[] = [];
    const r = check(model, allProperties, { params: { cpus: 3, gens: 3 }, por: false, symmetry: false, liveness: false, workers: 2, progressMs: 0, onProgress: (p) => seen.push({ states: p.states, queue: p.queue, depth: p.depth }) });
    expect(r.verdict).toBe('ok');
    // The last report at each depth is the one between two layers: its queue is the new layer, which is
    // stored and not yet expanded (more than 0 states), never more than what is stored.
    // (the last layer has no successors: the search ends there without a report between layers, so
    // a report at its depth comes only from a poll while its phases run, which timing decides).
    const lastAt = new Map(seen.map((p) => [p.depth, p]));
    const between = Array.from({ length: r.depth }, (_, d) => lastAt.get(d)!);
    expect(between.every((p) => p !== undefined)).toBe(true);
    expect(between.every((p) => p.queue > 0 && p.queue <= p.states)).toBe(true);
  });

  it('--max-memory with workers (the whole process: every worker and its store): incomplete', () => {
    const r = check(model, allProperties, { params: { cpus: 4, gens: 3 }, por: false, symmetry: false, liveness: false, workers: 2, maxMemoryBytes: 2 ** 20 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-memory 1 MiB');
  });

  it('a stop request with workers: incomplete at interrupt, and the next search with the same workers is complete', () => {
    const r = check(model, allProperties, { params: { cpus: 4, gens: 3 }, por: false, symmetry: false, liveness: false, workers: 2, shouldStop: () => true });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe(INTERRUPT);
    const again = check(model, allProperties, { params: { cpus: 2, gens: 2 }, por: false, symmetry: false, liveness: false, workers: 2 });
    expect(outcome(again)).toEqual(outcome(check(model, allProperties, { params: { cpus: 2, gens: 2 }, por: false, symmetry: false, liveness: false })));
  });
});

describe('a search that starts in one thread and hands over to the workers when it outgrows the probe (the default without --workers)', () => {
  const sm = shipped.find((s) => s.model.name === 'shootdown')!;
  const model = sm.model as ModelDef;
  const opts: CheckOptions = { params: { cpus: 3, gens: 3 }, liveness: false, workers: 2 };

  it('more states than the probe: the workers search it, with the result of one thread', () => {
    const seq = check(model, allProperties, { ...opts, workers: 1 });
    const r = check(model, allProperties, { ...opts, probeStates: 100 });
    expect({ workers: r.workers, note: r.workersNote }).toEqual({ workers: 2, note: undefined });
    expect(outcome(r)).toEqual(outcome(seq));
    expect(seq.states).toBe(2169);
  });

  it('fewer states than the probe, or a violation within it: one thread, and no note', () => {
    const small = check(model, allProperties, { ...opts, probeStates: 10_000 });
    expect({ workers: small.workers, note: small.workersNote, verdict: small.verdict, states: small.states }).toEqual({ workers: 1, note: undefined, verdict: 'ok', states: 2169 });
    const broken = { ...opts, variant: sm.variants.find((v) => v.name === 'no-flush-on-unlazy')! };
    const seq = check(model, allProperties, { ...broken, workers: 1 });
    const r = check(model, allProperties, { ...broken, probeStates: 10_000 });
    expect(seq.verdict).toBe('violation');
    expect({ ...outcome(r), workers: r.workers }).toEqual({ ...outcome(seq), workers: 1 });
  });

  it('what cannot use workers searches in one thread without a note (the user did not ask for workers)', () => {
    const r = check(model, allProperties, { ...opts, probeStates: 100, sleep: true });
    expect({ workers: r.workers, note: r.workersNote, states: r.states }).toEqual({ workers: 1, note: undefined, states: 2169 });
  });

  it('a limit within the probe is the search’s: incomplete, in one thread', () => {
    const r = check(model, allProperties, { ...opts, probeStates: 1000, maxStates: 500 });
    expect({ verdict: r.verdict, limit: r.limit, workers: r.workers }).toEqual({ verdict: 'incomplete', limit: 'max-states 500', workers: 1 });
  });

  it('the default count: the cores the one-minute load leaves free, at least one', () => {
    expect([freeCores(2, 0.1), freeCores(2, 0.6), freeCores(2, 3.5), freeCores(8, 2.4), freeCores(1, 0)]).toEqual([2, 1, 1, 6, 1]);
  });
});
