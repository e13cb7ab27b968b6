/**
 * The command-line parser: argv + the command specs → the command to run and its arguments, or a
 * help request. Strict: an unknown command, option or extra argument, a bad choice or a non-number
 * is E_USAGE naming it. Options may come anywhere after the command; `--` ends them.
 */
import { MkpkgError } from '../../errors.js';
import { commandUsage, positionalUsage, type ArgValue, type CommandSpec, type OptionSpec, type ParsedArgs } from './spec.js';

const HINT = 'run "mkpkg --help" or "mkpkg <command> --help"';

/** What the command line asks for. */
export type ParseOutcome<C extends CommandSpec> =
  | { kind: 'help'; command?: C }
  | { kind: 'run'; command: C; args: ParsedArgs };

const usageError = (message: string, hint = HINT) => new MkpkgError('E_USAGE', message, { hint });

/** `-x`, `-abc`, `--name`: not `-` (stdin, a path) and not a negative number. */
const isOptionLike = (a: string) => a.length > 1 && a.startsWith('-') && !/^-\d/.test(a);
const isHelp = (a: string) => a === '--help' || a === '-h';

/** Parse `argv` (without node and script) against `commands`; throws E_USAGE. */
export function parseCommandLine<C extends CommandSpec>(argv: readonly string[], commands: readonly C[]): ParseOutcome<C> {
  const end = argv.indexOf('--');
  const helpAsked = (end < 0 ? argv : argv.slice(0, end)).some(isHelp);
  const find = (name: string | undefined) => commands.find((c) => c.name === name);
  const first = argv[0];
  if (first !== undefined && isHelp(first)) return { kind: 'help', command: find(argv[1]) };
  const command = find(first);
  if (!command) {
    if (helpAsked) return { kind: 'help' };
    const names = commands.map((c) => c.name).join(', ');
    if (first === undefined) throw usageError(`give a command: ${names}`);
    if (isOptionLike(first)) throw usageError(`${first} before the command: options follow it (mkpkg <command> [options])`);
    throw usageError(`unknown command "${first}" (the commands: ${names})`);
  }
  const parsed = parseCommandArgs(command, argv.slice(1));
  if (parsed.help) return { kind: 'help', command };
  if (parsed.error) throw parsed.error;
  return { kind: 'run', command, args: parsed.args };
}

/** The arguments after the command name. The first problem is kept, not thrown: `--help` anywhere still wins. */
function parseCommandArgs(command: CommandSpec, rest: readonly string[]): { args: ParsedArgs; help: boolean; error?: MkpkgError } {
  const args: ParsedArgs = {};
  const positionals: string[] = [];
  let help = false;
  let error: MkpkgError | undefined;
  const fail = (message: string, hint?: string) => { error ??= usageError(message, hint); };
  const byAlias = new Map(Object.entries(command.options).flatMap(([name, o]) => (o.alias ? [[o.alias, name] as const] : [])));

  /** Store one value of `--name`: converted, checked against its choices; a single-valued option keeps the last. */
  const store = (name: string, spec: OptionSpec, text: string) => {
    if (spec.type === 'string[]') {
      args[name] = [...((args[name] as string[] | undefined) ?? []), text];
      return;
    }
    const value = spec.type === 'number' ? Number(text) : text;
    if (spec.type === 'number' && (text.trim() === '' || !Number.isFinite(value))) fail(`--${name}: "${text}" is not a number`);
    else if (spec.choices && !spec.choices.includes(text)) fail(`--${name}: "${text}" is not one of ${spec.choices.join(', ')}`);
    else args[name] = value;
  };
  /** Handle option `name` at rest[i] with its `=value` if any; returns how many following arguments it took. */
  const option = (name: string, inline: string | undefined, i: number): number => {
    const spec = command.options[name];
    const negated = !spec && name.startsWith('no-') ? command.options[name.slice(3)] : undefined;
    if (negated?.type === 'boolean' && inline === undefined) {
      args[name.slice(3)] = false;
      return 0;
    }
    if (!spec) {
      fail(`mkpkg ${command.name} has no option ${name.length === 1 ? '-' : '--'}${name}`);
      return 0;
    }
    if (spec.type === 'boolean') {
      if (inline === undefined || inline === 'true' || inline === 'false') args[name] = inline !== 'false';
      else fail(`--${name} is true or false, not "${inline}"`);
      return 0;
    }
    if (inline !== undefined) {
      if (inline === '') fail(`--${name} needs a value`);
      else store(name, spec, inline);
      return 0;
    }
    let taken = 0;
    while (i + 1 + taken < rest.length && rest[i + 1 + taken] !== '--' && !isOptionLike(rest[i + 1 + taken]!)) {
      store(name, spec, rest[i + 1 + taken]!);
      taken++;
      if (spec.type !== 'string[]') break;
    }
    if (spec.type === 'string[]') args[name] ??= [];
    else if (!taken) fail(`--${name} needs a value`, `give it one: --${name} VALUE (or --${name}=VALUE for a value that starts with "-")`);
    return taken;
  };

  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!isOptionLike(arg)) positionals.push(arg);
    else if (arg === '--help') help = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      i += option(eq < 0 ? arg.slice(2) : arg.slice(2, eq), eq < 0 ? undefined : arg.slice(eq + 1), i);
    } else {
      // -q, -qv, -o DIR, -oDIR, -o=DIR: letters until one that takes a value, which takes the rest or the next argument.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        if (letter === 'h') { help = true; continue; }
        const name = byAlias.get(letter);
        if (!name || command.options[name]!.type === 'boolean') {
          i += option(name ?? letter, undefined, i);
          continue;
        }
        const attached = arg.slice(j + 1).replace(/^=/, '');
        i += option(name, attached || undefined, i);
        break;
      }
    }
  }
  assignPositionals(command, positionals, args, fail);
  for (const [name, spec] of Object.entries(command.options)) {
    if (args[name] === undefined && spec.default !== undefined) args[name] = spec.default;
    if (args[name] === undefined && spec.required) fail(`mkpkg ${command.name} needs --${name}`);
  }
  return { args, help, error };
}

/** Positionals in order, the variadic last one taking the rest; checks required ones, choices and extras. */
function assignPositionals(command: CommandSpec, given: readonly string[], args: ParsedArgs, fail: (message: string) => void): void {
  let next = 0;
  const missing: string[] = [];
  for (const p of command.positionals) {
    const values = p.variadic ? given.slice(next) : given.slice(next, next + 1);
    next += values.length;
    const bad = p.choices ? values.find((v) => !p.choices!.includes(v)) : undefined;
    if (bad !== undefined) fail(`<${p.name}>: "${bad}" is not one of ${p.choices!.join(', ')}`);
    if (!values.length && p.required) missing.push(positionalUsage(p));
    const value: ArgValue = p.variadic ? values : (values[0] ?? p.default);
    if (value !== undefined) args[p.name] = value;
  }
  if (missing.length) fail(`missing ${missing.join(' ')} (usage: mkpkg ${commandUsage(command)})`);
  if (next < given.length) fail(`unexpected argument${given.length - next > 1 ? 's' : ''} ${given.slice(next).map((a) => `"${a}"`).join(' ')} (usage: mkpkg ${commandUsage(command)})`);
}
