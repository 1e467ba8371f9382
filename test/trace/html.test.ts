// The HTML view rendered in headless Chromium: the screenshot shows one lane per actor and the
// violation box; the page holds the state after every step for the hover panel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/run.ts';
import { countColor, columnsWith, readPng } from '../helpers/png.ts';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
// CI installs Chromium and sets LAZYTLB_REQUIRE_BROWSER=1, so there the test cannot be skipped.
const required = process.env.LAZYTLB_REQUIRE_BROWSER === '1';
const LANE: [number, number, number] = [0xee, 0xf3, 0xfb];
const VIOLATION: [number, number, number] = [0xd9, 0x30, 0x25];

describe('lazytlb show --html', () => {
  it.skipIf(!chromium && !required)('renders the lanes and the violation in headless Chromium', async () => {
    expect(chromium, 'Chromium is required (apt-get install -y chromium)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'lazytlb-html-'));
    const html = join(dir, 'cex.html');
    const png = join(dir, 'cex.png');
    const home = process.cwd();
    process.chdir(dir);
    try {
      await run('check', 'shootdown', '--variant', 'no-flush-on-unlazy', '--save');
    } finally {
      process.chdir(home);
    }
    const saved = join(dir, 'counterexamples/shootdown/no-flush-on-unlazy/no-stale-user.json');
    const r = await run('show', saved, '--html', html);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('violated: no-stale-user');
    expect(page).toContain('>flush_start:F<');
    expect(page).toMatch(/const states = \[\[\["cpu\[0\]\.mode","kthread"\]/);
    expect((await run('show', saved, '--html', html)).err).toMatch(/exists; not overwritten \(use --force\)/);

    execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--window-size=1200,800', `--screenshot=${png}`, `file://${html}`], { stdio: 'ignore', timeout: 60_000 });
    const img = readPng(readFileSync(png));
    expect(img.width).toBe(1200);
    // Four lanes (cpu0, cpu1, cpu2, flusher0): the most runs of lane color at least 100 px wide in a row.
    let lanes = 0;
    for (let y = 0; y < img.height; y++) {
      const xs = columnsWith(img, y, LANE);
      let wide = 0;
      for (let i = 0, start = 0; i < xs.length; i++) {
        if (i + 1 === xs.length || xs[i + 1] !== xs[i] + 1) {
          if (xs[i] - xs[start] + 1 >= 100) wide++;
          start = i + 1;
        }
      }
      lanes = Math.max(lanes, wide);
    }
    expect(lanes).toBe(4);
    expect(countColor(img, VIOLATION)).toBeGreaterThan(20_000);
  });
});
