// Every property family. The check binds properties to a model by the model names each declares.
import type { PropertyDef } from '../src/lang/property.ts';
import shootdown from './shootdown.ts';

export const allProperties: readonly PropertyDef[] = [...shootdown];
