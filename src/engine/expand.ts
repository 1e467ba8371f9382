// The successor generator, compiled per program: JavaScript generated from the step table with one
// unrolled block per candidate step, so each guard and effect is called from its own call site (V8
// then inlines the model's closures and their generated field accessors). It does exactly what
// Machine.enabled + Machine.apply do for each candidate of each actor, in the same order.
import type { Program } from '../lang/compile.ts';
import { generatedURL } from '../lang/errors.ts';
import type { Machine } from './machine.ts';

/** Called for each successor, left in `machine.cur` (and packed into `packed`); returns true to stop. */
export type OnSuccessor = (step: number, actor: number, choice: number) => boolean;

/**
 * Returns expand(base): tries every enabled transition from the unpacked state `base` (restoring
 * `machine.cur` from it before each try), packs each successor into `packed`, calls `onSucc`, and
 * returns the number of enabled transitions, or -1 if `onSucc` stopped it.
 */
export function genExpand(prog: Program, m: Machine, packed: Uint32Array | null, onSucc: OnSuccessor): (base: Int32Array) => number {
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
  emit('let dirty=false,en=0;');
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
  emit('return en;}');

  function block(id: number, hasCtl: boolean, isCpu: boolean): void {
    const st = prog.steps[id];
    const multi = st.choices > 1;
    emit(multi ? `for(let ch=0;ch<${st.choices};ch++){` : '{const ch=0;');
    emit('if(dirty){cur.set(base);dirty=false;}');
    emit(`x.step=S[${id}];x.actor=a;x.choice=ch;x.cpu=${isCpu ? 'a' : '-1'};`);
    emit(`if(${st.guard ? `G${id}(v,a,x)` : 'true'}){`);
    emit('en++;dirty=true;x.jump=0;');
    if (st.fence) emit('m.fence();');
    if (st.effect) emit(`E${id}(v,a,x);`);
    emit(hasCtl ? `m.control(S[${id}],a);` : `if(x.jump!==0)m.control(S[${id}],a);`);
    emit(pack);
    emit(`if(onSucc(${id},a,ch))return -1;`);
    emit('}}');
  }

  emit(`//# sourceURL=${generatedURL(prog.instance.model.name, 'expand')}`);
  const factory = new Function('S', 'm', 'x', 'v', 'cur', 'P', 'PK', 'onSucc', lines.join('\n'));
  return factory(prog.steps, m, m.ctx, m.view, m.cur, packed, prog.pack, onSucc) as (base: Int32Array) => number;
}

