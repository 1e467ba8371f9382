// Store-buffer semantics (memory 'tso' and 'weak') on the classic litmus tests, checked with the fast
// explorer and cross-checked with the reference explorer.
import { describe, expect, it } from 'vitest';
import { fastCheck as check } from './fast.ts';
import { bool } from '../../src/lang/domain.ts';
import { defineModel, rules, seq, step, type ModelDef } from '../../src/lang/model.ts';
import { property, type PropertyDef } from '../../src/lang/property.ts';
import { perCpu, plain, type RecordDecl } from '../../src/lang/schema.ts';
import { exploreReference } from '../../src/reference/explore.ts';

/** Both explorers' verdict and property; they must agree. */
function verdictOf<P extends string, F extends string, D extends RecordDecl>(model: ModelDef<P, F, D>, props: readonly PropertyDef[], memory: string, flags: Record<string, boolean> = {}) {
  const fast = check(model, props, { memory, flags });
  const ref = exploreReference(model, props, { memory, flags });
  expect({ verdict: ref.verdict, property: ref.property, states: ref.states }).toEqual({ verdict: fast.verdict, property: fast.property, states: fast.states });
  return fast;
}

// Store buffering (Dekker): each CPU stores its own flag, then loads the other's. Under SC one of the
// loads must see 1; under TSO both loads can run while both stores sit in the store buffers. A full
// fence between the store and the load (smp_mb) forbids it again.
const sbModel = defineModel({
  name: 'litmus-sb',
  title: 'store buffering',
  description: 'CPU c: flag[c] = 1; r[c] = flag[1-c]',
  params: {},
  flags: { fenced: { default: false, doc: 'smp_mb() between the store and the load' } },
  actors: () => ({ cpu: 2 }),
  state: () => ({ cpu: perCpu(2, { flag: plain(bool()), r: bool(), done: bool() }) }),
  procedures: (_p, f) => [
    seq(
      'thread',
      'cpu',
      [
        step('W', 'WRITE_ONCE(flag[me], 1)', { when: (s, c) => !s.cpu[c].done, do: (s, c) => void (s.cpu[c].flag = true) }),
        step('R', 'r = READ_ONCE(flag[other])', {
          fence: f.fenced,
          do: (s, c) => {
            s.cpu[c].r = s.cpu[1 - c].flag;
            s.cpu[c].done = true;
          },
        }),
      ],
      { entry: true },
    ),
  ],
  end: (s) => s.cpu[0].done && s.cpu[1].done,
  memory: ['sc', 'tso', 'weak'],
});
const sbProps = [
  property({
    name: 'not-both-zero',
    statement: 'At least one CPU sees the other CPU’s store.',
    ref: 'store buffering litmus',
    models: ['litmus-sb'],
    check: (s) => (s.cpu[0].done && s.cpu[1].done && !s.cpu[0].r && !s.cpu[1].r ? 'both loads returned 0' : null),
  }),
];

// Message passing: CPU0 stores data then flag; CPU1 loads flag then data. Seeing flag = 1 and data = 0
// needs the two stores to become visible out of order: TSO forbids it (FIFO store buffer), the weak
// level allows it (store→store reordering), and a fence between the stores forbids it again.
const mpModel = defineModel({
  name: 'litmus-mp',
  title: 'message passing',
  description: 'CPU0: data = 1; flag = 1. CPU1: r1 = flag; r2 = data',
  params: {},
  flags: { fenced: { default: false, doc: 'smp_wmb() between the stores' } },
  actors: () => ({ cpu: 2 }),
  state: () => ({ data: plain(bool()), flag: plain(bool()), r1: bool(), r2: bool(), started: perCpu(2, bool()), done: bool() }),
  procedures: (_p, f) => [
    seq(
      'writer',
      'cpu',
      [
        step('W1', 'WRITE_ONCE(data, 1)', { when: (s, c) => c === 0 && !s.started.get(0), do: (s) => void ((s.data = true), s.started.set(0, true)) }),
        step('W2', 'WRITE_ONCE(flag, 1)', { fence: f.fenced, do: (s) => void (s.flag = true) }),
      ],
      { entry: true },
    ),
    seq(
      'reader',
      'cpu',
      [
        step('R1', 'r1 = READ_ONCE(flag)', { when: (s, c) => c === 1 && !s.started.get(1), do: (s) => void ((s.r1 = s.flag), s.started.set(1, true)) }),
        step('R2', 'r2 = READ_ONCE(data)', { do: (s) => void ((s.r2 = s.data), (s.done = true)) }),
      ],
      { entry: true },
    ),
  ],
  end: () => true,
  memory: ['sc', 'tso', 'weak'],
});
const mpProps = [
  property({
    name: 'mp',
    statement: 'A reader that sees the flag sees the data.',
    ref: 'message passing litmus',
    models: ['litmus-mp'],
    check: (s) => (s.done && s.r1 && !s.r2 ? 'flag = 1 but data = 0' : null),
  }),
];

describe('store buffering (Dekker)', () => {
  it('sc: both loads returning 0 is unreachable', () => {
    expect(verdictOf(sbModel, sbProps, 'sc').verdict).toBe('ok');
  });

  it('tso: both loads can return 0, with both stores still buffered', () => {
    const r = verdictOf(sbModel, sbProps, 'tso');
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('not-both-zero');
    // Shortest: both stores, then both loads; no drain happened.
    expect(r.trace!.map((t) => `${t.actor} ${t.label}`)).toEqual(['cpu0 W', 'cpu0 R', 'cpu1 W', 'cpu1 R']);
  });

  it('tso and weak: a fence on the load step forbids it', () => {
    expect(verdictOf(sbModel, sbProps, 'tso', { fenced: true }).verdict).toBe('ok');
    expect(verdictOf(sbModel, sbProps, 'weak', { fenced: true }).verdict).toBe('ok');
  });

  it('weak: both loads can return 0 too', () => {
    expect(verdictOf(sbModel, sbProps, 'weak').property).toBe('not-both-zero');
  });
});

describe('message passing', () => {
  it('sc and tso: a reader that sees the flag sees the data', () => {
    expect(verdictOf(mpModel, mpProps, 'sc').verdict).toBe('ok');
    expect(verdictOf(mpModel, mpProps, 'tso').verdict).toBe('ok');
  });

  it('weak: the flag store can become visible before the data store', () => {
    const r = verdictOf(mpModel, mpProps, 'weak');
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('mp');
    // The drain of the flag entry (entry 1) overtakes the older data entry.
    expect(r.trace!.map((t) => `${t.actor} ${t.label}${t.choiceText ? ` ${t.choiceText}` : ''}`)).toEqual([
      'cpu0 W1',
      'cpu0 W2',
      'cpu0 drain entry=1',
      'cpu1 R1',
      'cpu1 R2',
    ]);
  });

  it('weak: a fence between the stores forbids it', () => {
    expect(verdictOf(mpModel, mpProps, 'weak', { fenced: true }).verdict).toBe('ok');
  });
});

// One CPU stores x then y (plain), then marks done (not plain, so visible at once). The invariant
// reads memory: "done implies x reached memory".
function storesModel(depth: number, fenceInEffect: boolean) {
  return defineModel({
    name: 'stores',
    title: 'two stores',
    description: 'x = 1; y = 1; done = 1',
    params: {},
    flags: {},
    actors: () => ({ cpu: 1 }),
    state: () => ({ x: plain(bool()), y: plain(bool()), done: bool() }),
    procedures: (_p) => [
      seq(
        'p',
        'cpu',
        [
          step('X', 'x = 1', { when: (s) => !s.done, do: (s) => void (s.x = true) }),
          step('Y', 'y = 1; done = 1', {
            do: (s, _c, x) => {
              s.y = true;
              if (fenceInEffect) x.fence();
              s.done = true;
            },
          }),
        ],
        { entry: true },
      ),
    ],
    end: () => true,
    memory: ['sc', 'tso', 'weak'],
    storeBufferDepth: depth,
  });
}
const storesProps = [
  property({
    name: 'x-visible',
    statement: 'Once done is set, x is in memory.',
    ref: 'store buffer depth',
    models: ['stores'],
    check: (s) => (s.done && !s.x ? 'x still buffered' : null),
  }),
];

describe('store buffer details', () => {
  it('a full buffer drains its oldest entry before taking a new store', () => {
    // Depth 1: the store of y pushes x out to memory.
    expect(verdictOf(storesModel(1, false), storesProps, 'tso').verdict).toBe('ok');
    expect(verdictOf(storesModel(1, false), storesProps, 'weak').verdict).toBe('ok');
    // Depth 2: x can still be buffered when done is set.
    expect(verdictOf(storesModel(2, false), storesProps, 'tso').property).toBe('x-visible');
  });

  it('x.fence() inside an effect drains the buffer at once', () => {
    expect(verdictOf(storesModel(2, true), storesProps, 'tso').verdict).toBe('ok');
    expect(verdictOf(storesModel(2, true), storesProps, 'weak').verdict).toBe('ok');
  });

  it('a CPU reads its own buffered store; another CPU reads memory', () => {
    // cpu0 stores x and reads it back; then cpu1 reads x. Under TSO cpu0 sees its store through its
    // own buffer while cpu1 can still read the old value from memory.
    const m = defineModel({
      name: 'forward',
      title: 'store forwarding',
      description: 'cpu0: x = 1; r0 = x. then cpu1: r1 = x',
      params: {},
      flags: {},
      actors: () => ({ cpu: 2 }),
      state: () => ({ x: plain(bool()), r0: bool(), r1: bool(), read0: bool(), read1: bool() }),
      procedures: (_p) => [
        rules('prog', 'cpu', [
          step('W', 'x = 1', { when: (s, c) => c === 0 && !s.x, do: (s) => void (s.x = true) }),
          step('R0', 'r0 = x', { when: (s, c) => c === 0 && !s.read0, do: (s) => void ((s.r0 = s.x), (s.read0 = true)) }),
          step('R1', 'r1 = x', { when: (s, c) => c === 1 && s.read0 && s.r0 && !s.read1, do: (s) => void ((s.r1 = s.x), (s.read1 = true)) }),
        ]),
      ],
      end: () => true,
      memory: ['sc', 'tso'],
    });
    const props = [
      property({
        name: 'order',
        statement: 'a CPU reading x after cpu0 read back its store of x sees it',
        ref: 'store forwarding',
        models: ['forward'],
        check: (s) => (s.read1 && !s.r1 ? 'cpu1 read 0 after cpu0 read 1' : null),
      }),
    ];
    expect(verdictOf(m, props, 'sc').verdict).toBe('ok');
    const r = verdictOf(m, props, 'tso');
    expect(r.property).toBe('order');
    expect(r.trace!.map((t) => `${t.actor} ${t.label}`)).toEqual(['cpu0 W', 'cpu0 R0', 'cpu1 R1']);
  });
});
