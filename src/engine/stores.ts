// The choice of visited-state store (`--store`): one factory, so the search names a kind only.
//   compact      exact, tree-compressed, parent links spilled to disk (the default)
//   exact        exact, whole packed states in memory (the plain hash table)
//   fingerprint  64-bit fingerprints (probabilistic, as TLC), states and links spilled to disk
import { FingerprintStore } from './fingerprint-store.ts';
import { StateStore, type VisitedStore } from './store.ts';
import { TreeStore } from './tree-store.ts';

export const STORE_KINDS = ['compact', 'exact', 'fingerprint'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
export const DEFAULT_STORE: StoreKind = 'compact';

export function createStore(kind: StoreKind, words: number): VisitedStore {
  switch (kind) {
    case 'compact':
      return new TreeStore(words);
    case 'exact':
      return new StateStore(words);
    case 'fingerprint':
      return new FingerprintStore(words);
  }
}
