// The stuck-actor violation through the command line: a variant file that hangs a CPU fails check
// and regress (never `ok`, never "no violation"); its trace is stored, and replay re-checks it by
// exploring what is reachable from its end (still stuck on the variant, not on mainline).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  it('check: violation of stuck, exit 1; --save stores it and replay re-checks it from the trace end', async () => {
    const r = await run('check', 'shootdown', '--variant', './lost-ipi.ts');
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation of stuck after');
    const s = await run('check', 'shootdown', '--variant', './lost-ipi.ts', '--save');
    expect(s.code).toBe(1);
    const file = 'counterexamples/shootdown/lost-ipi/stuck.json';
    expect(s.out).toContain(`saved: ${file}`);
    expect(existsSync(file)).toBe(true);
    const again = await run('replay', file, '--variant', './lost-ipi.ts');
    expect(again.code).toBe(1);
    expect(again.out).toContain('still violates stuck after step 3');
    expect(again.out).toContain('the flush never completes: flush_tlb_mm_range of generation 1 waits for the flush IPIs of cpu1, and stays there in every execution from here');
    const fixed = await run('replay', file, '--variant', 'mainline');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('no longer reproduces: all 3 steps apply and no property is violated (every actor busy at the end of the trace can still get back to rest)');
  });

  it('a lasso (a wait that fairness does not force to complete): shown with its cycle, saved, replayed', async () => {
    const fixture = new URL('../fixtures/variants/shootdown-retry-ipi.ts', import.meta.url).pathname;
    const r = await run('check', 'shootdown', '--variant', fixture, '--save');
    expect(r.code).toBe(1);
    expect(r.out).toContain('violation of flush-returns: a lasso of 4 steps and a cycle of 11 steps');
    expect(r.out).toContain('  ↻  the cycle: steps 5-15 repeat forever, from the state after step 4');
    expect(r.out).toContain('  ↻  back to the state after step 4');
    const file = 'counterexamples/shootdown/shootdown-retry-ipi/flush-returns.json';
    expect(JSON.parse(readFileSync(file, 'utf8')).cycleAt).toBe(4);
    const again = await run('replay', file, '--variant', fixture);
    expect(again.code).toBe(1);
    expect(again.out).toContain("the cycle of steps 5-15 returns to the state it starts in, keeps flush-returns's wait open and is weakly fair");
    const fixed = await run('replay', file, '--variant', 'mainline');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('no longer reproduces');
  });

  it('regress: lists the stuck actor as a violation new compared to mainline, exit 1', async () => {
    const r = await run('regress', '--variant', './lost-ipi.ts');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/full check of \.\/lost-ipi\.ts: shootdown violates stuck \(\d+ steps\) — new compared to mainline/);
    expect(r.out).not.toContain('no violation');
  });
});
