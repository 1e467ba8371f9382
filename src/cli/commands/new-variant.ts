// lazytlb new-variant <model> FILE: writes a commented skeleton variant file for the model (a patch
// with no edits yet: it checks like mainline), importing the helpers as `lazytlb/src/lang/...`, which
// the variant loader resolves to the installation that checks it, from any directory. An existing
// FILE is never overwritten.
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../../lang/errors.ts';
import { instantiate } from '../../lang/instantiate.ts';
import type { AnyModel } from '../../lang/model.ts';
import type { Io } from '../io.ts';
import { findModel } from '../load.ts';

export interface NewVariantArgs {
  model: string;
  file: string;
}

export function runNewVariant(a: NewVariantArgs, io: Io): number {
  const sm = findModel(a.model);
  if (!/\.m?ts$/.test(a.file)) throw new UsageError(`new-variant: ${a.file} must end in .ts or .mts (a variant file is TypeScript)`);
  const path = resolve(a.file);
  if (existsSync(path)) throw new UsageError(`new-variant: ${a.file} exists; not overwritten`);
  if (!existsSync(dirname(path))) throw new UsageError(`new-variant: directory ${dirname(a.file)} does not exist`);
  const name = basename(path).replace(/\.m?ts$/, '');
  try {
    writeFileSync(path, skeleton(sm.model, name, a.file), { flag: 'wx' });
  } catch (e) {
    throw new UsageError(`new-variant: cannot write ${a.file}: ${(e as Error).message}`);
  }
  io.out(`wrote ${a.file}; check it with: npx lazytlb check ${sm.model.name} --variant ${a.file}`);
  return 0;
}

function skeleton(model: AnyModel, name: string, file: string): string {
  const inst = instantiate(model, [], {});
  const seqs = inst.procedures.filter((p) => p.kind === 'seq' && !p.locked && p.steps.length > 1);
  const example = seqs[0] ?? inst.procedures.find((p) => !p.locked && p.steps.length > 0);
  const s0 = example?.steps[0];
  const s1 = example?.steps[1] ?? s0;
  const flags = Object.entries(model.flags).map(([k, f]) => `    // ${k}: ${JSON.stringify(f.default)}, // ${f.doc}`);
  const procs = inst.procedures.map((p) => p.name).join(', ');
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    `// A patch to the ${model.name} model (${model.title}), written as a variant file. Check it with`,
    `//   npx lazytlb check ${model.name} --variant ${file}`,
    `// and list the steps an edit can name (procedure:label, kernel text, fence, jump targets) with`,
    `//   npx lazytlb steps ${model.name}`,
    `// Procedures: ${procs}.`,
    `// The edits (docs/language.md, "Variants"): replace, insertBefore, insertAfter, remove, move, patch,`,
    `// addProcedure, and locals (a new local variable of a seq procedure, one per call frame: x.locals.name).`,
    `// A step another step jumps to cannot be removed or moved (the edit names the jumping step).`,
    `import { defineVariant, replace, insertBefore, insertAfter, remove, move, patch, locals } from 'lazytlb/src/lang/variant.ts';`,
    `import { step } from 'lazytlb/src/lang/model.ts';`,
    '',
    'export default defineVariant({',
    `  model: ${q(model.name)},`,
    `  name: ${q(name)},`,
    `  description: 'what the patch changes, and the commit or mailing-list thread it comes from',`,
    '  // Flag values, where the patch is a kernel configuration or a historical shape (defaults shown):',
    '  flags: {',
    ...flags,
    '  },',
    '  edits: [',
    ...(s0 && example
      ? [
          `    // patch(${q(`${example.name}:${s0.label}`)}, { fence: ${!(s0.fence ?? false)} }),`,
          `    // insertAfter(${q(`${example.name}:${s1!.label}`)}, step('NEW1', 'the kernel\\'s words for the new line', {`,
          '    //   do: (s, c, x) => {',
          '    //     // s: the state (as the model declares it), c: this CPU, x: choice, goto, call, emit, fence',
          '    //   },',
          '    // })),',
        ]
      : []),
    '  ],',
    '  // memory: \'tso\',            // the memory model to check under by default',
    '  // violates: [\'P1\'],         // properties the patched kernel is known to break',
    '});',
    '',
  ].join('\n');
}
