/**
 * The command-line parser (src/cli/args) against the real command table, and through the built CLI:
 * exit codes, help per command, usage errors as text and as JSON.
 */
import { strict as assert } from 'node:assert';
import { parseCommandLine } from '../../src/cli/args/parse.js';
import type { ParsedArgs } from '../../src/cli/args/spec.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import { mkpkg } from './helpers.js';

/** The command and arguments `argv` runs (fails the test on help or a usage error). */
function parsed(...argv: string[]): { command: string; args: ParsedArgs } {
  const r = parseCommandLine(argv, COMMANDS);
  assert.equal(r.kind, 'run', `${argv.join(' ')} asked for help`);
  return { command: r.command!.name, args: r.kind === 'run' ? r.args : {} };
}

/** The E_USAGE message `argv` is refused with; fails if it is accepted or fails otherwise. */
function refused(...argv: string[]): string {
  try {
    parseCommandLine(argv, COMMANDS);
  } catch (e) {
    assert.equal((e as { code?: string }).code, 'E_USAGE', String(e));
    assert.match((e as { hint: string }).hint, /\S/);
    return (e as Error).message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('cli/args: the command-line parser', () => {
  it('fills positionals and defaults, and types each option (string, number, boolean, list)', () => {
    assert.deepEqual(parsed('deb').args, { dir: '.', publish: true });
    const { args } = parsed('rpm', 'proj', '--level', '9', '--arch=arm64', '-o', 'out', '--strict', '--workspaces', 'a', 'b/*');
    assert.deepEqual(args, { dir: 'proj', level: 9, arch: 'arm64', out: 'out', strict: true, workspaces: ['a', 'b/*'], publish: true });
    assert.deepEqual(parsed('build', '--formats', 'deb').args.formats, 'deb');
    assert.equal(parsed('build').args.formats, 'deb,rpm');
    assert.deepEqual(parsed('stage', '-o', 'x').args, { dir: '.', out: 'x', format: 'deb', publish: true });
    assert.equal(parsed('notify', 'a.deb').args.dir, '.');
    assert.equal(parsed('deploy', 'a.deb', '--timeout', '1.5', '--host', 'h').args.timeout, 1.5);
    assert.equal(parsed('deb', '--level', '-1').args.level, -1, 'a negative number is a value, not an option');
  });

  it('options may come before, between and after positionals; short flags group (-qv) and take attached values (-oDIR)', () => {
    assert.deepEqual(parsed('publish', '--json', 'apt', '-q', 'repo', 'a.deb', '--keep', '2', 'b.deb').args,
      { family: 'apt', target: 'repo', packages: ['a.deb', 'b.deb'], json: true, quiet: true, keep: 2 });
    assert.deepEqual(parsed('deb', '-qv', '-o/tmp/out').args, { dir: '.', quiet: true, verbose: true, out: '/tmp/out', publish: true });
    assert.equal(parsed('deploy', 'a.deb', '--host', 'h', '-i', 'key').args.identity, 'key');
  });

  it('--no-FLAG negates a boolean (and --FLAG=false); a non-boolean or unknown --no-X is refused', () => {
    assert.equal(parsed('deb', '--no-publish').args.publish, false);
    assert.equal(parsed('deb', '--publish=false').args.publish, false);
    assert.equal(parsed('deb', '--no-publish', '--publish').args.publish, true, 'the last one wins');
    assert.equal(parsed('inspect', 'x.deb', '--no-json').args.json, false);
    assert.match(refused('deb', '--no-out'), /mkpkg deb has no option --no-out/);
    assert.match(refused('deb', '--no-frob'), /--no-frob/);
    assert.match(refused('deb', '--json=yes'), /--json is true or false, not "yes"/);
  });

  it('a single-valued flag given twice keeps its last value; a list flag collects every value', () => {
    assert.equal(parsed('deb', '--out', 'a', '--out', 'b').args.out, 'b');
    assert.equal(parsed('notify', 'a.deb', '--format', 'generic', '--format', 'slack').args.format, 'slack');
    assert.equal(parsed('deploy', 'a.deb', '--host', 'h', '--port', '22', '--port', '2222').args.port, 2222);
    assert.deepEqual(parsed('deploy', 'a.deb', '--host', 'h1', '--host', 'h2').args.host, ['h1', 'h2']);
    assert.deepEqual(parsed('notify', 'a.deb', '--repository', 'r1', 'r2', '--repository=r3').args.repository, ['r1', 'r2', 'r3']);
    assert.deepEqual(parsed('build', '--workspaces', '--dry-run').args.workspaces, [], '--workspaces alone: every workspace');
  });

  it('variadic positionals take the rest: deploy <pkgs..>, publish <family> <target> [packages..], templates <action> [names..]', () => {
    assert.deepEqual(parsed('deploy', 'a.deb', 'b.rpm', '--host', 'h').args.pkgs, ['a.deb', 'b.rpm']);
    assert.deepEqual(parsed('publish', 'yum', 'repo').args.packages, []);
    assert.deepEqual(parsed('publish', 'yum', 'repo', 'a.rpm', 'b.rpm').args.packages, ['a.rpm', 'b.rpm']);
    assert.deepEqual(parsed('templates', 'eject', 'deb/postinst.ejs', 'rpm/spec.ejs').args, { action: 'eject', names: ['deb/postinst.ejs', 'rpm/spec.ejs'], dir: '.' });
    assert.match(refused('deploy', '--host', 'h'), /missing <pkgs\.\.> \(usage: mkpkg deploy <pkgs\.\.>\)/);
    assert.match(refused('publish'), /missing <family> <target>/);
    assert.match(refused('inspect'), /missing <file>/);
  });

  it('-- ends the options: what follows is positional, even --help', () => {
    assert.equal(parsed('inspect', '--', '--odd.deb').args.file, '--odd.deb');
    assert.deepEqual(parsed('publish', 'apt', 'repo', '--json', '--', '-a.deb', '--keep').args.packages, ['-a.deb', '--keep']);
    assert.equal(parsed('inspect', '--', '--help').args.file, '--help');
    assert.equal(parsed('inspect', '-').args.file, '-', 'a lone dash is an argument');
  });

  it('refuses unknown options, commands and extra arguments, naming them', () => {
    assert.match(refused('deb', '--frobnicate'), /mkpkg deb has no option --frobnicate/);
    assert.match(refused('deb', '-z'), /mkpkg deb has no option -z/);
    assert.match(refused('deb', '-qz'), /-z/);
    assert.match(refused('init', '--json'), /mkpkg init has no option --json/);
    assert.match(refused('frob'), /unknown command "frob" \(the commands: deb, rpm, build/);
    assert.match(refused(), /give a command: deb, rpm/);
    assert.match(refused('-q', 'deb'), /-q before the command/);
    assert.match(refused('deb', 'a', 'b', 'c'), /unexpected arguments "b" "c" \(usage: mkpkg deb \[dir\]\)/);
    assert.match(refused('publish', 'apt', 'repo', '--help=yes'), /no option --help/);
  });

  it('refuses a non-number for a number flag, a value outside the choices, a missing value and a missing required option', () => {
    assert.match(refused('publish', 'apt', 'repo', 'a.deb', '--keep', 'abc'), /--keep: "abc" is not a number/);
    assert.match(refused('deb', '--level', '9x'), /--level: "9x" is not a number/);
    assert.match(refused('deb', '--level='), /--level needs a value/);
    assert.match(refused('deb', '--compression', 'lzma'), /--compression: "lzma" is not one of gzip, xz, zstd, none/);
    assert.match(refused('stage', '-o', 'x', '--format', 'apk'), /--format: "apk" is not one of deb, rpm/);
    assert.match(refused('publish', 'deb', 'repo'), /<family>: "deb" is not one of apt, yum/);
    assert.match(refused('templates', 'frob'), /<action>: "frob" is not one of list, eject/);
    assert.match(refused('deb', '--out'), /--out needs a value/);
    assert.match(refused('deb', '--out', '--json'), /--out needs a value/);
    assert.equal(parsed('deb', '--out=-odd').args.out, '-odd', 'a value starting with "-" is given with =');
    assert.match(refused('stage'), /mkpkg stage needs --out/);
    assert.match(refused('deploy', 'a.deb'), /mkpkg deploy needs --host/);
  });

  it('--help or -h anywhere before -- asks for the help of the command (even beside a bad option); mkpkg --help for all', () => {
    const help = (...argv: string[]) => {
      const r = parseCommandLine(argv, COMMANDS);
      assert.equal(r.kind, 'help', argv.join(' '));
      return r.command?.name;
    };
    assert.equal(help('--help'), undefined);
    assert.equal(help('-h'), undefined);
    assert.equal(help('--help', 'publish'), 'publish');
    assert.equal(help('publish', 'apt', '--frob', '--help'), 'publish');
    assert.equal(help('deb', '-qh'), 'deb');
    assert.equal(help('frob', '--help'), undefined);
  });
});

describe('cli/args: through the built CLI', function () {
  this.timeout(120_000);

  it('mkpkg --help lists every command; mkpkg <command> --help lists each argument and option with its type, default and choices', () => {
    const top = mkpkg(['--help']);
    assert.equal(top.status, 0, top.stderr);
    for (const c of COMMANDS) assert.ok(top.stdout.includes(`mkpkg ${c.name} `), `${c.name} missing from mkpkg --help`);
    for (const c of COMMANDS) {
      const r = mkpkg([c.name, '--help']);
      assert.equal(r.status, 0, `${c.name} --help: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.startsWith(`mkpkg ${c.name}`), r.stdout);
      assert.ok(r.stdout.includes(c.describe));
      for (const p of c.positionals) assert.match(r.stdout, new RegExp(`^ {2}${p.name} `, 'm'), `${c.name}: <${p.name}>`);
      for (const [name, o] of Object.entries(c.options)) {
        const line = r.stdout.split('\n').find((l) => new RegExp(`^ {2}(-\\w, | {4})--(\\[no-\\])?${name} `).test(l));
        assert.ok(line, `${c.name} --help lacks --${name}`);
        assert.ok(line.includes(`[${o.type === 'string[]' ? 'list, repeatable' : o.type}]`), line);
        if (o.default !== undefined) assert.ok(line.includes(`[default: ${JSON.stringify(o.default)}]`), line);
        if (o.choices) assert.ok(line.includes(`[choices: ${o.choices.join(', ')}]`), line);
        if (o.alias) assert.ok(line.includes(`-${o.alias}, --`), line);
      }
    }
    const pub = mkpkg(['publish', 'apt', '--help']).stdout;
    assert.match(pub, /^ {2}family +repository family {2}\[string\] \[required\] \[choices: apt, yum\]$/m);
    assert.match(pub, /^ {6}--keep N +keep the newest N versions .*\[number\]$/m);
  });

  it('a usage error exits 2 with "error E_USAGE: …" and the hint; with --json it is also one JSON object on stdout', () => {
    const text = mkpkg(['deb', '--frobnicate']);
    assert.equal(text.status, 2);
    assert.equal(text.stdout, '');
    assert.equal(text.stderr, 'error E_USAGE: mkpkg deb has no option --frobnicate\n  hint: run "mkpkg --help" or "mkpkg <command> --help"\n');
    const json = mkpkg(['publish', 'apt', '/nonexistent', 'a.deb', '--json', '--keep', 'many']);
    assert.equal(json.status, 2);
    assert.deepEqual(JSON.parse(json.stdout), { error: { code: 'E_USAGE', message: '--keep: "many" is not a number', hint: 'run "mkpkg --help" or "mkpkg <command> --help"' } });
    assert.match(json.stderr, /^error E_USAGE: --keep: "many" is not a number$/m);
  });
});
