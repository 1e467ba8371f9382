// The generated fast path of the expander against the interpreted one (Machine.enabled + apply for
// each candidate): over the first reachable states of every shipped model and variant (under each
// memory model it accepts) and of random models, both must yield exactly the same transitions, in
// the same order, with the same outcomes and successors, and end the same way (a model error with
// the same failing transition and message).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shipped } from '../../models/index.ts';
import { allProperties } from '../../properties/index.ts';
import { compile, type Program } from '../../src/lang/compile.ts';
import { instantiate } from '../../src/lang/instantiate.ts';
import { Expander } from '../../src/engine/expander.ts';
import { arbModel } from '../reference/arbitrary-model.ts';

interface Yield {
  readonly log: string[];
  readonly succs: Int32Array[];
  readonly end: string;
}

/** Runs one expansion of `base`, logging every visit (transition, outcome, successor). */
function recorder(prog: Program, generated: boolean) {
  const log: string[] = [];
  const succs: Int32Array[] = [];
  const ex: Expander = new Expander(
    prog,
    (step, actor, choice, outcome) => {
      const m = ex.machine;
      log.push(`${step}/${actor}/${choice} ${outcome}${m.violation ? ` ${m.violation.prop}: ${m.violation.reason}` : ''} ${m.cur.join(',')}`);
      succs.push(Int32Array.from(m.cur));
      return false;
    },
    { generated },
  );
  return (base: Int32Array): Yield => {
    log.length = 0;
    succs.length = 0;
    const end = ex.expand(base);
    const tail = end === 'error' ? ` ${ex.failing.step}/${ex.failing.actor}/${ex.failing.choice} ${ex.error!.message}` : ` ${ex.enabled}`;
    return { log: [...log], succs: [...succs], end: end + tail };
  };
}

/** Compares both paths on the first `limit` states reached breadth-first; returns the states compared. */
function compare(prog: Program, limit: number): number {
  const fast = recorder(prog, true);
  const slow = recorder(prog, false);
  const init = new Expander(prog, () => false).machine;
  init.init();
  const queue: Int32Array[] = [Int32Array.from(init.cur)];
  const seen = new Set([queue[0].join(',')]);
  let n = 0;
  for (; n < queue.length && n < limit; n++) {
    const a = slow(queue[n]);
    const b = fast(queue[n]);
    expect(b.end, `state ${n}`).toBe(a.end);
    expect(b.log, `state ${n}`).toEqual(a.log);
    for (const s of a.succs) {
      const key = s.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(s);
      }
    }
  }
  return n;
}

describe('the generated expansion yields what the interpreted one yields', () => {
  for (const sm of shipped) {
    const memories = sm.model.memory ?? ['sc'];
    for (const variant of [null, ...sm.variants]) {
      for (const memory of memories) {
        it(`${sm.model.name}${variant ? ` --variant ${variant.name}` : ''} --memory ${memory}`, () => {
          let prog: Program;
          try {
            prog = compile(instantiate(sm.model, allProperties, { variant, memory }));
          } catch (e) {
            // a variant that fixes its own memory model is compared under that one only
            if (variant?.memory !== undefined && variant.memory !== memory) return;
            throw e;
          }
          expect(compare(prog, 400)).toBeGreaterThan(0);
        });
      }
    }
  }

  it('on random models under sc, tso and weak (120 models)', () => {
    let states = 0;
    let errors = 0;
    fc.assert(
      fc.property(arbModel, (rm) => {
        for (const memory of rm.hasPlain ? ['sc', 'tso', 'weak'] : ['sc']) {
          const prog = compile(instantiate(rm.model, rm.properties, { memory }));
          const r = recorder(prog, false);
          const m0 = new Expander(prog, () => false).machine;
          try {
            m0.init();
          } catch {
            continue; // a model error in init: no state to expand
          }
          if (r(Int32Array.from(m0.cur)).end.startsWith('error')) errors++;
          states += compare(prog, 150);
        }
      }),
      { seed: 0x5eed, numRuns: 120 },
    );
    // The random models reach model errors and enough states for the comparison to mean something.
    expect(states).toBeGreaterThan(2000);
    expect(errors).toBeGreaterThan(0);
  });
});

describe('guards-only expansions and single steps', () => {
  it('a guards-only expansion lists the enabled transitions, and take() reaches the same successors', () => {
    const sm = shipped.find((x) => x.model.name === 'x86-lazy-tlb')!;
    const prog = compile(instantiate(sm.model, allProperties, {}));
    const full = recorder(prog, false);
    const listed: string[] = [];
    const g = new Expander(prog, (step, actor, choice, outcome) => (listed.push(`${step}/${actor}/${choice} ${outcome}`), false), { guardsOnly: true });
    const one = new Expander(prog, () => false);
    one.machine.init();
    const queue: Int32Array[] = [Int32Array.from(one.machine.cur)];
    let taken = 0;
    for (let n = 0; n < 60 && n < queue.length; n++) {
      const y = full(queue[n]);
      listed.length = 0;
      expect(g.expand(queue[n])).toBe('done');
      expect(listed).toEqual(y.log.map((l) => `${l.split(' ')[0]} enabled`));
      expect(g.enabled).toBe(y.log.length);
      y.log.forEach((l, i) => {
        const [step, actor, choice] = l.split(' ')[0].split('/').map(Number);
        // taken on the guards-only expander itself: take() applies the step there too
        g.machine.cur.set(queue[n]);
        expect(g.take(step, actor, choice)).toBe(l.split(' ')[1]);
        expect(Array.from(g.machine.cur)).toEqual(Array.from(y.succs[i]));
        taken++;
      });
      queue.push(...y.succs);
    }
    expect(taken).toBeGreaterThan(100);
  });
});
