// Every property family. The check binds properties to a model by the model names each declares.
import type { PropertyDef } from '../src/lang/property.ts';
import shootdown from './shootdown.ts';
import lazyTlb from './lazy-tlb.ts';
import xenPv from './xen-pv.ts';
import contextTracking from './context-tracking.ts';
import lazyMmu from './lazy-mmu.ts';
import membarrier from './membarrier.ts';
import liveness from './liveness.ts';

export const allProperties: readonly PropertyDef[] = [...shootdown, ...lazyTlb, ...xenPv, ...contextTracking, ...lazyMmu, ...membarrier, ...liveness];
