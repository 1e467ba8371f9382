// The Informal Trace Format (ITF, JSON) that Apalache and Quint read: `#meta`, `vars`, and one state
// per step, each a map from variable to value. Values: booleans, numbers, strings (enum names and
// references as the trace shows them), and nested records and lists for records and arrays.
import type { Program } from '../lang/compile.ts';
import type { LayoutNode } from '../lang/layout.ts';
import { decodeValue, renderValue } from '../lang/domain.ts';
import { actorOf } from '../lang/names.ts';
import type { RawStep } from '../engine/via.ts';
import { Machine } from '../engine/machine.ts';

export function toItf(prog: Program, raw: readonly RawStep[], meta: Record<string, unknown>): unknown {
  const m = new Machine(prog);
  m.init();
  const fields = [...prog.layout.root.fields.entries()].filter(([k]) => !k.startsWith('$'));
  const snap = (action: string) => ({
    '#meta': { action },
    ...Object.fromEntries(fields.map(([k, n]) => [k, value(n, m.cur)])),
  });
  const states = [snap('init')];
  for (const r of raw) {
    const st = prog.steps[r.step];
    m.enabled(st, r.actor, r.choice);
    m.apply(st, r.actor);
    states.push(snap(`${actorOf(prog, r.step, r.actor)} ${st.name}${st.choices > 1 ? ` ${st.choiceName}=${r.choice}` : ''}`));
  }
  return { '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: 'lazytlb', ...meta }, vars: fields.map(([k]) => k), states };
}

function value(n: LayoutNode, cur: Int32Array): unknown {
  if (n.kind === 'scalar') {
    const d = n.slot.domain;
    const v = decodeValue(d, cur[n.slot.index]);
    if (d.kind === 'bool') return v;
    if (d.kind === 'int') return v;
    if (d.kind === 'set') return { '#set': [...Array(d.count).keys()].filter((i) => ((v as number) >>> i) & 1) };
    return renderValue(d, v);
  }
  if (n.kind === 'array') return n.elems.map((e) => value(e, cur));
  return Object.fromEntries([...n.fields.entries()].map(([k, f]) => [k, value(f, cur)]));
}
