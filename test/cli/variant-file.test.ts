// A variant file loads from any directory (no package.json above it, so Node would take .ts and .js
// for CommonJS), importing lazytlb's helpers as `lazytlb/src/...` or by absolute path; a syntax
// error names the file, line and column in one line.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inFreshDir, run } from './run.ts';

const repo = resolve('.');
const dir = inFreshDir('lazytlb-variant-');

// The README's patch: flush on unlazy switched off, written as a variant file in the user's own tree.
const body = `export default defineVariant({ model: 'shootdown', name: 'my-patch', description: 'no catch-up flush', flags: { flushOnUnlazy: false } });\n`;

describe('a variant file outside the repository', () => {
  const cases: [string, string][] = [
    ['my-patch.ts', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\n${body}`],
    ['my-patch.mts', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\n${body}`],
    ['my-patch.js', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\n${body}`],
    ['my-patch.mjs', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\n${body}`],
    ['abs.ts', `import { defineVariant } from '${repo}/src/lang/variant.ts';\n${body}`],
  ];
  for (const [name, text] of cases) {
    it(`${name} loads and checks`, async () => {
      writeFileSync(name, text);
      const r = await run('check', 'shootdown', '--variant', `./${name}`);
      expect(r.err).toBe('');
      expect(r.code).toBe(1);
      expect(r.out).toContain('shootdown --variant my-patch (cpus=3 gens=3, memory sc)');
      expect(r.out).toContain('violation of no-stale-user after 6 steps (52 states');
    });
  }

  it('through the lazytlb command itself, as the README says (Node takes a .ts file here for CommonJS)', () => {
    const cli = (cwd: string, file: string) => spawnSync(process.execPath, [join(repo, 'bin/lazytlb.mjs'), 'check', 'shootdown', '--variant', file, '--json'], { cwd, encoding: 'utf8' });
    writeFileSync('my-patch.ts', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\n${body}`);
    writeFileSync('abs.ts', `import { defineVariant } from '${repo}/src/lang/variant.ts';\n${body}`);
    for (const r of [cli(repo, join(dir(), 'my-patch.ts')), cli(dir(), './abs.ts')]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'violation', variant: 'my-patch', property: 'no-stale-user', states: 52 });
    }
  });

  it('with a step edit and a helper file of its own', async () => {
    writeFileSync('helper.ts', `export const LABEL: string = 'switch_to_kthread:K';\n`);
    writeFileSync('edit.ts', `import { defineVariant, remove } from 'lazytlb/src/lang/variant.ts';\nimport { LABEL } from './helper.ts';\nexport default defineVariant({ model: 'shootdown', name: 'no-kthread', description: 'x', edits: [remove(LABEL)] });\n`);
    // Without switches to a kthread no CPU is ever lazy: no stale TLB (and 31 states, not 52).
    const r = await run('check', 'shootdown', '--variant', 'edit.ts', '--no-deadlock', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'ok', variant: 'no-kthread', states: 31 });
  });

  it('a syntax error names file:line:col in one line; --debug shows the full error', async () => {
    writeFileSync('broken.ts', `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\nexport default defineVariant({ model: 'shootdown', name: 'x' description: 'y' });\n`);
    const r = await run('check', 'shootdown', '--variant', 'broken.ts');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`lazytlb: variant file broken.ts does not load: broken.ts:2:62: Expected "}" but found "description"\n`);
    const d = await run('check', 'shootdown', '--variant', 'broken.ts', '--debug');
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/caused by: Error: Build failed with 1 error:\n.*broken\.ts:2:61: ERROR: Expected "}" but found "description"/);
  });

  it('an import that does not resolve names it', async () => {
    writeFileSync('typo.ts', `import { defineVariant } from 'lazytlb/src/lang/variants.ts';\n${body}`);
    const r = await run('check', 'shootdown', '--variant', 'typo.ts');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^lazytlb: variant file typo\.ts does not load: typo\.ts:1:31: Could not resolve "lazytlb\/src\/lang\/variants\.ts": lazytlb has no such file/);
  });
});
