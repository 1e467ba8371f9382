// check --dump-generated DIR: every generated function of the run, one file each, named after the
// model and the function, with its sourceURL; a DIR that exists and is not empty is refused (exit 2,
// one line) and nothing in it is touched.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inFreshDir, run } from './run.ts';

describe('check --dump-generated', () => {
  inFreshDir('lazytlb-dump-');

  it('writes pack, unpack, the successor generator and each view class of the model to a new directory', async () => {
    const r = await run('check', 'shootdown', '--dump-generated', 'gen');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok: no violation/m);
    expect(readdirSync('gen').sort()).toEqual(['shootdown.expand.js', 'shootdown.pack.js', 'shootdown.unpack.js', 'shootdown.view-recording.s.cpu[].js', 'shootdown.view-recording.s.js', 'shootdown.view.s.cpu[].js', 'shootdown.view.s.js']);
    const pack = readFileSync('gen/shootdown.pack.js', 'utf8');
    expect(pack).toMatch(/^\/\/ \(s, d, o\) =>\nd\[o\+0\]=s\[0\]\|/);
    expect(pack).toContain('//# sourceURL=lazytlb-generated/shootdown/pack.js');
    expect(readFileSync('gen/shootdown.view.s.cpu[].js', 'utf8')).toContain('//# sourceURL=lazytlb-generated/shootdown/view.s.cpu[].js');
    // The successor generator: one block per candidate step, headed by the step's name and text.
    const expand = readFileSync('gen/shootdown.expand.js', 'utf8');
    expect(expand).toContain('//# sourceURL=lazytlb-generated/shootdown/expand.js');
    expect(expand).toMatch(/^\/\/ flush_start:F: /m);
  });

  it('the generated functions follow the memory model: under tso the view loads plain fields through the store buffer', async () => {
    const r = await run('check', 'x86-lazy-tlb', '--memory', 'tso', '--max-states', '1', '--no-liveness', '--dump-generated', 'tso');
    expect(r.code).not.toBe(2);
    const cpu = readFileSync('tso/x86-lazy-tlb.view.s.cpu[].js', 'utf8');
    expect(cpu).toContain('M.ld(');
    expect(cpu).toContain('M.st(');
  });

  it('refuses a directory that is not empty, in one line, exit 2, and keeps its files', async () => {
    mkdirSync('full');
    writeFileSync('full/mine.txt', 'keep');
    const r = await run('check', 'shootdown', '--dump-generated', 'full');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual(['lazytlb: --dump-generated full: the directory is not empty (nothing is overwritten; give a new or empty one)']);
    expect(r.out).toBe('');
    expect(readdirSync('full')).toEqual(['mine.txt']);
    expect(readFileSync('full/mine.txt', 'utf8')).toBe('keep');
  });

  it('accepts an empty directory', async () => {
    mkdirSync('empty');
    const r = await run('check', 'shootdown', '--dump-generated', 'empty');
    expect(r.code).toBe(0);
    expect(readdirSync('empty')).toContain('shootdown.unpack.js');
  });
});
