// lazytlb list: models, their params, flags, variants and properties.
import { allProperties } from '../../../properties/index.ts';
import { shipped } from '../../../models/index.ts';
import { boundTo } from '../../lang/property.ts';
import type { Io } from '../io.ts';

export function runList(io: Io, json: boolean): number {
  const data = shipped.map(({ model, variants }) => ({
    name: model.name,
    title: model.title,
    params: Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, { default: p.default, min: p.min, max: p.max, doc: p.doc }])),
    flags: Object.fromEntries(Object.entries(model.flags).map(([k, f]) => [k, { default: f.default, doc: f.doc, ...(f.values ? { values: f.values } : {}), ...(f.abstraction ? { abstraction: true } : {}) }])),
    memory: model.memory ?? ['sc'],
    scopes: Object.fromEntries(Object.entries(model.scopes ?? {}).map(([k, sc]) => [k, { doc: sc.doc, params: sc.params ?? {}, flags: sc.flags ?? {} }])),
    variants: variants.map((v) => ({ name: v.name, description: v.description, violates: v.violates ?? [] })),
    properties: boundTo(allProperties, model.name).map((p) => ({ name: p.name, statement: p.statement, ref: p.ref, ...(p.onRequest ? { onRequest: p.onRequest } : {}) })),
  }));
  if (json) {
    io.out(JSON.stringify(data));
    return 0;
  }
  const out: string[] = [];
  for (const m of data) {
    out.push(`${m.name} — ${m.title}`);
    out.push(`  params:     ${Object.entries(m.params).map(([k, p]) => `${k}=${p.default} (${p.min}..${p.max})`).join(', ')}`);
    out.push(`  memory:     ${m.memory.join(', ')}`);
    for (const [k, sc] of Object.entries(m.scopes)) {
      const settings = [...Object.entries(sc.params).map(([p, v]) => `${p}=${v}`), ...Object.entries(sc.flags).map(([f, v]) => `${f}=${String(v)}`)].join(' ');
      out.push(`  scope ${k}: ${settings}  ${sc.doc}`);
    }
    out.push('  flags:');
    for (const [k, f] of Object.entries(m.flags)) out.push(`    ${k}=${String(f.default)}  ${f.doc}${'abstraction' in f ? ' [abstraction: with it on, ok holds for the exact model; a violation is checked on the exact model]' : ''}`);
    out.push('  variants:');
    out.push('    mainline  every flag at its default');
    for (const v of m.variants) out.push(`    ${v.name}  ${v.description}${v.violates.length ? ` [violates ${v.violates.join(', ')}]` : ''}`);
    out.push('  properties:');
    for (const p of m.properties) out.push(`    ${p.name}  ${p.statement}${p.onRequest ? ` [checked only with --property ${p.name}: ${p.onRequest}]` : ''}`);
    out.push('');
  }
  io.out(out.join('\n'));
  return 0;
}
