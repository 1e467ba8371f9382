// The random-model seed: one per run, shared by the test processes, and a given one is taken as is.
import { describe, expect, it } from 'vitest';
import { parseSeed, SEED } from './seed.ts';

describe('the random-model seed', () => {
  it('is the one vitest.config.ts chose or was given (every test process draws from it)', () => {
    expect(process.env.LAZYTLB_SEED).toBeDefined();
    expect(SEED).toBe(parseSeed(process.env.LAZYTLB_SEED!));
  });

  it('is read as decimal or 0x hex, and anything else is refused', () => {
    expect(parseSeed('0x1a2b3c')).toBe(0x1a2b3c);
    expect(parseSeed(' 42 ')).toBe(42);
    for (const bad of ['', 'abc', '-5', '1e3', '4.5', '0x80000000']) expect(() => parseSeed(bad), bad).toThrow(/LAZYTLB_SEED/);
  });
});
