// The variant API of xen-pv, context-tracking and lazy-mmu (models/<model>/api.ts): the example
// variant of each "Variant API" section of docs/language.md, written to a file as a user would and
// checked through the CLI, loads and reports the verdict the section documents.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inFreshDir, runJson } from '../cli/run.ts';

const doc = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
/** The first ```ts block of the section `### Variant API: <model>`. */
function example(model: string): string {
  const at = doc.indexOf(`### Variant API: ${model}\n`);
  expect(at, `section for ${model}`).toBeGreaterThanOrEqual(0);
  const m = /```ts\n([\s\S]*?)```/.exec(doc.slice(at));
  return m![1];
}

describe('variant API examples of docs/language.md', () => {
  const dir = inFreshDir('lazytlb-api-');
  const cases: [string, string, number | null][] = [
    ['context-tracking', 'CTP-6', 34],
    ['xen-pv', 'X1', 21],
    ['lazy-mmu', 'L1', null],
  ];
  for (const [model, property, length] of cases) {
    it(`${model}: the example loads and reports ${property}`, async () => {
      const file = join(dir(), `${model}-example.ts`);
      writeFileSync(file, example(model));
      const r = await runJson('check', model, '--variant', file, '--no-liveness');
      expect(r.err).toBe('');
      expect([r.json.verdict, r.json.property]).toEqual(['violation', property]);
      if (length !== null) expect(r.json.trace.length).toBe(length);
    });
  }
});
