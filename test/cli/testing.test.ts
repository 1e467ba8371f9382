// The examples in src/testing.ts's header, run exactly as written, and the helpers' failures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectNoViolation, expectViolation } from '../../src/testing.ts';

/** The `test(...)` lines of the header comment, as code. */
function documentedExamples(): string[] {
  return readFileSync('src/testing.ts', 'utf8')
    .split('\n')
    .filter((l) => /^\/\/\s+test\(/.test(l))
    .map((l) => l.replace(/^\/\/\s+/, ''));
}

describe('src/testing.ts', () => {
  const examples = documentedExamples();

  it('documents two examples', () => {
    expect(examples).toHaveLength(2);
  });

  for (const code of examples) {
    it(code.slice(0, 60), async () => {
      const bodies: (() => Promise<void>)[] = [];
      new Function('test', 'expectNoViolation', 'expectViolation', code)((_: string, fn: () => Promise<void>) => bodies.push(fn), expectNoViolation, expectViolation);
      expect(bodies).toHaveLength(1);
      await bodies[0]();
    });
  }

  it('fails with the outcome when it is not the expected one', async () => {
    await expect(expectViolation('shootdown', null, 'no-stale-user')).rejects.toThrow(/^expected a violation of no-stale-user, got shootdown: ok \(2169 states\)$/);
    await expect(expectNoViolation('shootdown', 'no-flush-on-unlazy')).rejects.toThrow(/^expected no violation, got shootdown --variant no-flush-on-unlazy: violation\n[\s\S]*violated: no-stale-user/);
  });
});
