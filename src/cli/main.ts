// The lazytlb command line (yargs). Exit codes: 0 no violation (complete search), 1 violation,
// 2 usage or model error, 3 incomplete. Errors are one line; a stack trace only with --debug.
import yargs from 'yargs';
import { ModelError, UsageError } from '../lang/errors.ts';
import { runCheck, checkOptions, type CheckArgs } from './commands/check.ts';
import { runList } from './commands/list.ts';
import { runReplay, type ReplayArgs } from './commands/replay.ts';
import { runShrink, type ShrinkArgs } from './commands/shrink.ts';
import { runRegress, type RegressArgs } from './commands/regress.ts';
import { runShow, type ShowArgs } from './commands/show.ts';
import { runSummary } from './commands/summary.ts';
import { EXIT } from './exit.ts';
import { processIo, type Io } from './io.ts';

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  let code: number = EXIT.ok;
  try {
    await yargs([...argv])
      .scriptName('lazytlb')
      .usage('$0 <command> [options]')
      .option('debug', { type: 'boolean', describe: 'show stack traces of errors' })
      .command('list', 'list models, variants, flags, params and properties', (y) => y.option('json', { type: 'boolean' }), (a) => {
        code = runList(io, Boolean(a.json));
      })
      .command('check <model>', 'explore every interleaving of a model (variant) and check its properties', (y) => checkOptions(y.positional('model', { type: 'string', demandOption: true })), async (a) => {
        code = await runCheck(a as unknown as CheckArgs, io);
      })
      .command('replay <file>', 'replay a stored counterexample on its variant, or on another with --variant', (y) => y.positional('file', { type: 'string', demandOption: true }).option('variant', { type: 'string' }).option('json', { type: 'boolean' }), async (a) => {
        code = await runReplay(a as unknown as ReplayArgs, io);
      })
      .command('shrink <file>', 'shrink a stored counterexample: shortest, fewest CPU switches, smallest params', (y) => y.positional('file', { type: 'string', demandOption: true }).option('save', { type: 'boolean' }).option('force', { type: 'boolean' }).option('json', { type: 'boolean' }).option('max-states', { type: 'number' }), async (a) => {
        code = await runShrink(a as unknown as ShrinkArgs, io);
      })
      .command('regress', 'replay every stored counterexample against a variant, then list its new violations', (y) => y.option('variant', { type: 'string', describe: 'a variant name (for every model that has it) or a variant file; default mainline' }).option('model', { type: 'string', describe: 'only this model' }).option('set', { type: 'string', array: true, describe: 'flag=value on top of the variant (repeatable)' }).option('json', { type: 'boolean' }), async (a) => {
        code = await runRegress(a as unknown as RegressArgs, io);
      })
      .command('show <file>', 'print a stored counterexample, or write it as an HTML page with --html OUT', (y) => y.positional('file', { type: 'string', demandOption: true }).option('html', { type: 'string', describe: 'write a self-contained HTML page here' }).option('force', { type: 'boolean' }), async (a) => {
        code = await runShow(a as unknown as ShowArgs, io);
      })
      .command('summary', 'check every shipped model at its default scope and print a table (npm start)', (y) => y.option('json', { type: 'boolean' }).option('max-seconds', { type: 'number' }).option('scope', { type: 'string', describe: 'check every model that declares this scope (e.g. wide) at it instead' }), (a) => {
        code = runSummary(io, { json: Boolean(a.json), maxSeconds: a['max-seconds'], scope: a.scope });
      })
      .demandCommand(1, 'name a command: list, check, replay, shrink, regress, show, summary')
      .strict()
      .help()
      .version(false)
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ModelError) {
      io.err(`lazytlb: ${e instanceof ModelError ? 'model error: ' : ''}${e.message}\n`);
      if (debug) io.err(`${e.stack}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.err(`lazytlb: internal error: ${err?.message ?? String(e)}\n`);
    if (debug) io.err(`${err?.stack}\n`);
    return EXIT.usage;
  }
  return code;
}
