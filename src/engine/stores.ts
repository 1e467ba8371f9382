// The choice of visited-state store (`--store`): one factory, so the search names a kind only.
//   compact      exact, tree-compressed, parent links spilled to disk (the default above two words)
//   exact        exact, whole packed states in memory (the plain hash table; the default for states of
//                one or two words, where the tree has only its root and the plain table, holding the
//                state inline in its entry, is faster: 1.5-1.9x on inserts of known states)
//   fingerprint  64-bit fingerprints (probabilistic, as TLC), states and links spilled to disk
// The exact and compact stores can be shared: their tables in SharedArrayBuffers, looked up from
// another thread through a reader over their view (the parallel search's partitions, with
// partial-order reduction).
import { FingerprintStore } from './fingerprint-store.ts';
import { StateStore, type StoreView, type VisitedStore } from './store.ts';
import { TreeStore, type TreeView } from './tree-store.ts';

export const STORE_KINDS = ['compact', 'exact', 'fingerprint'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The store used when none is asked for: by the packed state's size. */
export function defaultStore(words: number): StoreKind {
  return words <= 2 ? 'exact' : 'compact';
}

/** The kinds that can be shared (`shared` in createStore). */
export const SHARED_KINDS: readonly StoreKind[] = ['compact', 'exact'];

/**
 * `followInserts`: the store is fed successors of states it did not read (tree-store.ts); `order`:
 * the compact store's leaf order (the program's `wordOrder`); `shared`: its tables in
 * SharedArrayBuffers (a kind of SHARED_KINDS), for `viewOf`.
 */
export function createStore(kind: StoreKind, words: number, followInserts = false, order?: readonly number[], shared = false): VisitedStore {
  if (shared && !SHARED_KINDS.includes(kind)) throw new Error(`internal: the ${kind} store cannot be shared`);
  switch (kind) {
    case 'compact':
      return new TreeStore(words, followInserts, order, shared);
    case 'exact':
      return new StateStore(words, 1 << 16, shared);
    case 'fingerprint':
      return new FingerprintStore(words);
  }
}

/** What another thread needs to look states up in a shared store. */
export type SharedView = StoreView | TreeView;

/** The view of a store made `shared` (valid until it next inserts). */
export function viewOf(store: VisitedStore): SharedView {
  if (store instanceof StateStore || store instanceof TreeStore) return store.view;
  throw new Error(`internal: the ${store.kind} store has no view`);
}

/** A read-only store over a view (only `find` answers). */
export function readerOf(v: SharedView): Pick<VisitedStore, 'find'> {
  return v.kind === 'exact' ? StateStore.reader(v) : TreeStore.reader(v);
}
