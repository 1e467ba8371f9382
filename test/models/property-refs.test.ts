// What a property's `ref` cites must ship with the project: every `.md` a property's ref or its
// source file names is a file under docs/ (relative to the repository root), a `#anchor` after it is
// one of that file's headings, and a step `procedure:LABEL` a ref cites beside a docs/steps/ file is
// named in that file. The x86 properties cite the step reference's "Properties" sections.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allProperties } from '../../properties/index.ts';
import lazyTlb from '../../properties/lazy-tlb.ts';

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
const anchorsOf = (file: string) => new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

/** What is wrong with the documents a text cites: each `.md` path that does not resolve, each anchor or step not found. */
function unresolved(text: string): string[] {
  const bad: string[] = [];
  const docs = [...text.matchAll(/[\w./-]+\.md(?!\w)(#[\w-]+)?/g)].map((m) => m[0]);
  for (const d of docs) {
    const [file, anchor] = d.split('#');
    if (!file.startsWith('docs/') || !existsSync(file)) bad.push(`${d}: no such file under docs/`);
    else if (anchor !== undefined && !anchorsOf(file).has(anchor)) bad.push(`${d}: no heading with that anchor`);
  }
  const stepDocs = docs.map((d) => d.split('#')[0]).filter((f) => f.startsWith('docs/steps/') && existsSync(f));
  for (const m of text.matchAll(/\b([a-z_]+:[A-Za-z0-9]+)\b/g)) {
    if (stepDocs.length > 0 && !stepDocs.some((f) => readFileSync(f, 'utf8').includes(`\`${m[1]}\``))) bad.push(`${m[1]}: not a step of ${stepDocs.join(', ')}`);
  }
  return bad;
}

const sources = readdirSync('properties').filter((f) => f.endsWith('.ts'));
describe('property references name shipped documents', () => {
  it('every x86-lazy-tlb property cites its section of docs/steps/x86-lazy-tlb.md, and everything it cites exists', () => {
    expect(lazyTlb.length).toBeGreaterThanOrEqual(11);
    for (const p of lazyTlb) {
      expect(p.ref, p.name).toContain(`docs/steps/x86-lazy-tlb.md#${p.name.toLowerCase()}`);
      expect(unresolved(p.ref), p.name).toEqual([]);
    }
  });

  it('properties/lazy-tlb.ts names no document outside docs/, in refs or comments', () => {
    expect(unresolved(readFileSync('properties/lazy-tlb.ts', 'utf8'))).toEqual([]);
  });

  it('every property file names only shipped documents and steps they list, in refs and comments', () => {
    const failing = sources.map((f) => [f, unresolved(readFileSync(`properties/${f}`, 'utf8'))] as const).filter(([, bad]) => bad.length > 0);
    expect(failing).toEqual([]);
    for (const p of allProperties) expect(unresolved(p.ref), p.name).toEqual([]);
  });

  it('the check catches a missing file, a missing anchor and a step the cited reference does not name', () => {
    expect(unresolved('lazy-tlb.md P1')).toEqual(['lazy-tlb.md: no such file under docs/']);
    expect(unresolved('docs/steps/x86-lazy-tlb.md#p99')).toEqual(['docs/steps/x86-lazy-tlb.md#p99: no heading with that anchor']);
    expect(unresolved('docs/steps/x86-lazy-tlb.md#p1 (flush_tlb_func:T99)')).toEqual(['flush_tlb_func:T99: not a step of docs/steps/x86-lazy-tlb.md']);
    expect(unresolved('docs/fidelity.md#p7e-a-flush-covers-its-own-range-x86-lazy-tlb-xen-pv')).toEqual([]);
  });
});
