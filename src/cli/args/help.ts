/** `mkpkg --help` and `mkpkg <command> --help`, rendered from the command specs (only when asked). */
import { commandUsage, type CommandSpec, type OptionSpec, type PositionalSpec } from './spec.js';

/** Two aligned columns, the second column's notes after two spaces. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd());
}

/** `[string] [default: "."] [choices: deb, rpm] [required]` */
function notes(kind: string, o: { default?: unknown; choices?: readonly string[]; required?: boolean }): string {
  return [
    `[${kind}]`,
    o.required ? '[required]' : '',
    o.default !== undefined ? `[default: ${JSON.stringify(o.default)}]` : '',
    o.choices ? `[choices: ${o.choices.join(', ')}]` : '',
  ].filter(Boolean).join(' ');
}

function positionalRow(p: PositionalSpec): [string, string] {
  return [p.name, [p.describe, notes(p.variadic ? 'list' : 'string', p)].filter(Boolean).join('  ')];
}

function optionRow(name: string, o: OptionSpec): [string, string] {
  const long = o.type === 'boolean' && o.default === true ? `--[no-]${name}` : `--${name}`;
  const value = o.type === 'boolean' ? '' : o.type === 'string[]' ? ' VALUE…' : o.type === 'number' ? ' N' : ' VALUE';
  const kind = o.type === 'string[]' ? 'list, repeatable' : o.type;
  return [`${o.alias ? `-${o.alias}, ` : '    '}${long}${value}`, [o.describe, notes(kind, o)].filter(Boolean).join('  ')];
}

/** The top-level help: how to call mkpkg and every command. */
export function programHelp(commands: readonly CommandSpec[]): string {
  return [
    'mkpkg <command> [options]',
    'mkpkg --version',
    '',
    'Commands:',
    ...table(commands.map((c) => [`mkpkg ${commandUsage(c)}`, c.describe])),
    '',
    'Run "mkpkg <command> --help" for the arguments and options of a command.',
    '',
  ].join('\n');
}

/** The help of one command: its usage line, description, arguments and options. */
export function commandHelp(c: CommandSpec): string {
  const lines = [`mkpkg ${commandUsage(c)} [options]`, '', c.describe, ''];
  if (c.positionals.length) lines.push('Arguments:', ...table(c.positionals.map(positionalRow)), '');
  const options = [...Object.entries(c.options).map(([name, o]) => optionRow(name, o)), ['-h, --help', 'show this help'] as [string, string]];
  lines.push('Options:', ...table(options), '');
  return lines.join('\n');
}
