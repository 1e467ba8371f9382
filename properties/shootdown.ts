// Properties of the calibration model shootdown.
import { property } from '../src/lang/property.ts';
import { Mode } from '../models/bench/shootdown.ts';

export default [
  property({
    name: 'no-stale-user',
    statement: 'A CPU running user code of the mm, when no flush is in flight, has a TLB as fresh as the mm generation.',
    ref: 'docs/models/lazy-tlb.md P1 (stale TLB entry used after a flush), abstracted',
    models: ['shootdown'],
    check: (s, _g, p) => {
      for (let c = 0; c < p.cpus; c++) {
        const x = s.cpu[c];
        if (x.mode === Mode.ids.user && !s.flushing && x.localGen !== s.mmGen) {
          return `cpu${c} runs user code with TLB generation ${x.localGen} while the mm is at generation ${s.mmGen} and no flush is in flight`;
        }
      }
      return null;
    },
  }),
];
