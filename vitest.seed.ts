// One seed for every random-model suite of a run: fresh each run unless LAZYTLB_SEED gives one (to
// reproduce a run), printed before the tests start. Set in the environment here, before vitest starts
// the test processes, which inherit it (test/reference/seed.ts reads it).
import { freshSeed, parseSeed } from './test/reference/seed.ts';

const given = process.env.LAZYTLB_SEED;
const seed = given !== undefined ? parseSeed(given) : freshSeed();
process.env.LAZYTLB_SEED = String(seed);
console.log(`random models: LAZYTLB_SEED=${seed}${given !== undefined ? ' (given)' : ' (fresh; set it to reproduce this run)'}`);
