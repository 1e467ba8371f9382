// Symmetry reduction as a reduction of the search: each state is stored as the representative of its
// orbit under the permutations of the interchangeable objects the model declares (its `symmetry`), as
// the canonical form of ../symmetry.ts computes it. A model that declares none gets no reduction.
import { Canonicalizer } from '../symmetry.ts';
import type { Reduction, ReductionDef } from './reduction.ts';

export const symmetry: ReductionDef<'symmetry', Record<string, never>> = {
  name: 'symmetry',
  flag: 'symmetry',
  default: true,
  describe: 'symmetry reduction over the interchangeable objects the model declares; --no-symmetry to turn off',
  create({ prog }) {
    const specs = prog.instance.model.symmetry?.(prog.instance.params, prog.instance.flags) ?? [];
    return specs.length > 0 ? new SymmetryReduction(prog, specs) : null;
  },
};

/** The canonical form (`canon`, inherited) with what the search asks of a reduction. */
class SymmetryReduction extends Canonicalizer implements Reduction<Record<string, never>> {
  /** A real trace is rebuilt step by step along the stored representatives (paths.ts): as long. */
  readonly shortest = true;

  statistics(): Record<string, never> {
    return {};
  }

  /** One state per orbit is stored. */
  storedEveryState(): boolean {
    return false;
  }
}
