// Helpers for a kernel developer's own vitest (or any test runner) suite: put a patch proposal's
// check next to the patch. They throw an Error with the counterexample rendered when the outcome is
// not the expected one, so a failing test reads like a race report.
//
//   import { expectNoViolation, expectViolation } from 'lazytlb/src/testing.ts';
//   test('the v6.15 Xen PV hooks keep the lazy_mmu rules', async () => { await expectNoViolation('lazy-mmu', 'models/lazy-mmu/variants/xen-v6.15-no-nesting.ts'); });
//   test('v6.14 breaks P1', async () => { await expectViolation('x86-lazy-tlb', 'v6.14', 'P1'); });
//
// A variant is a shipped variant's name or the path of a variant file (relative to the working
// directory); README.md ("In your own test suite") shows the set-up outside this repository.
import { allProperties } from '../properties/index.ts';
import { findModel, findVariant } from './pipeline/load.ts';
import { actorNames, check, type CheckOptions, type CheckResult } from './pipeline/check.ts';
import { renderText } from './trace/render-text.ts';

export type ExpectOptions = Omit<CheckOptions, 'variant'>;

async function run(model: string, variant: string | null, opts: ExpectOptions): Promise<CheckResult> {
  const sm = findModel(model);
  return check(sm.model, allProperties, { ...opts, variant: await findVariant(sm, variant ?? undefined) });
}

function describe(r: CheckResult): string {
  const head = `${r.model}${r.variant ? ` --variant ${r.variant}` : ''}: ${r.verdict}`;
  if (r.verdict !== 'violation' && r.verdict !== 'error') return `${head} (${r.states} states${r.limit ? `, stopped at ${r.limit}` : ''})`;
  return `${head}\n${renderText({ rows: r.trace ?? [], property: r.property ?? '', statement: r.statement ?? '', reason: r.reason ?? '', actors: actorNames(r.program) })}`;
}

/** The model (variant: a shipped name, a variant file, or null for mainline) has no violation, on a complete search. */
export async function expectNoViolation(model: string, variant: string | null = null, opts: ExpectOptions = {}): Promise<CheckResult> {
  const r = await run(model, variant, opts);
  if (r.verdict !== 'ok') throw new Error(`expected no violation, got ${describe(r)}`);
  return r;
}

/** The model (variant) violates `property` (the first violation BFS finds, so with a shortest trace). */
export async function expectViolation(model: string, variant: string | null, property: string, opts: ExpectOptions = {}): Promise<CheckResult> {
  const r = await run(model, variant, { ...opts, properties: opts.properties ?? [property] });
  if (r.verdict !== 'violation' || r.property !== property) throw new Error(`expected a violation of ${property}, got ${describe(r)}`);
  return r;
}
