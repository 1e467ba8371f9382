// LMMU-2 (docs/models/bugs.md): arm64 barrier batching (5fdd05efa1cd, v6.16-rc) assumed lazy MMU sections never
// nest and warned on arch_enter_lazy_mmu_mode() with TIF_LAZY_MMU already set; with DEBUG_PAGEALLOC,
// zap_pte_range() → page free → __kernel_map_pages() → apply_to_page_range() enters again.
// Fixed by 1ef3095b1405 (arm64: permit lazy_mmu mode to be nested).
import { defineVariant } from '../../../src/lang/variant.ts';

export default defineVariant({
  model: 'lazy-mmu',
  name: 'arm64-nested-warn',
  description: 'arm64 v6.16-rc with 5fdd05efa1cd only: direct hooks, warning on a nested enter',
  flags: { arch: 'arm64', layer: 'directHooks', arm64NestedEnter: 'warn' },
  violates: ['L1'],
});
