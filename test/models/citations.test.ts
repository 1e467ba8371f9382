// Citations of the reference documents: every `<doc>.md` that a comment or a property `ref:` in
// models/, src/ or properties/ names must be a file of the repository (a bare name resolves to
// docs/models/<doc>.md or docs/<doc>.md, a path such as docs/models/<doc>.md or docs/steps/<doc>.md
// to itself), and each section number ("section 4", "sections 3 and 7", "4.1–4.4") or id ("P7e",
// "MBP-0 … MBP-6", "L1") cited right after the name must be a heading of that document. Catalog ids
// cited before the name ("CT-2 (bugs.md)", "TLB-2 in bugs.md"), and every catalog id the sources use
// at all, must be headings of docs/models/bugs.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['models', 'src', 'properties'];
/** Prefixes of the ids of docs/models/bugs.md. */
const CATALOG = /\b(?:TLB|XEN|MB|CT|LMMU)-\d+\b/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface Citation {
  file: string;
  line: number;
  /** The document as written (`lazy-mmu.md`, `docs/models/lazy-mmu.md`, `docs/steps/xen-pv.md`). */
  doc: string;
  /** Section numbers (`4`, `4.1`) and ids (`P7e`, `MBP-2`) cited in it. */
  targets: string[];
}

/** The document a citation names: the path itself, or for a bare name docs/models/ then docs/. */
function resolve(doc: string): string | undefined {
  const candidates = doc.includes('/') ? [doc] : [`docs/models/${doc}`, `docs/${doc}`];
  return candidates.find((c) => existsSync(c));
}

const ID = /^[A-Z][A-Za-z]*-?\d+[a-z]?$/;
const NUM = /^\d+(?:\.\d+)?$/;

/** Expands `4.1–4.4` to 4.1 … 4.4 and `MBP-0 … MBP-6` to MBP-0 … MBP-6 (same stem only). */
function range(from: string, to: string): string[] {
  const split = (s: string) => /^(.*?)(\d+)([a-z]?)$/.exec(s)!;
  const [, a, i] = split(from);
  const [, b, j] = split(to);
  if (a !== b || Number(j) < Number(i)) return [from, to];
  return Array.from({ length: Number(j) - Number(i) + 1 }, (_, k) => `${a}${Number(i) + k}`);
}

/** The targets cited in the text that follows a document name, up to the end of the citation. */
function targetsIn(after: string): string[] {
  // drop parentheticals (they name other documents' ids, or explain), innermost first
  let text = after;
  for (let prev = ''; prev !== text; ) [prev, text] = [text, text.replace(/\([^()]*\)/g, ' ')];
  const [head, ...rest] = text.split(/[;)'"`\n]|\.(?:\s|$)/);
  // a later clause of a `ref:` string that only names a section of the same document
  const clauses = [head, ...rest.filter((c, k) => k === 0 && /\bsections? \d/.test(c) && !/\.md\b/.test(c))];
  const out: string[] = [];
  for (const clause of clauses) {
    const tokens = clause.split(/[\s,:/]+|(?=[–…])|(?<=[–…])/).filter((t) => t !== '');
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === 'and' || t === 'section' || t === 'sections') continue;
      const ranged = /^(.+?)[–-](.+)$/.exec(t);
      if (NUM.test(t) || ID.test(t)) {
        if ((tokens[k + 1] === '–' || tokens[k + 1] === '…') && tokens[k + 2] && (NUM.test(tokens[k + 2]) || ID.test(tokens[k + 2]))) {
          out.push(...range(t, tokens[k + 2]));
          k += 2;
        } else out.push(t);
      } else if (ranged && NUM.test(ranged[1]) && NUM.test(ranged[2])) out.push(...range(ranged[1], ranged[2]));
      else if (clause === head) break;
      else continue;
    }
  }
  return out;
}

const DOC = /(?<![\w./-])((?:[\w-]+\/)*[a-z0-9-]+\.md)(?![\w-])/g;

/** Every document citation in a source file; comment lines are joined so a citation may wrap. */
function citationsIn(file: string, source: string): Citation[] {
  const out: Citation[] = [];
  const lines = source.split('\n');
  lines.forEach((line, k) => {
    for (const m of line.matchAll(DOC)) {
      const next = (lines[k + 1] ?? '').replace(/^\s*(?:\/\/|\*)\s?/, '');
      const after = line.slice(m.index + m[0].length) + (/^\s*(?:\/\/|\*)/.test(lines[k + 1] ?? '') ? ` ${next}` : '');
      const upto = after.search(DOC);
      out.push({ file, line: k + 1, doc: m[1], targets: targetsIn(upto < 0 ? after : after.slice(0, upto)) });
    }
    // "CT-2 (bugs.md", "TLB-2 in bugs.md": the id before the name
    for (const m of line.matchAll(/\b([A-Z]+-\d+) (?:\(|in )((?:docs\/models\/)?bugs\.md)/g)) out.push({ file, line: k + 1, doc: m[2], targets: [m[1]] });
  });
  return out;
}

/** Whether `doc` has a heading whose text starts with the section number or id. */
function hasHeading(doc: string, target: string): boolean {
  const escaped = target.replace(/\./g, '\\.');
  const tail = NUM.test(target) ? '(?:\\.?\\s|\\.?$)' : '(?![\\w-])';
  return new RegExp(`^#{1,6}\\s+${escaped}${tail}`, 'm').test(doc);
}

const sources = ROOTS.flatMap(tsFiles).map((file) => [file, readFileSync(file, 'utf8')] as const);
const citations = sources.flatMap(([file, text]) => citationsIn(file, text));
const where = (c: Citation) => `${c.file}:${c.line} ${c.doc}`;

describe('citations of the reference documents', () => {
  it('finds the citations the sources make', () => {
    // a guard on the scanner itself: the property refs and module comments cite all six documents
    const docs = new Set(citations.map((c) => c.doc.replace(/^docs\/models\//, '')));
    for (const d of ['lazy-tlb.md', 'membarrier.md', 'context-tracking.md', 'lazy-mmu.md', 'xen-pv.md', 'bugs.md']) expect(docs).toContain(d);
    expect(citations.length).toBeGreaterThan(100);
  });

  it('every cited document is a file of the repository', () => {
    expect(citations.filter((c) => resolve(c.doc) === undefined).map(where)).toEqual([]);
  });

  it('every cited section number and id is a heading of its document', () => {
    const unresolved = citations.flatMap((c) => {
      const path = resolve(c.doc);
      if (path === undefined) return [];
      const text = readFileSync(path, 'utf8');
      return c.targets.filter((t) => !hasHeading(text, t)).map((t) => `${where(c)} ${t}`);
    });
    expect(unresolved).toEqual([]);
  });

  it('every catalog id the sources use has an entry in docs/models/bugs.md', () => {
    const ids = new Set(sources.flatMap(([, text]) => text.match(CATALOG) ?? []));
    expect(ids.size).toBeGreaterThan(10);
    const bugs = existsSync('docs/models/bugs.md') ? readFileSync('docs/models/bugs.md', 'utf8') : '';
    expect([...ids].filter((id) => !hasHeading(bugs, id)).sort()).toEqual([]);
  });
});

describe('the citation scanner', () => {
  it('reads section lists, ranges, ids and wrapped comments', () => {
    expect(targetsIn(' sections 1, 4, 8) as the')).toEqual(['1', '4', '8']);
    expect(targetsIn(' 4.1–4.4):')).toEqual(['4.1', '4.2', '4.3', '4.4']);
    expect(targetsIn(' section 6: MBP-0 … MBP-6). Monitors')).toEqual(['6', 'MBP-0', 'MBP-1', 'MBP-2', 'MBP-3', 'MBP-4', 'MBP-5', 'MBP-6']);
    expect(targetsIn(' L1 (LMMU-1, LMMU-2, LMMU-3)')).toEqual(['L1']);
    expect(targetsIn(' MBP-2 (window monitor, conservative); barrier pairing table section 5')).toEqual(['MBP-2', '5']);
    expect(targetsIn(' X4 and section 3 BUG_ONs; enter_lazy')).toEqual(['X4', '3']);
    expect(targetsIn(' 7.1, REFCOUNT scheme). M')).toEqual(['7.1']);
    expect(targetsIn('; the lazy-TLB protocol')).toEqual([]);
    expect(citationsIn('f.ts', '// (a.md 4.6, b.md\n// 7.2–7.4): x').map((c) => [c.doc, c.targets])).toEqual([
      ['a.md', ['4.6']],
      ['b.md', ['7.2', '7.3', '7.4']],
    ]);
    expect(citationsIn('f.ts', '// CT-2 (bugs.md): x; the shape of TLB-2 in bugs.md.').map((c) => [c.doc, c.targets])).toEqual([
      ['bugs.md', []],
      ['bugs.md', []],
      ['bugs.md', ['CT-2']],
      ['bugs.md', ['TLB-2']],
    ]);
    // a field access is no citation
    expect(citationsIn('f.ts', 'cpu.mdMm = me.mdMm; x.md')).toHaveLength(1);
  });

  it('matches headings by number or id, not by prefix', () => {
    const doc = '# T\n## 4. Arch backends\n### 4.1 `f()`\n### P10 — x\n### MBP-2 — y\n';
    expect(['4', '4.1', 'P10', 'MBP-2'].map((t) => hasHeading(doc, t))).toEqual([true, true, true, true]);
    expect(['1', '4.2', 'P1', 'MBP-20', '3'].map((t) => hasHeading(doc, t))).toEqual([false, false, false, false, false]);
  });
});
