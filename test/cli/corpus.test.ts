// The stored regression corpus: every counterexample replays as the violation it records on its own
// variant, is stored shrunk (a bounded search finds no shorter trace), and on mainline no longer
// reproduces, except where mainline has a declared open finding of the same property (a violation:
// regress exits 1 on mainline).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { loadCounterexample } from '../../src/trace/cexfile.ts';
import { boundedSearch } from '../../src/engine/bounded.ts';
import { replayFile } from '../../src/cli/commands/replay.ts';
import { run } from './run.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.json') && !e.name.endsWith('.itf.json') ? [join(dir, e.name)] : []));
}
const corpus = files('counterexamples').sort();

describe('the stored counterexamples', () => {
  it('cover every variant known to violate a property', () => {
    const stored = new Set(corpus.map((f) => f.split('/').slice(1, 3).join('/')));
    const expected = shipped.flatMap((s) => s.variants.filter((v) => v.violates?.length).map((v) => `${s.model.name}/${v.name}`));
    expect([...stored].sort()).toEqual(expected.sort());
  });

  for (const file of corpus) {
    it(`${file} replays as its violation, shortest`, async () => {
      const c = loadCounterexample(file);
      const { outcome, prog } = await replayFile(c, file);
      expect(outcome.status).toBe('violates');
      if (outcome.status !== 'violates') return;
      expect(outcome.property).toBe(c.property);
      expect(outcome.at).toBe(c.steps.length - 1);
      // Shrunk: no trace one step shorter violates the same property in the same scope.
      expect(boundedSearch(prog, c.property, c.steps.length - 1, Infinity, 500_000).trace).toBeUndefined();
    });
  }

  it('on mainline: no longer reproduce, but for the open finding, which is a violation: exit 1', async () => {
    const r = await run('regress');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const rows = r.out.split('\n').filter((l) => l.startsWith('counterexamples/'));
    expect(rows).toHaveLength(corpus.length);
    for (const row of rows) {
      if (/no longer reproduces/.test(row)) continue;
      // Only the membarrier counterexamples of MBP-1/MBP-2 can still fail on mainline: its open finding.
      expect(row).toMatch(/^counterexamples\/membarrier\/\S+\/MBP-[12]\.json\s+still violates\s+by another interleaving/);
    }
    expect(r.out).toContain('full check of mainline: membarrier violates MBP-1 (35 steps) — a known open finding of mainline');
    expect(r.out).toContain('full check of mainline: 1 of 6 model(s) violate a property');
    expect(r.out).not.toContain('no violation');
  });

  it('with the open finding fixed, none reproduces', async () => {
    const r = await run('regress', '--model', 'membarrier', '--set', 'switchMmSameMmShortcut=false');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('counterexamples/')).every((l) => /no longer reproduces/.test(l))).toBe(true);
  });

  it('a historical variant still violates with its own counterexample', async () => {
    const r = await run('regress', '--model', 'x86-lazy-tlb', '--variant', 'v2.6.39');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/counterexamples\/x86-lazy-tlb\/v2\.6\.39\/P3\.json\s+still violates\s+the same trace: P3 after step 11/);
    expect(r.out).toMatch(/full check of v2\.6\.39: x86-lazy-tlb violates P3 \(11 steps\) — new compared to mainline/);
  });
});
