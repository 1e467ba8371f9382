// The layering of src/, read from the sources with the TypeScript compiler's parser: lang → engine →
// trace → pipeline → cli, data flowing one way. Every import counts (type-only, re-exports and dynamic
// `import()` too). The rules: nothing in src/engine imports src/trace, src/cli or src/pipeline;
// src/trace imports neither src/pipeline nor src/cli; src/lang imports no src/engine; src/testing.ts
// imports no src/cli; no two files import each other.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The import graph of the .ts files under `dir`: file → the files it imports (paths relative to the root). */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) graph.set(relative(ROOT, p), importsOf(p));
    }
  };
  walk(dir);
  return graph;
}

/** The relative imports of one file, resolved to root-relative paths. */
function importsOf(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const add = (spec: ts.Node | undefined) => {
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) out.push(relative(ROOT, resolve(dirname(file), spec.text)));
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n.arguments[0]);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** Layer rules: files under `from` must not import files under any of `not`. */
const RULES: readonly { readonly from: string; readonly not: readonly string[] }[] = [
  { from: 'src/engine/', not: ['src/trace/', 'src/cli/', 'src/pipeline/'] },
  { from: 'src/trace/', not: ['src/pipeline/', 'src/cli/'] },
  { from: 'src/lang/', not: ['src/engine/'] },
  { from: 'src/testing.ts', not: ['src/cli/'] },
];

/** Every broken rule of `graph`, one line each naming the file and the import. */
export function importProblems(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [file, imports] of graph) {
    for (const imp of imports) {
      for (const r of RULES) {
        if (file.startsWith(r.from) && r.not.some((n) => imp.startsWith(n))) problems.push(`${file} imports ${imp} (${r.from} must not import ${r.not.join(', ')})`);
      }
      if (file < imp && graph.get(imp)?.includes(file)) problems.push(`${file} and ${imp} import each other`);
    }
  }
  return problems;
}

describe('the layers of src/', () => {
  it('every import under src/ keeps the rules', () => {
    const graph = importGraph(join(ROOT, 'src'));
    // the graph was read: the engine's files and their imports are in it
    expect(graph.get('src/engine/bfs.ts')).toContain('src/engine/expander.ts');
    expect(importProblems(graph)).toEqual([]);
  });

  it('the checker names each broken rule, with the file and the import', () => {
    const fake = new Map<string, string[]>([
      ['src/engine/bfs.ts', ['src/trace/trace.ts', 'src/engine/paths.ts', 'src/pipeline/check.ts']],
      ['src/engine/paths.ts', ['src/engine/bfs.ts']],
      ['src/lang/view.ts', ['src/engine/machine.ts']],
      ['src/testing.ts', ['src/cli/load.ts', 'src/pipeline/load.ts']],
      ['src/trace/shrink.ts', ['src/engine/bounded.ts', 'src/cli/main.ts']],
      ['src/pipeline/check.ts', ['src/trace/trace.ts', 'src/engine/bfs.ts']],
    ]);
    expect(importProblems(fake)).toEqual([
      'src/engine/bfs.ts imports src/trace/trace.ts (src/engine/ must not import src/trace/, src/cli/, src/pipeline/)',
      'src/engine/bfs.ts and src/engine/paths.ts import each other',
      'src/engine/bfs.ts imports src/pipeline/check.ts (src/engine/ must not import src/trace/, src/cli/, src/pipeline/)',
      'src/engine/bfs.ts and src/pipeline/check.ts import each other',
      'src/lang/view.ts imports src/engine/machine.ts (src/lang/ must not import src/engine/)',
      'src/testing.ts imports src/cli/load.ts (src/testing.ts must not import src/cli/)',
      'src/trace/shrink.ts imports src/cli/main.ts (src/trace/ must not import src/pipeline/, src/cli/)',
    ]);
  });

  it('reads type-only imports, re-exports and dynamic imports', () => {
    const graph = importGraph(join(ROOT, 'src'));
    // import type { RawStep } from '../engine/via.ts'
    expect(graph.get('src/trace/trace.ts')).toContain('src/engine/via.ts');
    // export { findModel, … } from '../pipeline/load.ts'
    expect(graph.get('src/cli/load.ts')).toContain('src/pipeline/load.ts');
  });
});
