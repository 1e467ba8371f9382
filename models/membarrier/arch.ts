// Architecture parameters of membarrier (docs/models/membarrier.md section 7, README "Other architectures"):
// which scheduler steps are full barriers, which events are core-serializing, and what
// sync_core_before_usermode() does. Selected by the string flag `arch`.
export const ARCHS = ['x86', 'x86-pti', 'arm64', 'powerpc', 'riscv'] as const;
export type Arch = (typeof ARCHS)[number];

export interface ArchTraits {
  /** switch_mm to another mm writes CR3: serializing and a full barrier (x86). */
  readonly cr3WriteOnSwitch: boolean;
  /** membarrier_arch_switch_mm(): smp_mb() when next is registered and prev != NULL (powerpc, riscv). */
  readonly archSwitchMmBarrier: boolean;
  /** switch_to() executes `dsb ish` (arm64): barrier (e). */
  readonly switchToBarrier: boolean;
  /** How returns to user serialize: x86 only IRET (SYSRET/SYSEXIT do not), x86+PTI every return
   * (user CR3 write), arm64/powerpc every return (ERET, rfid), riscv none (SRET). */
  readonly returnToUser: 'iret-only' | 'always' | 'never';
  /** sync_core_before_usermode(): x86 sync_core() unless PTI; riscv fence.i; else nothing. */
  readonly syncCoreBeforeUsermode: boolean;
  /** ARCH_HAS_SYNC_CORE_BEFORE_USERMODE: finish_task_switch calls membarrier_mm_sync_core_before_usermode. */
  readonly hasSyncCoreBeforeUsermode: boolean;
  /** Void atomics and LOCKed RMWs (atomic_or, mmgrab) are full barriers (x86 only). */
  readonly lockedRmwIsMb: boolean;
  /** A serializing instruction is also a full memory barrier (x86); ERET / fence.i are not. */
  readonly serIsMb: boolean;
  /** riscv: mm->context.icache_stale_mask, set by prepare_sync_core_cmd, fence.i at switch_mm. */
  readonly icacheStaleMask: boolean;
  /** x86 switch_mm_irqs_off same-mm unlazy path (smp_mb, CR3 write only if the TLB is stale). */
  readonly x86Lazy: boolean;
}

export function archTraits(arch: string): ArchTraits {
  switch (arch as Arch) {
    case 'x86':
    case 'x86-pti':
      return {
        cr3WriteOnSwitch: true,
        archSwitchMmBarrier: false,
        switchToBarrier: false,
        returnToUser: arch === 'x86' ? 'iret-only' : 'always',
        syncCoreBeforeUsermode: arch === 'x86',
        hasSyncCoreBeforeUsermode: true,
        lockedRmwIsMb: true,
        serIsMb: true,
        icacheStaleMask: false,
        x86Lazy: true,
      };
    case 'arm64':
      return { cr3WriteOnSwitch: false, archSwitchMmBarrier: false, switchToBarrier: true, returnToUser: 'always', syncCoreBeforeUsermode: false, hasSyncCoreBeforeUsermode: false, lockedRmwIsMb: false, serIsMb: false, icacheStaleMask: false, x86Lazy: false };
    case 'powerpc':
      return { cr3WriteOnSwitch: false, archSwitchMmBarrier: true, switchToBarrier: false, returnToUser: 'always', syncCoreBeforeUsermode: false, hasSyncCoreBeforeUsermode: false, lockedRmwIsMb: false, serIsMb: false, icacheStaleMask: false, x86Lazy: false };
    case 'riscv':
      return { cr3WriteOnSwitch: false, archSwitchMmBarrier: true, switchToBarrier: false, returnToUser: 'never', syncCoreBeforeUsermode: true, hasSyncCoreBeforeUsermode: true, lockedRmwIsMb: false, serIsMb: false, icacheStaleMask: true, x86Lazy: false };
  }
  throw new Error(`unknown arch ${arch}`);
}

const TRAITS = new Map<string, ArchTraits>(ARCHS.map((a) => [a, archTraits(a)]));

/** The traits of the run's arch, from the step context's flags (a variant step's way to them). */
export function traitsOf(x: { readonly flags: { readonly [k: string]: any } }): ArchTraits {
  return TRAITS.get(x.flags.arch as string) ?? archTraits(x.flags.arch as string);
}
