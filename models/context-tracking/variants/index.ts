// The historical kernels of the context-tracking model (docs/models/bugs.md CT-1, CT-2).
import type { VariantDef } from '../../../src/lang/variant.ts';
import v58IdtentryCondRcu from './v5.8-rc-idtentry-cond-rcu.ts';
import x8664PreV43Syscall from './x86-64-pre-v4.3-syscall.ts';

export const contextTrackingVariants: readonly VariantDef[] = [v58IdtentryCondRcu, x8664PreV43Syscall];
