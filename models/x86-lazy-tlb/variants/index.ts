// The named variants of x86-lazy-tlb: historical kernels (the shapes of docs/steps/x86-lazy-tlb.md) and, for each
// catalogued bug, the kernel just before and just after its fix from the bug's warm start.
import type { VariantDef } from '../../../src/lang/variant.ts';
import v2_6_39 from './v2.6.39.ts';
import v3_0 from './v3.0.ts';
import v4_13 from './v4.13.ts';
import v4_14 from './v4.14.ts';
import v5_9 from './v5.9.ts';
import v5_10 from './v5.10.ts';
import v6_13 from './v6.13.ts';
import v6_14 from './v6.14.ts';
import v6_12y from './v6.12.y.ts';
import v6_12yPv from './v6.12.y-pv.ts';
import preFea4 from './pre-fea4e317f9e7.ts';
import fea4 from './fea4e317f9e7.ts';
import pre3ef9 from './pre-3ef938c35035.ts';
import fix3ef9 from './3ef938c35035.ts';
import noSw3cFence from './no-sw3c-fence.ts';

export const x86LazyTlbVariants: readonly VariantDef[] = [v2_6_39, v3_0, v4_13, v4_14, v5_9, v5_10, v6_13, v6_12y, v6_12yPv, v6_14, preFea4, fea4, pre3ef9, fix3ef9, noSw3cFence];
