// The HTML view rendered in headless Chromium: the screenshot shows one lane per actor and the
// violation box; the page holds the state after every step for the hover panel; laid out by the
// browser, no text of a step box or of the violation box lies outside its box (nothing is cut or
// spills over), and the dashed fence-pair arrows are placed between the two fence steps.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

function browse(dir: string, url: string, size: string, out: string[]): string {
  return execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${size}`, ...out, url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
}

// Run in the laid-out page: every piece of text in a step box or the violation box (an HTML box, or
// an SVG group's rect) must lie inside that box; the placed arrows' end points.
const MEASURE = `<script>
addEventListener('load', () => {
  const clipped = [];
  for (const b of document.querySelectorAll('.step, .violation')) {
    const f = (b.querySelector(':scope > rect') || b).getBoundingClientRect();
    const w = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest('title')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const t = range.getBoundingClientRect();
      if (t.left < f.left - 1 || t.right > f.right + 1 || t.top < f.top - 1 || t.bottom > f.bottom + 1) clipped.push(n.textContent.trim().slice(0, 60));
    }
  }
  const pairs = [...document.querySelectorAll('line.pair')].map((l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({ clipped, pairs });
  document.body.appendChild(out);
});
</script>`;

/** Lays out the page in Chromium and returns what MEASURE found. */
function measure(dir: string, html: string): { clipped: string[]; pairs: number[][] } {
  const probe = join(dir, 'probe.html');
  writeFileSync(probe, readFileSync(html, 'utf8').replace('</body>', `${MEASURE}</body>`));
  const dom = browse(dir, `file://${probe}`, '1200,800', ['--dump-dom']);
  const m = /<pre id="measured">([^<]*)<\/pre>/.exec(dom);
  expect(m, 'the measuring script ran').not.toBeNull();
  return JSON.parse(m![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
}

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

    browse(dir, `file://${html}`, '1200,1600', [`--screenshot=${png}`]);
    const img = readPng(readFileSync(png));
    expect(img.width).toBe(1200);
    // Four lanes (cpu0, cpu1, cpu2, flusher0): the most runs of lane color at least 200 px wide in a
    // row (the lanes' names split the rows they are on).
    let lanes = 0;
    for (let y = 0; y < img.height; y++) {
      const xs = columnsWith(img, y, LANE);
      let wide = 0;
      for (let i = 0, start = 0; i < xs.length; i++) {
        if (i + 1 === xs.length || xs[i + 1] !== xs[i] + 1) {
          if (xs[i] - xs[start] + 1 >= 200) wide++;
          start = i + 1;
        }
      }
      lanes = Math.max(lanes, wide);
    }
    expect(lanes).toBe(4);
    expect(countColor(img, VIOLATION)).toBeGreaterThan(20_000);
    expect(measure(dir, html).clipped).toEqual([]);
  });

  it('the state after each step lists the stores still in a CPU\'s buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lazytlb-html-'));
    const html = join(dir, 'x86.html');
    expect((await run('show', 'counterexamples/x86-lazy-tlb/no-sw3c-fence/P1.json', '--html', html)).code).toBe(0);
    const states: [string, string][][] = JSON.parse(/const states = (.*);\n/.exec(readFileSync(html, 'utf8'))![1]);
    const buffered = states.map((s) => s.find(([k]) => k === 'cpu1 store buffer')?.[1] ?? '');
    // SW3b (step 3) buffers the store, R1's serializing CR3 write (step 15) drains it, R2 buffers the next.
    expect(buffered.slice(2, 5)).toEqual(['', 'cpu[1].loadedMm := SWITCHING', 'cpu[1].loadedMm := SWITCHING']);
    expect(buffered.slice(14, 17)).toEqual(['cpu[1].loadedMm := SWITCHING', '', 'cpu[1].loadedMm := mm1']);
  });

  it.skipIf(!chromium && !required)('cuts nothing: long step names, kernel code and the reason stay inside their boxes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lazytlb-html-'));
    // x86 under TSO: `flush_tlb_mm_range:F5 (trim=0)`, a 130-character reason.
    const html = join(dir, 'x86.html');
    expect((await run('show', 'counterexamples/x86-lazy-tlb/no-sw3c-fence/P1.json', '--html', html)).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('because: cpu1 accesses page 0 of mm1 through a TLB entry of page-table version 1, but a flush covering version 2 has completed');
    expect(page).toContain('cpu[1].loadedMm := SWITCHING (buffered)');
    expect(measure(dir, html).clipped).toEqual([]);
    // v6.14's P3: two fence pairs, each arrow from the earlier fence (cpu1, the left edge of lane 2)
    // down to the later one (cpu0, the right edge of lane 1).
    const p3 = join(dir, 'p3.html');
    expect((await run('show', 'counterexamples/x86-lazy-tlb/v6.14/P3.json', '--html', p3)).code).toBe(0);
    const { clipped, pairs } = measure(dir, p3);
    expect(clipped).toEqual([]);
    expect(pairs).toHaveLength(2);
    for (const [x1, y1, x2, y2] of pairs) {
      expect(x1).toBeGreaterThan(x2);
      expect(y2).toBeGreaterThan(y1);
    }
  });
});
