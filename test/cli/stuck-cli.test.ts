// The stuck-actor violation through the command line: a variant file that hangs a CPU fails check
// and regress (never `ok`, never "no violation"), and its trace is not stored as a counterexample
// that replay would then call fixed.
import { existsSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { inFreshDir, run } from './run.ts';

inFreshDir('lazytlb-stuck-');
beforeEach(() => {
  writeFileSync(
    'lost-ipi.ts',
    `import { defineVariant, replace } from 'lazytlb/src/lang/variant.ts';\nimport { step } from 'lazytlb/src/lang/model.ts';\nexport default defineVariant({ model: 'shootdown', name: 'lost-ipi', description: 'the flush IPI is never taken', edits: [replace('flush_ipi:I', step('I', 'the flush IPI is never taken', { when: () => false }))] });\n`,
  );
});

describe('a variant that hangs a CPU', () => {
  it('check: violation of stuck, exit 1; with --save the trace is shown and not stored (exit 2)', async () => {
    const r = await run('check', 'shootdown', '--variant', './lost-ipi.ts');
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation of stuck after');
    const s = await run('check', 'shootdown', '--variant', './lost-ipi.ts', '--save');
    expect(s.code).toBe(2);
    expect(s.out).toContain('violation of stuck after');
    expect(s.err).toBe('lazytlb: a stuck-actor violation is not stored: replay and regress check the safety properties of a trace, not what is reachable from its end\n');
    expect(existsSync('counterexamples')).toBe(false);
  });

  it('regress: lists the stuck actor as a violation new compared to mainline, exit 1', async () => {
    const r = await run('regress', '--variant', './lost-ipi.ts');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/full check of \.\/lost-ipi\.ts: shootdown violates stuck \(\d+ steps\) — new compared to mainline/);
    expect(r.out).not.toContain('no violation');
  });
});
