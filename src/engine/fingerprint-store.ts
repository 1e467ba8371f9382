// The fingerprint store (`--store fingerprint`, opt-in): as TLC's FPSet, a state is known by a 64-bit
// fingerprint of its packed words, so two states with the same fingerprint are taken for one and the
// second is never explored. The search is then probabilistic: `ok` means no violation among the
// states it explored, and missProbability() is TLC's estimate that some state was missed. The
// fingerprints are a PairTable (dense by id, with its index); the packed states (the BFS queue and
// the states a trace rebuild reads) and the parent links are SpillLogs, resident a block at a time.
import { PairTable } from './pair-table.ts';
import { SpillLog } from './spill.ts';
import { fmix32, mixWords, type VisitedStore } from './store.ts';

export class FingerprintStore implements VisitedStore {
  readonly kind = 'fingerprint';
  private readonly fps = new PairTable(1 << 16);
  private readonly states: SpillLog;
  private readonly links = new SpillLog(2);

  constructor(readonly words: number) {
    this.states = new SpillLog(words);
  }

  get count(): number {
    return this.fps.count;
  }

  get bytes(): number {
    return this.fps.bytes + this.states.bytes + this.links.bytes;
  }

  insert(buf: Uint32Array, parent: number, via: number): number {
    const id = this.fps.insert(fingerprintHigh(buf, this.words), fingerprintLow(buf, this.words));
    if (id < 0) return id;
    this.states.append(buf, 0);
    this.links.append2(parent, via);
    return id;
  }

  find(buf: Uint32Array): number {
    return this.fps.find(fingerprintHigh(buf, this.words), fingerprintLow(buf, this.words));
  }

  read(id: number, out: Uint32Array): void {
    this.states.read(id, out);
  }

  parentOf(id: number): number {
    return this.links.word(id, 0);
  }

  viaOf(id: number): number {
    return this.links.word(id, 1);
  }
}

/**
 * TLC's estimate ("calculated (optimistic)") of the probability that the search missed a state:
 * distinct × (generated − distinct) / 2^64, the chance that one of the generated states that was
 * found already stored was in fact a new state with a colliding fingerprint.
 */
export function missProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

/** The fingerprint's two halves: murmur3 over the words with two different seeds. */
export function fingerprintHigh(buf: Uint32Array, n: number): number {
  return murmur(buf, n, 0x3c6ef372);
}

export function fingerprintLow(buf: Uint32Array, n: number): number {
  return murmur(buf, n, 0x510e527f);
}

function murmur(buf: Uint32Array, n: number, seed: number): number {
  return fmix32(mixWords(seed ^ n, buf, n, 0) ^ (n * 4));
}
