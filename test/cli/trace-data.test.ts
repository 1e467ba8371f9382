// A trace is data: replay, show and shrink never import the variant file a trace names (the user
// names it with --variant); a trace path that is not a small regular file, and an output path that
// cannot be written, are one-line errors with exit 2.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inFreshDir, run } from './run.ts';

const dir = inFreshDir('lazytlb-data-');

const PATCH = `import { defineVariant } from 'lazytlb/src/lang/variant.ts';\nexport default defineVariant({ model: 'shootdown', name: 'p', description: 'no catch-up flush', flags: { flushOnUnlazy: false } });\n`;
const SAVED = 'counterexamples/shootdown/p/no-stale-user.json';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const oneLine = (err: string) => expect(err.trim().split('\n')).toHaveLength(1);

/** A trace of the shootdown bug that names `file` as its variant. */
function traceNaming(file: string): string {
  const c = { format: 'lazytlb-counterexample', version: 1, model: 'shootdown', variant: { name: null, file, set: {} }, flags: { flushOnUnlazy: false }, params: { cpus: 3, gens: 3 }, memory: 'sc', property: 'no-stale-user', reason: 'r', steps: [{ actor: 'cpu0', procedure: 'switch_to_user', label: 'U', choice: 0 }] };
  return JSON.stringify(c);
}

/** The first path where `op` fails with EACCES (root passes file modes, so also a kernel file), or null. */
function denied(candidates: (() => string)[], op: (p: string) => void): string | null {
  for (const make of candidates) {
    const p = make();
    try {
      op(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') return p;
    }
  }
  return null;
}

describe('a variant file named by a trace', () => {
  it('check --save records the file relative to the trace and its sha256', async () => {
    writeFileSync('p.ts', PATCH);
    const c = await run('check', 'shootdown', '--variant', './p.ts', '--save');
    expect(c.code).toBe(1);
    expect(c.out).toContain(`saved: ${SAVED}`);
    expect(JSON.parse(readFileSync(SAVED, 'utf8')).variant).toEqual({ name: null, file: '../../../p.ts', sha256: sha(PATCH), set: {} });
  });

  // The file a trace names would leave a marker if it were ever imported.
  for (const [how, path] of [
    ['an absolute path', () => join(dir(), 'evil.ts')],
    ['a ../.. path', () => '../../evil.ts'],
  ] as const) {
    for (const cmd of ['replay', 'show', 'shrink']) {
      it(`${cmd} of a trace naming ${how} imports nothing: exit 2, pass --variant`, async () => {
        writeFileSync('evil.ts', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir(), 'MARKER'))}, 'imported');\nexport default {};\n`);
        mkdirSync('a/b', { recursive: true });
        writeFileSync('a/b/t.json', traceNaming(path()));
        const r = await run(cmd, 'a/b/t.json');
        expect(r.code).toBe(2);
        expect(r.err).toBe(`lazytlb: a/b/t.json was found with the variant file evil.ts; a trace never loads code it names: pass --variant evil.ts (or where that file is now)\n`);
        expect(existsSync('MARKER')).toBe(false);
      });
    }
  }

  it('replay, show and shrink with --variant, from another directory; a changed file is a warning', async () => {
    writeFileSync('p.ts', PATCH);
    await run('check', 'shootdown', '--variant', './p.ts', '--save');
    mkdirSync('elsewhere');
    process.chdir('elsewhere');
    const r = await run('replay', `../${SAVED}`, '--variant', '../p.ts');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('shootdown --variant p: replaying 6 steps (stored violation: no-stale-user)');
    expect(r.out).toContain('still violates no-stale-user after step 6');
    const s = await run('show', `../${SAVED}`, '--variant', '../p.ts');
    expect(s.code).toBe(0);
    expect(s.out).toContain('violated: no-stale-user');
    const k = await run('shrink', `../${SAVED}`, '--variant', '../p.ts', '--json');
    expect(k.code).toBe(0);
    expect(JSON.parse(k.out)).toMatchObject({ property: 'no-stale-user', to: { length: 6 } });

    writeFileSync('../p.ts', PATCH + '// edited\n');
    const w = await run('replay', `../${SAVED}`, '--variant', '../p.ts');
    expect(w.err).toBe('lazytlb: warning: the variant file changed since this trace was saved (../p.ts)\n');
    expect(w.code).toBe(1);
    expect(w.out).toContain('still violates no-stale-user after step 6');
  });
});

describe('a trace path that is not a counterexample file', () => {
  const cases: [string, () => string, RegExp][] = [
    ['/dev/zero', () => '/dev/zero', /^lazytlb: \/dev\/zero: not a regular file, not a counterexample file$/],
    ['a directory', () => (mkdirSync('d'), 'd'), /^lazytlb: d: a directory, not a counterexample file$/],
    ['a missing file', () => 'nope.json', /^lazytlb: nope\.json: no such file$/],
    ['a huge file', () => (writeFileSync('big.json', ''), truncateSync('big.json', 17 * 2 ** 20), 'big.json'), /^lazytlb: big\.json: 17825792 bytes, larger than a counterexample can be \(at most 16777216 bytes\)$/],
    ['a file that cannot be read', () => '/proc/self/mem', /^lazytlb: \/proc\/self\/mem: cannot read: input\/output error$/],
  ];
  for (const [what, make, msg] of cases) {
    for (const cmd of ['replay', 'show', 'shrink']) {
      it(`${cmd} of ${what}: exit 2, one line`, async () => {
        const r = await run(cmd, make());
        expect(r.code).toBe(2);
        oneLine(r.err);
        expect(r.err.trim()).toMatch(msg);
      });
    }
  }
});

describe('a trace file without read permission', () => {
  for (const cmd of ['replay', 'show', 'shrink']) {
    it(`${cmd}: exit 2, permission denied`, async (t) => {
      const path = denied([() => (writeFileSync('locked.json', '{}'), chmodSync('locked.json', 0), 'locked.json'), () => '/proc/1/mem'], (p) => readFileSync(p));
      if (path === null) return t.skip();
      const r = await run(cmd, path);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`lazytlb: ${path}: cannot read: permission denied\n`);
    });
  }
});

describe('show --html onto a path that cannot be written', () => {
  it('a directory without write permission', async (t) => {
    await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    const path = denied([() => (mkdirSync('ro'), chmodSync('ro', 0o555), 'ro/race.html'), () => '/sys/race.html', () => '/proc/sys/race.html'], (p) => writeFileSync(p, ''));
    if (path === null) return t.skip();
    const r = await run('show', 'counterexamples/shootdown/no-flush-on-unlazy/no-stale-user.json', '--html', path);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`lazytlb: cannot write ${path}: permission denied\n`);
  });

  const bug = 'counterexamples/shootdown/no-flush-on-unlazy/no-stale-user.json';
  const cases: [string, () => string, RegExp][] = [
    ['a directory', () => (mkdirSync('out'), 'out'), /^lazytlb: out is a directory; not written$/],
    ['a missing directory', () => 'no/such/dir/race.html', /^lazytlb: cannot write no\/such\/dir\/race\.html: no such file or directory$/],
    ['an existing file', () => (writeFileSync('race.html', 'mine'), 'race.html'), /^lazytlb: race\.html exists; not overwritten \(use --force\)$/],
    ['a path under a file', () => (writeFileSync('f', 'mine'), 'f/race.html'), /^lazytlb: cannot write f\/race\.html: a component of the path is not a directory$/],
  ];
  for (const [what, make, msg] of cases) {
    it(what, async () => {
      await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
      const out = make();
      const before = existsSync(out) && !out.endsWith('out') ? readFileSync(out, 'utf8') : null;
      const r = await run('show', bug, '--html', out, ...(what === 'a directory' ? ['--force'] : []));
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err.trim()).toMatch(msg);
      if (before !== null) expect(readFileSync(out, 'utf8')).toBe(before);
    });
  }
});
