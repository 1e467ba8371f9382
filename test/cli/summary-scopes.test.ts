// `lazytlb summary --scope NAME` checks, in every shipped model, the scope NAME and the scopes of its
// family (NAME-*: deep and deep-4cpus).
import { describe, expect, it } from 'vitest';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { scopesIn, variantsAt } from '../../src/cli/commands/summary.ts';
import { run } from './run.ts';

const withScopes = (...names: string[]) => ({ model: { scopes: Object.fromEntries(names.map((n) => [n, { doc: n }])) } }) as unknown as ShippedModel;

describe('summary --scope: a scope and its family', () => {
  it('takes NAME and NAME-*, not a longer name or another family', () => {
    const sm = withScopes('wide', 'deep', 'deep-4cpus', 'deeper', 'wide-deep');
    expect(scopesIn(sm, 'deep')).toEqual(['deep', 'deep-4cpus']);
    expect(scopesIn(sm, 'wide')).toEqual(['wide', 'wide-deep']);
    expect(scopesIn(sm, 'deep-4cpus')).toEqual(['deep-4cpus']);
    expect(scopesIn(withScopes(), 'deep')).toEqual([]);
  });

  it('every model in the summary declares a wide and a deep scope', () => {
    for (const sm of shipped.filter((s) => s.summary)) {
      expect(scopesIn(sm, 'wide'), sm.model.name).toContain('wide');
      expect(scopesIn(sm, 'deep'), sm.model.name).toContain('deep');
    }
  });

  it('--variants: every historical variant that declares what it violates, at a named scope only', () => {
    const x86 = shipped.find((s) => s.model.name === 'x86-lazy-tlb')!;
    expect(variantsAt(x86, undefined, true).map((v) => v.name)).toEqual(['v6.14']);
    expect(variantsAt(x86, 'deep', false)).toEqual([]);
    const all = variantsAt(x86, 'deep', true).map((v) => v.name);
    expect(all).toEqual(x86.variants.filter((v) => v.violates?.length).map((v) => v.name));
    expect(all).toContain('v5.9');
    expect(all).not.toContain('v5.10');
  });

  it('--variants without --scope is a usage error', async () => {
    const r = await run('summary', '--variants');
    expect([r.code, r.err.trim()]).toEqual([2, 'lazytlb: --variants needs --scope NAME (at the default scope the summary shows its chosen historical variants)']);
  });
});
