// The reference explorer's reading of an instance's procedures: one record per step, the program
// counter named `procedure:label` ('idle' at top level), and for each actor kind the steps that may
// run at a given pc, in the order the language defines (the seq step at the pc, or when idle the first
// step of each entry procedure and then the idle-only rules, followed by every other rule).
import { DRAIN_PROCEDURE } from '../lang/memory/buffers.ts';
import { memoryModel } from '../lang/memory/index.ts';
import { ModelError } from '../lang/errors.ts';
import type { Instance } from '../lang/instantiate.ts';
import type { Effect, Guard, ProcedureDef } from '../lang/model.ts';

export const IDLE_PC = 'idle';

export interface RefStep {
  readonly proc: string;
  readonly label: string;
  /** `proc:label`, also the pc value of a seq step. */
  readonly name: string;
  /** What the step does, in the kernel's words (for reports). */
  readonly text: string;
  readonly actorKind: string;
  readonly kind: 'seq' | 'rules';
  readonly idleOnly: boolean;
  readonly choices: number;
  readonly fence: boolean;
  readonly when: Guard<any> | null;
  readonly do: Effect<any> | null;
  /** seq: the pc of the next step of the procedure, or null after the last step (return). */
  readonly next: string | null;
  /** seq: the step's declared jumps (StepDef.jumps), label → pc (goto targets, call return labels). */
  readonly labels: ReadonlyMap<string, string>;
  /** The built-in store-buffer drain: 'oldest' (tso) or 'any' (weak, the entry given by the choice). */
  readonly drain: 'oldest' | 'any' | null;
}

export interface StepTable {
  readonly steps: readonly RefStep[];
  /** Actor kinds that carry a pc and a return stack (they have seq or idle-only procedures). */
  readonly withControl: ReadonlySet<string>;
  /** The steps an actor of `kind` may take at `pc`, in exploration order. */
  candidates(kind: string, pc: string): readonly RefStep[];
  /** Entry pc (first step) of seq procedure `proc` of actor kind `kind`, or undefined. */
  entryOf(kind: string, proc: string): string | undefined;
}

export function buildSteps(inst: Instance): StepTable {
  const procs: ProcedureDef[] = [...inst.procedures];
  for (const p of procs) {
    if (!Object.prototype.hasOwnProperty.call(inst.actors, p.actor)) throw new ModelError(`procedure ${p.name} runs on unknown actor '${p.actor}'`);
  }
  const steps: RefStep[] = [];
  for (const p of procs) {
    const labels = new Map<string, string>();
    if (p.kind === 'seq') for (const s of p.steps) labels.set(s.label, `${p.name}:${s.label}`);
    p.steps.forEach((s, i) => {
      const choices = s.choose ? s.choose.count : 1;
      if (!Number.isInteger(choices) || choices < 1 || choices > 255) throw new ModelError(`step ${p.name}:${s.label}: choice count ${choices} is not 1..255`);
      steps.push({
        proc: p.name,
        label: s.label,
        name: `${p.name}:${s.label}`,
        text: s.text,
        actorKind: p.actor,
        kind: p.kind,
        idleOnly: p.kind === 'rules' && (p.idleOnly ?? false),
        choices,
        fence: s.fence ?? false,
        when: s.when ?? null,
        do: s.do ?? null,
        next: p.kind === 'seq' && i + 1 < p.steps.length ? `${p.name}:${p.steps[i + 1].label}` : null,
        labels: new Map([...(s.jumps ?? [])].filter((j) => labels.has(j)).map((j) => [j, labels.get(j)!])),
        drain: null,
      });
    });
  }
  const mm = memoryModel(inst.memory);
  if (mm.drain !== null) {
    // The hardware drains store buffers: a rule of every CPU, after the model's own procedures.
    const depth = inst.model.storeBufferDepth ?? 2;
    steps.push({
      proc: DRAIN_PROCEDURE,
      label: 'drain',
      name: `${DRAIN_PROCEDURE}:drain`,
      text: mm.drainText ?? 'a buffered store becomes visible to other CPUs',
      actorKind: inst.cpuKind ?? '',
      kind: 'rules',
      idleOnly: false,
      choices: mm.drain === 'oldest' ? 1 : depth,
      fence: false,
      when: null,
      do: null,
      next: null,
      labels: new Map(),
      drain: mm.drain,
    });
  }

  const withControl = new Set<string>();
  for (const p of procs) if (p.kind === 'seq' || (p.kind === 'rules' && p.idleOnly)) withControl.add(p.actor);

  const memo = new Map<string, RefStep[]>();
  const candidates = (kind: string, pc: string): RefStep[] => {
    const key = `${kind}\n${pc}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const mine = steps.filter((s) => s.actorKind === kind);
    const out: RefStep[] = [];
    if (pc === IDLE_PC) {
      for (const p of procs) {
        if (p.actor === kind && p.kind === 'seq' && p.entry && p.steps.length > 0) out.push(mine.find((s) => s.name === `${p.name}:${p.steps[0].label}`)!);
      }
      out.push(...mine.filter((s) => s.kind === 'rules' && s.idleOnly));
    } else {
      out.push(...mine.filter((s) => s.kind === 'seq' && s.name === pc));
    }
    out.push(...mine.filter((s) => s.kind === 'rules' && !s.idleOnly));
    memo.set(key, out);
    return out;
  };

  const entryOf = (kind: string, proc: string): string | undefined => {
    const p = procs.find((q) => q.name === proc && q.actor === kind && q.kind === 'seq' && q.steps.length > 0);
    return p ? `${p.name}:${p.steps[0].label}` : undefined;
  };

  return { steps, withControl, candidates, entryOf };
}
