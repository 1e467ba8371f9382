// Runs the fast explorer (the check pipeline) and the reference explorer on the same instance and
// lists where they disagree.
import { check, type CheckResult } from '../../src/pipeline/check.ts';
import type { InstanceOptions } from '../../src/lang/instantiate.ts';
import type { ModelDef } from '../../src/lang/model.ts';
import type { PropertyDef } from '../../src/lang/property.ts';
import type { RecordDecl } from '../../src/lang/schema.ts';
import { exploreReference, type ReferenceResult } from '../../src/reference/explore.ts';

/** The fast explorer's trace in the reference's notation: `cpu0 proc:label`, ` [choice]` when it chooses. */
export function fastTrace(f: CheckResult): string[] {
  return (f.rawTrace ?? []).map((r) => {
    const st = f.program.steps[r.step];
    return `${st.actorKind}${r.actor} ${st.name}${st.choices > 1 ? ` [${r.choice}]` : ''}`;
  });
}

export interface Pair {
  readonly fast: CheckResult;
  readonly ref: ReferenceResult;
}

export function runBoth<P extends string, F extends string, D extends RecordDecl>(
  model: ModelDef<P, F, D>,
  properties: readonly PropertyDef[],
  opts: InstanceOptions & { maxStates?: number } = {},
): Pair {
  const fast = check(model as unknown as ModelDef, properties, opts);
  const ref = exploreReference(model, properties, opts);
  return { fast, ref };
}

/**
 * The differences between the two results. Both explorers search breadth-first and try transitions
 * in the language's order (actor kinds as declared, instances in index order, the candidate steps at
 * the actor's pc, choices in order), so they agree on the first violation found, its trace (a
 * shortest one), the BFS level it was found at, and, for a complete search, on every count.
 */
export function differences({ fast, ref }: Pair): string[] {
  const out: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what}: fast ${JSON.stringify(a)}, reference ${JSON.stringify(b)}`);
  };
  same('verdict', fast.verdict, ref.verdict);
  same('property', fast.property, ref.property);
  same('depth', fast.depth, ref.depth);
  if (fast.verdict === 'ok' && ref.verdict === 'ok') {
    same('states', fast.states, ref.states);
    same('transitions', fast.transitions, ref.transitions);
  }
  if (ref.verdict === 'violation') same('reason', fast.reason, ref.reason);
  if (ref.verdict === 'error') same('offending step', stepOf(fast.reason), stepOf(ref.reason));
  if (ref.verdict !== 'ok') {
    same('trace length', fast.rawTrace?.length, ref.traceLength);
    same('trace', fastTrace(fast), ref.trace);
  }
  return out;
}

/** `proc:label` at the head of a model error's message. */
function stepOf(reason: string | undefined): string {
  return /^([^:\s]+:[^:\s]+):/.exec(reason ?? '')?.[1] ?? '';
}
