// The LMMU-2 fix: 1ef3095b1405 permits nesting on arm64; the inner leave ends lazy mode for the rest
// of the outer section (less batching, still correct: L2 holds).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'arm64-nested-tolerate',
  description: 'arm64 v6.16 – v6.19: direct hooks, nested enter tolerated (1ef3095b1405)',
  flags: { arch: 'arm64', layer: 'directHooks', arm64NestedEnter: 'tolerate' },
  violates: [],
});
