// The named variants of xen-pv: the kernels around XEN-1 and a patch example on the mainline skeleton.
import type { VariantDef } from '../../../src/lang/variant.ts';
import v2_6_23 from './v2.6.23.ts';
import v2_6_24 from './v2.6.24.ts';
import v4_12 from './v4.12.ts';
import linuxView from './linux-view.ts';

export const xenPvVariants: readonly VariantDef[] = [v2_6_23, v2_6_24, v4_12, linuxView];
