// The choice of visited-state store (`--store`): one factory, so the search names a kind only.
//   compact      exact, tree-compressed, parent links spilled to disk (the default above two words)
//   exact        exact, whole packed states in memory (the plain hash table; the default for states of
//                one or two words, where the tree has only its root and the plain table, holding the
//                state inline in its entry, is faster: 1.5-1.9x on inserts of known states)
//   fingerprint  64-bit fingerprints (probabilistic, as TLC), states and links spilled to disk
import { FingerprintStore } from './fingerprint-store.ts';
import { StateStore, type VisitedStore } from './store.ts';
import { TreeStore } from './tree-store.ts';

export const STORE_KINDS = ['compact', 'exact', 'fingerprint'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The store used when none is asked for: by the packed state's size. */
export function defaultStore(words: number): StoreKind {
  return words <= 2 ? 'exact' : 'compact';
}

/**
 * `followInserts`: the store is fed successors of states it did not read (tree-store.ts); `order`:
 * the compact store's leaf order (the program's `wordOrder`).
 */
export function createStore(kind: StoreKind, words: number, followInserts = false, order?: readonly number[]): VisitedStore {
  switch (kind) {
    case 'compact':
      return new TreeStore(words, followInserts, order);
    case 'exact':
      return new StateStore(words);
    case 'fingerprint':
      return new FingerprintStore(words);
  }
}
