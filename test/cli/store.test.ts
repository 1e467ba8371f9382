// The state store on the command line: --store chooses it (a misspelling exits 2 with the close
// matches), --json and the verdict line name it (the fingerprint store's `ok` is worded as
// probabilistic, with TLC's estimate), --max-memory counts the whole process, and a search
// interrupted after its parent links went to disk leaves no temp file behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runJson } from './run.ts';

describe('lazytlb check --store', () => {
  it('a misspelled store exits 2 naming the close match', async () => {
    const r = await run('check', 'shootdown', '--store', 'fingerprnt');
    expect(r.code).toBe(2);
    expect(r.err).toBe("lazytlb: unknown --store value 'fingerprnt' (did you mean fingerprint?); accepted: compact, exact, fingerprint\n");
  });

  it('every store: the same counts; --json names the store, the packed size and bytes per state', async () => {
    const args = ['check', 'shootdown', '--param', 'cpus=4', '--no-symmetry'];
    const [byDefault, compact, exact, fp] = [await runJson(...args), await runJson(...args, '--store', 'compact'), await runJson(...args, '--store', 'exact'), await runJson(...args, '--store', 'fingerprint')];
    expect([byDefault.code, compact.code, exact.code, fp.code]).toEqual([0, 0, 0, 0]);
    // A one-word state: the plain store by default (the compact one above two words).
    expect(byDefault.json.store).toMatchObject({ kind: 'exact', packedBytes: 4 });
    expect(compact.json.store).toMatchObject({ kind: 'compact', probabilistic: false, packedBytes: 4 });
    expect(exact.json.store).toMatchObject({ kind: 'exact', probabilistic: false, packedBytes: 4 });
    expect(fp.json.store).toMatchObject({ kind: 'fingerprint', probabilistic: true, packedBytes: 4 });
    expect(fp.json.store.missProbability).toBe((fp.json.states * (fp.json.transitions + 1 - fp.json.states)) / 2 ** 64);
    expect(new Set([compact.json.states, exact.json.states, fp.json.states]).size).toBe(1);
    expect(compact.json.store.bytesPerState).toBeCloseTo(compact.json.memoryBytes / compact.json.states, 2);
  });

  it("the fingerprint store's ok says it is probabilistic and gives the estimate", async () => {
    const r = await run('check', 'shootdown', '--store', 'fingerprint');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nok: no violation of [^;]+ in the states explored \(probabilistic: 64-bit fingerprints, estimated probability that a state was missed \d\.\de-\d+\): [\d,]+ states/);
  });
});

describe('lazytlb check --max-memory', () => {
  it('counts the whole process: a limit below the process but above the store stops the search', async () => {
    // shootdown(4,4) stores far less than 40 MiB; the process (Node itself) is above it at once.
    const full = await runJson('check', 'shootdown', '--param', 'cpus=4', '--param', 'gens=4', '--no-symmetry', '--no-liveness');
    expect(full.json.memoryBytes).toBeLessThan(40 * 2 ** 20);
    const r = await runJson('check', 'shootdown', '--param', 'cpus=4', '--param', 'gens=4', '--no-symmetry', '--no-liveness', '--max-memory', '40');
    expect(r.code).toBe(3);
    expect(r.json).toMatchObject({ verdict: 'incomplete', limit: 'max-memory 40 MiB' });
    expect(r.json.states).toBeLessThan(full.json.states);
  });
});

describe('lazytlb check, interrupted with parent links on disk', () => {
  it('SIGINT after the first progress report: incomplete, exit 130, no temp files left', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lazytlb-store-test-'));
    try {
      // The first `progress:` line comes after 30 s, past the first 65,536 states: the parent links
      // have been spilled to a file under TMPDIR by then.
      // One worker: this is the one-thread store's spill file (workers.test.ts interrupts the workers').
      const child = spawn(process.execPath, ['bin/lazytlb.mjs', 'check', 'shootdown', '--scope', 'wide', '--no-symmetry', '--json', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
      let out = '';
      let err = '';
      let open: string[] = [];
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => {
        err += b;
        if (!err.includes('progress:') || child.killed) return;
        // The spill file is open, its name already removed (Linux shows the descriptor's path).
        const fds = `/proc/${child.pid}/fd`;
        if (existsSync(fds)) open = readdirSync(fds).map((fd) => { try { return readlinkSync(`${fds}/${fd}`); } catch { return ''; } }).filter((p) => p.startsWith(tmp));
        child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(130);
      const json = JSON.parse(out);
      expect(json).toMatchObject({ verdict: 'incomplete', limit: 'interrupt', store: { kind: 'compact' } });
      expect(json.states).toBeGreaterThan(1 << 16);
      if (existsSync('/proc/self/fd')) expect(open).toEqual([expect.stringMatching(/\/lazytlb-\w+\/spill \(deleted\)$/)]);
      // Nothing of the store's is left (tsx-*: the TypeScript loader's own cache).
      expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
