// The generated fast path of the expander (expander.ts): JavaScript generated from the step table with
// one unrolled block per candidate step, so each guard and effect is called from its own call site
// (V8 then inlines the model's closures and their generated field accessors). It does exactly what
// the interpreted expansion (Machine.enabled + Machine.apply, bounded monitors included, for each
// candidate of each actor, in the same order) does; test/engine/expander.test.ts checks that on every
// shipped model and variant and on random models, test/engine/within.test.ts with bounded monitors.
import type { Program } from '../lang/compile.ts';
import { generatedFunction } from '../lang/generated.ts';
import type { Machine } from './machine.ts';

/**
 * What a candidate transition led to: a successor (in `machine.cur`), a successor on which a monitor
 * failed (`machine.violation`), a false guard, a true guard (guards-only expansions), or a model error
 * (expansions that skip errors).
 */
export type Outcome = 'next' | 'violation' | 'disabled' | 'enabled' | 'error';

/** Called for each transition with its outcome; returns true to stop the expansion. */
export type Visit = (step: number, actor: number, choice: number, outcome: Outcome) => boolean;

/** Where the generated expansion leaves the number of enabled transitions it tried. */
export interface EnabledCount {
  enabled: number;
}

/**
 * Returns expand(base): tries every enabled transition from the unpacked state `base` (restoring
 * `machine.cur` and clearing `machine.violation` before each try), packs each successor into `packed`
 * (when given), calls `visit` with outcome 'next' or 'violation', counts the enabled transitions into
 * `count.enabled`, and returns true if `visit` stopped it. A model error is thrown, with the failing
 * transition in the machine's step context.
 */
export function genExpander(prog: Program, m: Machine, packed: Uint32Array | null, visit: Visit, count: EnabledCount): (base: Int32Array) => boolean {
  const lines: string[] = [];
  // Without a `packed` buffer the successor is left unpacked (the caller canonicalizes it first).
  // One call of the program's pack function: inlining the packing into every block makes the function
  // too large for the optimizing compiler on models with many steps and slots (4x slower on x86-lazy-tlb).
  const pack = packed ? 'PK(cur,P,0);' : '';
  const emit = (s: string) => lines.push(s);
  prog.steps.forEach((st, i) => {
    if (st.guard) emit(`const G${i}=S[${i}].guard;`);
    if (st.effect) emit(`const E${i}=S[${i}].effect;`);
  });
  emit('return function expand(base){');
  emit('let dirty=false,en=0;m.violation=null;');
  for (const k of prog.actorKinds) {
    const mine = prog.steps.filter((s) => s.actorKind === k.name);
    const always = mine.filter((s) => s.kind === 'rules' && !s.idleOnly).map((s) => s.id);
    const hasCtl = k.pcSlot >= 0;
    emit(`for(let a=0;a<${k.count};a++){`);
    if (hasCtl) {
      emit(`switch(base[${k.pcSlot}+a*${k.ctlStride}]){`);
      k.candidates.forEach((c, pc) => {
        const own = [...c].filter((id) => !always.includes(id));
        if (own.length === 0) return;
        emit(`case ${pc}:{`);
        for (const id of own) block(id, hasCtl, k.name === prog.cpuKind);
        emit('break;}');
      });
      emit('}');
    }
    for (const id of always) block(id, hasCtl, k.name === prog.cpuKind);
    emit('}');
  }
  emit('C.enabled=en;return false;}');

  function block(id: number, hasCtl: boolean, isCpu: boolean): void {
    const st = prog.steps[id];
    const multi = st.choices > 1;
    emit(`// ${st.name.replace(/\*\//g, '* /')}: ${st.text.replace(/[\r\n]+/g, ' ').replace(/\*\//g, '* /')}`);
    emit(multi ? `for(let ch=0;ch<${st.choices};ch++){` : '{const ch=0;');
    emit('if(dirty){cur.set(base);m.violation=null;dirty=false;}');
    emit(`x.step=S[${id}];x.actor=a;x.choice=ch;x.cpu=${isCpu ? 'a' : '-1'};`);
    emit(`if(${st.guard ? `G${id}(v,a,x)` : 'true'}){`);
    emit('en++;dirty=true;x.jump=0;');
    if (st.fence) emit('m.fence();');
    if (st.effect) emit(`E${id}(v,a,x);`);
    emit(hasCtl ? `m.control(S[${id}],a);` : `if(x.jump!==0)m.control(S[${id}],a);`);
    if (m.within !== null) emit(`m.within.after(S[${id}],a,base);`);
    emit(pack);
    emit(`if(visit(${id},a,ch,m.violation===null?'next':'violation')){C.enabled=en;return true;}`);
    emit('}}');
  }

  const factory = generatedFunction(prog.instance.model.name, 'expand', ['S', 'm', 'x', 'v', 'cur', 'P', 'PK', 'visit', 'C'], lines.join('\n'));
  return factory(prog.steps, m, m.ctx, m.view, m.cur, packed, prog.pack, visit, count) as (base: Int32Array) => boolean;
}

/** Called for each successor, left in `machine.cur` (and packed into `packed`); returns true to stop. */
export type OnSuccessor = (step: number, actor: number, choice: number) => boolean;

/**
 * The generated expansion with a plain successor callback: expand(base) returns the number of enabled
 * transitions, or -1 if `onSucc` stopped it (the stuck-actor check's graph builder uses it).
 */
export function genExpand(prog: Program, m: Machine, packed: Uint32Array | null, onSucc: OnSuccessor): (base: Int32Array) => number {
  const count: EnabledCount = { enabled: 0 };
  const f = genExpander(prog, m, packed, (step, actor, choice) => onSucc(step, actor, choice), count);
  return (base) => (f(base) ? -1 : count.enabled);
}
