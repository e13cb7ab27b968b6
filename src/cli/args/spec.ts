/**
 * The declarative form of a command line: each command's positionals and options as plain data,
 * read by the parser (parse.ts) and, only when asked, by the help printer (help.ts).
 */

/** `string[]` options take several values: repeated (`--host a --host b`) or listed (`--workspaces a b`). */
export type OptionType = 'string' | 'number' | 'boolean' | 'string[]';

/** One `--name` option. A single-valued option given twice keeps its last value. */
export interface OptionSpec {
  type: OptionType;
  /** One letter: `-o` for `--out`. */
  alias?: string;
  describe?: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  /** The option must be given (E_USAGE otherwise). */
  required?: boolean;
}

/** One positional argument, in order. Only the last may be variadic (`<pkgs..>`, `[names..]`). */
export interface PositionalSpec {
  name: string;
  describe?: string;
  required?: boolean;
  variadic?: boolean;
  default?: string;
  choices?: readonly string[];
}

/** The options of a command, by long name (dashed names stay dashed: `sign-key`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What a command takes: its positionals and options. */
export interface CommandArgs {
  positionals: readonly PositionalSpec[];
  options: OptionSpecs;
}

/** A command: `mkpkg NAME <positionals> [options]`. */
export interface CommandSpec extends CommandArgs {
  name: string;
  describe: string;
}

/** A parsed value: positionals and options by name, defaults filled in. */
export type ArgValue = string | number | boolean | string[] | undefined;
export type ParsedArgs = Record<string, ArgValue>;

/** `<file>`, `[dir]`, `<pkgs..>`, `[packages..]`. */
export function positionalUsage(p: PositionalSpec): string {
  const inner = `${p.name}${p.variadic ? '..' : ''}`;
  return p.required ? `<${inner}>` : `[${inner}]`;
}

/** `publish <family> <target> [packages..]`. */
export function commandUsage(c: CommandSpec): string {
  return [c.name, ...c.positionals.map(positionalUsage)].join(' ');
}
