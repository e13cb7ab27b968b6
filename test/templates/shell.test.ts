/** Quoting helpers, judged by real shells and by systemd-analyze. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envFileValue, execLine, shQuote, shQuoteList, systemdEscape, unitQuote } from '../../src/templates/index.js';
import { MkpkgError } from '../../src/errors.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

const HOSTILE = [
  '', 'plain', 'two words', "it's", "'", "''", '"', '\\', '\\\\n', '$HOME', '${HOME}', '$(touch /tmp/mkpkg-pwned)', '`id`',
  'a;b', 'a&&b', 'a|b', '*', '?', '[a-z]', '~', '~root', '-n', '--', 'x\ny', '\n', '\t', ' lead', 'trail ', 'é ünï 字',
  "mix 'single' \"double\" $var `cmd` \\ ; & | < > ( ) { } # !", '=', 'A=b', '%s %d 100%',
];
const SHELLS = ['/bin/sh', 'dash', 'bash'];

/** Run `script` with `shell` and split the NUL-separated output. */
function run(shell: string, script: string): string[] {
  const r = spawnSync(shell, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${shell} failed: ${r.stderr}\n${script}`);
  return r.stdout.split('\0').slice(0, -1);
}

describe('shQuote', () => {
  before(function () {
    requireTools(this, 'dash', 'bash');
  });

  for (const shell of SHELLS) {
    it(`round-trips hostile strings through ${shell} as single words`, () => {
      assert.deepEqual(run(shell, `printf '%s\\0' ${HOSTILE.map(shQuote).join(' ')}`), HOSTILE);
      assert.deepEqual(run(shell, `printf '%s\\0' ${shQuoteList(HOSTILE)}`), HOSTILE);
    });
  }

  it('leaves plain words readable and quotes the empty string as \'\'', () => {
    assert.equal(shQuote('/usr/lib/hello-service'), '/usr/lib/hello-service');
    assert.equal(shQuote(''), "''");
    assert.equal(shQuote("it's"), `'it'\\''s'`);
  });

  it('refuses a NUL byte with a MkpkgError', () => {
    assert.throws(() => shQuote('a\0b'), (e: unknown) => e instanceof MkpkgError && /NUL/.test(e.message) && !!e.hint);
  });
});

describe('envFileValue', () => {
  before(function () {
    requireTools(this, 'dash', 'bash');
  });

  for (const shell of SHELLS) {
    it(`round-trips through ${shell} when the file is sourced`, () => {
      const values = HOSTILE;
      const file = join(scratch(), 'env');
      writeFileSync(file, values.map((v, i) => `V${i}=${envFileValue(v)}\n`).join(''));
      const script = `. ${shQuote(file)}; ${values.map((_, i) => `printf '%s\\0' "$V${i}"`).join('; ')}`;
      assert.deepEqual(run(shell, script), values);
    });
  }
});

describe('unit file quoting', () => {
  function verify(ctx: Mocha.Context, body: string): { status: number | null; stderr: string } {
    requireTools(ctx, 'systemd-analyze');
    const file = join(scratch(), 'q.service');
    writeFileSync(file, body);
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  }
  const unit = (service: string) => `[Unit]\nDescription=${systemdEscape('quoting 100% "test"')}\n[Service]\nType=exec\n${service}\n[Install]\nWantedBy=multi-user.target\n`;

  it('Environment= and ExecStart= built from hostile values are accepted by systemd-analyze verify', function () {
    const env = HOSTILE.map((v, i) => unitQuote(`V${i}=${v}`)).join(' ');
    const r = verify(this, unit(`Environment=${env}\nExecStart=${execLine(['/bin/true', ...HOSTILE])}`));
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /q\.service:\d+:/);
  });

  it('the same values unquoted are rejected (the check can fail)', function () {
    const r = verify(this, unit(`ExecStart=/bin/true ${HOSTILE.filter((v) => !v.includes('\n')).join(' ')}`));
    assert.notEqual(r.status, 0);
  });

  it('systemdEscape doubles % and refuses newlines and a trailing backslash', () => {
    assert.equal(systemdEscape('100% done'), '100%% done');
    assert.throws(() => systemdEscape('a\nb'), (e: unknown) => e instanceof MkpkgError && e.message.includes('"a\\nb"'));
    assert.throws(() => systemdEscape('a\\'), MkpkgError);
  });

  it('ExecStart quoting doubles $ and % but only quotes words that need it', () => {
    assert.equal(execLine(['/usr/bin/node', '/usr/lib/app/server.js']), '/usr/bin/node /usr/lib/app/server.js');
    assert.equal(execLine(['/bin/sh', '-c', 'exec node $X 5%']), '/bin/sh -c "exec node $$X 5%%"');
    assert.equal(execLine(['-x']), '"-x"');
  });
});
