// The fast explorer's check pipeline, taking a model with its own parameter, flag and state types.
import { check, type CheckResult } from '../../src/pipeline/check.ts';
import type { ExploreOptions } from '../../src/engine/bfs.ts';
import type { InstanceOptions } from '../../src/lang/instantiate.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import type { PropertyDef } from '../../src/lang/property.ts';
import type { RecordDecl } from '../../src/lang/schema.ts';

export function fastCheck<P extends string, F extends string, D extends RecordDecl>(
  model: ModelDef<P, F, D>,
  properties: readonly PropertyDef[],
  opts: InstanceOptions & ExploreOptions & { readonly liveness?: boolean } = {},
): CheckResult {
  return check(model as unknown as ModelDef, properties, opts);
}
