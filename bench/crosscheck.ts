// Cross-check of the three independent encodings of shootdown(cpus=N, gens=G): the plain BFS in
// bench/shootdown-count.ts, the Promela twin under SPIN and the Murphi twin under rumur.
//   - flushOnUnlazy=true: reference, SPIN -DNOREDUCE (both process layouts) and rumur without
//     symmetry must report the same number of states and of fired transitions, and all must
//     find no violation (and EXPECTED_STATES in shootdown-count.ts);
//   - flushOnUnlazy=false: all three must find the no-stale-user violation.
// SPIN with POR and rumur with exhaustive symmetry reduction are listed for information.
//
//   npx tsx bench/crosscheck.ts [--quick]     (--quick: only the three small configurations)

import { haveCommand, type BenchRow } from './measure.ts';
import { runSpin } from './shootdown.pml.ts';
import { runRumur } from './shootdown.m.ts';
import { countShootdown, EXPECTED_STATES, type ShootdownParams } from './shootdown-count.ts';

function main(argv: string[]): number {
  if (!haveCommand('spin') || !haveCommand('rumur')) {
    console.log('bench: spin or rumur not installed; run: apt-get install -y spin rumur');
    return 2;
  }
  const sizes = [[2, 2], [3, 3], [4, 3], ...(argv.includes('--quick') ? [] : [[5, 5], [6, 3]])];
  let failures = 0;
  const fail = (msg: string) => { failures++; console.log(`!!! ${msg}`); };

  for (const [cpus, gens] of sizes) {
    for (const flushOnUnlazy of [true, false]) {
      const p: ShootdownParams = { cpus, gens, flushOnUnlazy };
      const cfg = `shootdown(${cpus},${gens}) flushOnUnlazy=${flushOnUnlazy}`;
      const ref = countShootdown(p, !flushOnUnlazy);
      const exact: BenchRow[] = [
        runSpin(p, { por: false, layout: 'single' }),
        { ...runSpin(p, { por: false, layout: 'per-cpu' }), tool: 'spin (NOREDUCE, per-cpu)' },
        runRumur(p, { symmetry: 'off' }),
      ];
      const info = [runSpin(p, { por: true }), runRumur(p, { symmetry: 'exhaustive' })];
      console.log(`${cfg}: reference states=${ref.states} transitions=${ref.transitions} ` +
        `depth=${ref.depth} violation=${ref.violation}`);
      for (const r of [...exact, ...info])
        console.log(`  ${r.tool.padEnd(26)} ${r.verdict.padEnd(9)} states=${r.states} transitions=${r.transitions}` +
          (r.rawStates !== r.states ? ` (printed ${r.rawStates})` : ''));
      const want = flushOnUnlazy ? 'ok' : 'violation';
      if (ref.violation !== !flushOnUnlazy) fail(`${cfg}: reference verdict wrong`);
      for (const r of [...exact, ...info]) if (r.verdict !== want) fail(`${cfg}: ${r.tool} says ${r.verdict}, expected ${want}`);
      if (!flushOnUnlazy) continue; // searches stop at the first error: counts are not comparable
      const key = `shootdown(${cpus},${gens})`;
      if (EXPECTED_STATES[key] !== undefined && EXPECTED_STATES[key] !== ref.states)
        fail(`${cfg}: EXPECTED_STATES says ${EXPECTED_STATES[key]}, reference found ${ref.states}`);
      for (const r of exact) {
        if (r.states !== ref.states) fail(`${cfg}: ${r.tool} states ${r.states} != reference ${ref.states}`);
        if (r.transitions !== ref.transitions) fail(`${cfg}: ${r.tool} transitions ${r.transitions} != reference ${ref.transitions}`);
      }
    }
  }
  console.log(failures === 0 ? 'crosscheck: all tools agree' : `crosscheck: ${failures} FAILURE(S)`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
