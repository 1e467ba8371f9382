// The lazytlb command line (yargs). Exit codes: 0 no violation (complete search), 1 violation,
// 2 usage or model error, 3 incomplete, 130 interrupted. Errors are one line (with --json also one
// JSON object on stdout); a stack trace only with --debug.
import { existsSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import yargs, { type Argv } from 'yargs';
import { fullStack } from '../lang/errors.ts';
import { runCheck, checkOptions, type CheckArgs } from './commands/check.ts';
import { runList } from './commands/list.ts';
import { runReplay, type ReplayArgs } from './commands/replay.ts';
import { runShrink, type ShrinkArgs } from './commands/shrink.ts';
import { runRegress, type RegressArgs } from './commands/regress.ts';
import { runShow, type ShowArgs } from './commands/show.ts';
import { runSummary } from './commands/summary.ts';
import { runSteps, type StepsArgs } from './commands/steps.ts';
import { runNewVariant, type NewVariantArgs } from './commands/new-variant.ts';
import { checkBooleans, integerOption, repeatableOption, secondsOption, stringOption, usageMessage } from './args.ts';
import { EXIT, errorLine } from './exit.ts';
import { processIo, type Io } from './io.ts';
import type { RunOptions, WorkerData, WorkerMessage } from './process.ts';

export type { RunOptions } from './process.ts';

/** One command: its yargs spec, options and what it runs. The list below is the whole command line. */
interface CommandDef {
  readonly command: string;
  readonly describe: string;
  readonly options: (y: Argv) => Argv;
  readonly run: (a: Record<string, unknown>, io: Io, opts: RunOptions) => number | Promise<number>;
}

const json = { type: 'boolean', describe: 'print exactly one JSON object' } as const;

const COMMANDS: readonly CommandDef[] = [
  {
    command: 'list',
    describe: 'list models, variants, flags, params and properties',
    options: (y) => y.option('json', json),
    run: (a, io) => runList(io, Boolean(a.json)),
  },
  {
    command: 'check <model>',
    describe: 'explore every interleaving of a model (variant) and check its properties',
    options: (y) => checkOptions(y.positional('model', { type: 'string', demandOption: true })),
    run: (a, io, opts) => runCheck(a as unknown as CheckArgs, io, opts),
  },
  {
    command: 'replay <file>',
    describe: 'replay a stored counterexample on its variant, or on another with --variant',
    options: (y) => y.positional('file', { type: 'string', demandOption: true }).option('variant', stringOption('variant', 'a variant name or file to replay against')).option('json', json),
    run: (a, io) => runReplay(a as unknown as ReplayArgs, io),
  },
  {
    command: 'shrink <file>',
    describe: 'shrink a stored counterexample: shortest, fewest CPU switches, smallest params',
    options: (y) => y.positional('file', { type: 'string', demandOption: true }).option('variant', stringOption('variant', 'the variant file the trace was found with')).option('save', { type: 'boolean' }).option('force', { type: 'boolean' }).option('json', json).option('max-states', integerOption('max-states', 'states per bounded search at most')),
    run: (a, io) => runShrink(a as unknown as ShrinkArgs, io),
  },
  {
    command: 'regress',
    describe: 'replay every stored counterexample against a variant, then list its new violations',
    options: (y) =>
      y
        .option('variant', stringOption('variant', 'a variant name (for every model that has it) or a variant file; default mainline'))
        .option('model', stringOption('model', 'only this model'))
        .option('set', repeatableOption('flag=value on top of the variant (repeatable)'))
        .option('json', json),
    run: (a, io) => runRegress(a as unknown as RegressArgs, io),
  },
  {
    command: 'show <file>',
    describe: 'print a stored counterexample, or write it as an HTML page with --html OUT',
    options: (y) => y.positional('file', { type: 'string', demandOption: true }).option('variant', stringOption('variant', 'the variant file the trace was found with')).option('html', stringOption('html', 'write a self-contained HTML page here')).option('force', { type: 'boolean' }),
    run: (a, io) => runShow(a as unknown as ShowArgs, io),
  },
  {
    command: 'summary',
    describe: 'check every shipped model at its default scope and print a table (npm start)',
    options: (y) => y.option('json', json).option('max-seconds', secondsOption('max-seconds', 'per check at most (verdict incomplete)')).option('scope', stringOption('scope', 'check every model that declares this scope (e.g. wide, deep; deep also takes deep-*) at it instead')).option('workers', integerOption('workers', 'search threads for each check (default: as check has it)', 1, 256)).option('variants', { type: 'boolean', describe: 'with --scope: also check every historical variant at each scope, expecting the property it violates at the default scope' }),
    run: (a, io) => runSummary(io, { json: Boolean(a.json), maxSeconds: a['max-seconds'] as number | undefined, scope: a.scope as string | undefined, workers: a.workers as number | undefined, variants: Boolean(a.variants) }),
  },
  {
    command: 'steps <model>',
    describe: "list every procedure's steps (procedure:label, kernel text, fence, jump targets): what a variant's edits name",
    options: (y) =>
      y
        .positional('model', { type: 'string', demandOption: true })
        .option('variant', stringOption('variant', 'the steps as this variant (name or file) has them'))
        .option('procedure', repeatableOption('only these procedures (repeatable)'))
        .option('set', repeatableOption('flag=value (repeatable)'))
        .option('param', repeatableOption('param=value (repeatable)'))
        .option('accesses', integerOption('accesses', 'also show the fields each step reads and writes, observed over the first N states of the unreduced search'))
        .option('json', json),
    run: (a, io) => runSteps(a as unknown as StepsArgs, io),
  },
  {
    command: 'new-variant <model> <file>',
    describe: 'write a commented skeleton variant file for the model (never overwrites)',
    options: (y) => y.positional('model', { type: 'string', demandOption: true }).positional('file', { type: 'string', demandOption: true }),
    run: (a, io) => runNewVariant(a as unknown as NewVariantArgs, io),
  },
];

const NAMES = COMMANDS.map((c) => c.command.split(' ')[0]);

export async function main(argv: readonly string[], io: Io = processIo, opts: RunOptions = {}): Promise<number> {
  const debug = argv.includes('--debug');
  const wantsJson = argv.some((t) => t === '--json' || t === '--json=true');
  let code: number = EXIT.ok;
  // The command whose options were built (yargs builds only the one it matched).
  let current: { name: string; y: Argv } | null = null;
  const optionsOf = (y: Argv) => Object.keys(declared(y).key).filter((k) => !/[A-Z]/.test(k) && k !== '$0');
  try {
    const parser = yargs([...argv])
      .scriptName('lazytlb')
      .usage('$0 <command> [options]')
      .option('debug', { type: 'boolean', describe: 'show stack traces of errors' });
    for (const c of COMMANDS) {
      const name = c.command.split(' ')[0];
      parser.command(
        c.command,
        c.describe,
        (y) => {
          current = { name, y };
          return c.options(y);
        },
        async (a) => {
          checkBooleans(argv, current ? declared(current.y).boolean : []);
          code = await c.run(a, io, opts);
        },
      );
    }
    // With a parse callback yargs hands over what it would print (help, version, completion script).
    let output = '';
    let failed: Error | undefined;
    await parser
      .completion('completion', 'print a shell completion script (bash, zsh): lazytlb completion >> ~/.bashrc')
      .demandCommand(1, `name a command: ${NAMES.join(', ')}`)
      .strict()
      .help()
      .alias('h', 'help')
      .version(packageVersion())
      .exitProcess(false)
      .fail((msg, err) => {
        // yargs's own complaints (and a coerce's error, which it wraps) arrive as a message or a YError.
        if (err && err.name !== 'YError') throw err;
        // `--no-por=maybe` reaches yargs as an unknown option: say what a boolean accepts instead.
        if (current) checkBooleans(argv, declared(current.y).boolean);
        throw usageMessage(err?.message ?? msg, argv, current?.name ?? null, current ? optionsOf(current.y) : [], [...COMMANDS.map((c) => c.command), 'completion']);
      })
      .parseAsync([...argv], {}, (err, _a, out) => {
        failed = err ?? undefined;
        output = out;
      });
    if (failed) throw failed;
    if (output) io.out(output);
  } catch (e) {
    const { kind, line } = errorLine(e);
    io.err(`lazytlb: ${line}\n`);
    if (debug) io.err(`${e instanceof Error ? fullStack(e) : String(e)}\n`);
    if (wantsJson) io.out(JSON.stringify({ verdict: 'error', kind, error: line }));
    return EXIT.usage;
  }
  return code;
}

/** The options a command declared (yargs has the method; its types do not list it). */
function declared(y: Argv): { key: Record<string, unknown>; boolean: string[] } {
  return (y as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }).getOptions();
}

/** The version in the package.json next to the sources (src/cli/) or the bundle (dist/). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    const f = new URL('package.json', dir);
    if (existsSync(f)) {
      const p = JSON.parse(readFileSync(f, 'utf8')) as { name?: string; version?: string };
      if (p.name === 'lazytlb' && p.version) return p.version;
    }
  }
  return 'unknown';
}

/** In the worker thread bin/lazytlb.mjs starts (process.ts): runs the command, posting its output and exit code. */
export async function serveWorker(): Promise<void> {
  const d = (workerData as { lazytlb: WorkerData }).lazytlb;
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  post({ ready: true });
  const io: Io = { out: (s) => post({ out: s }), err: (s) => post({ err: s }), tty: d.tty, columns: d.columns };
  post({ code: await main(d.argv, io, { shouldStop: () => Atomics.load(d.stop, 0) !== 0, watch: (w) => post({ watch: w }) }) });
}

export { runProcess } from './process.ts';
