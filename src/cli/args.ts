// Options as the user types them, parsed in one place: counts and limits are decimal integers in a
// range (seconds: a positive decimal), a string option needs a value, a repeatable option takes one
// value per occurrence (so `--param cpus=1 model` leaves the model alone), a boolean is true or false.
// Every mistake is a UsageError naming the option, the value and what is accepted.
import type { Options } from 'yargs';
import { UsageError, closeMatches, unknownName } from '../lang/errors.ts';
import { decimalInteger, decimalNumber, integerRange } from '../lang/numbers.ts';

/** The value of an option given once (yargs collects a repeated option into an array). */
function once(name: string, v: unknown): string {
  if (Array.isArray(v)) throw new UsageError(`--${name} is given ${v.length} times (${v.join(', ')}); give it once`);
  return String(v);
}

/** An option given once with a value, turned into its value by `parse` (which throws a UsageError). */
function valueOption<T>(name: string, describe: string, parse: (text: string) => T, extra: Options = {}): Options {
  return { type: 'string', requiresArg: true, describe, ...extra, coerce: (v: unknown) => parse(once(name, v)) };
}

/** An integer option from `min` to `max`. */
export function integerOption(name: string, describe: string, min = 1, max = Infinity): Options {
  return valueOption(name, describe, (text) => {
    const n = decimalInteger(text);
    if (n === null) throw new UsageError(`--${name} ${text} is not an integer; accepted: ${integerRange(min, max)}`);
    if (n < min || n > max) throw new UsageError(`--${name} ${text} is out of range; accepted: ${integerRange(min, max)}`);
    return n;
  });
}

/** A positive number of seconds (`30`, `0.5`). */
export function secondsOption(name: string, describe: string): Options {
  return valueOption(name, describe, (text) => {
    const n = decimalNumber(text);
    if (n === null || n <= 0) throw new UsageError(`--${name} ${text} is not a positive number of seconds; accepted: a positive decimal number such as 30 or 0.5`);
    return n;
  });
}

/** A string option that needs a non-empty value. */
export function stringOption(name: string, describe: string, extra: Options = {}): Options {
  return valueOption(
    name,
    describe,
    (text) => {
      if (text === '') throw needsValue(name);
      return text;
    },
    extra,
  );
}

/** An option whose value is one of `accepted` names: a misspelling names the close matches. */
export function namedOption(name: string, describe: string, accepted: readonly string[]): Options {
  return valueOption(name, describe, (text) => {
    if (!accepted.includes(text)) throw unknownName(`--${name} value`, text, accepted);
    return text;
  });
}

/** A repeatable option, one value per occurrence. */
export function repeatableOption(describe: string): Options {
  return { type: 'string', array: true, nargs: 1, requiresArg: true, describe };
}

export function needsValue(name: string): UsageError {
  return new UsageError(`--${name} needs a value`);
}

/**
 * yargs reads `--por=maybe` as false (and `--no-por=true` as an unknown option): a boolean given with
 * `=` must say true or false. `booleans` are the command's boolean options.
 */
export function checkBooleans(argv: readonly string[], booleans: readonly string[]): void {
  for (const tok of argv) {
    if (tok === '--') return;
    const m = /^--(no-)?([^=]+)=(.*)$/s.exec(tok);
    if (!m || !booleans.includes(m[2])) continue;
    const accepted = `accepted: --${m[2]}, --no-${m[2]}, --${m[2]}=true, --${m[2]}=false`;
    if (m[1]) throw new UsageError(`--no-${m[2]} takes no value; ${accepted}`);
    if (m[3] !== 'true' && m[3] !== 'false') throw new UsageError(`--${m[2]}=${m[3]} is not a boolean; ${accepted}`);
  }
}

/**
 * yargs's own usage messages, made one line in the project's words: an option without its value, an
 * unknown option (`options`: the command's; the close matches first), a misspelled command (no
 * command matched: `command` is null; `commands` are the specs, `check <model>`), an argument too
 * many or too few.
 */
export function usageMessage(msg: string, argv: readonly string[], command: string | null, options: readonly string[], commands: readonly string[]): UsageError {
  const missing = /^Not enough arguments following: (.+)$/.exec(msg);
  if (missing) return needsValue(missing[1]);
  if (/^Not enough non-option arguments/.test(msg) && command !== null) return new UsageError(`${command} needs its argument (${command} ${positionalOf(command, commands)}); see lazytlb ${command} --help`);
  const choice = /^Invalid values:\s+Argument: (.+), Given: "(.*)", Choices: (.+)$/s.exec(msg);
  if (choice) return new UsageError(`--${choice[1]} ${choice[2]} is not accepted; accepted: ${choice[3].replace(/"/g, '')}`);
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!unknown) return new UsageError(msg.replace(/\s*\n\s*/g, ' '));
  const first = unknown[1].split(', ')[0];
  if (command === null) return unknownName('command', first, commands.map((c) => c.split(' ')[0]));
  const asOption = argv.find((t) => t.replace(/^-+/, '').split('=')[0] === first && t.startsWith('-'));
  if (asOption === undefined) return new UsageError(`unexpected argument '${first}' to ${command}; see lazytlb ${command} --help`);
  const name = asOption.split('=')[0];
  const close = closeMatches(name.replace(/^-+/, ''), options).map((o) => `--${o}`);
  return new UsageError(`unknown option ${name}${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}; see lazytlb ${command} --help`);
}

/** `<model>` of `check <model>` in the command specs. */
function positionalOf(command: string, specs: readonly string[]): string {
  return specs.find((c) => c.startsWith(`${command} `))?.slice(command.length + 1) ?? '';
}
