// `lazytlb summary --scope NAME` checks, in every shipped model, the scope NAME and the scopes of its
// family (NAME-*: deep and deep-4cpus).
import { describe, expect, it } from 'vitest';
import { shipped, type ShippedModel } from '../../models/index.ts';
import { scopesIn } from '../../src/cli/commands/summary.ts';

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
});
