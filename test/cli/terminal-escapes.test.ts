/**
 * Human output never copies terminal control sequences from packages or projects to the terminal
 * (issue 10 item 7): `inspect`, `--dry-run`, warnings and errors show them escaped; `--json` keeps
 * the exact text.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { buildJson, mkpkg, mkpkgOk } from './helpers.js';

const ESC = '\u001b';
/** Clear screen, set the window title, a C1 CSI, a bidi override. */
const CLEAR = `${ESC}[2J`;
const TITLE = `${ESC}]0;pwned\u0007`;
const CSI = '\u009b31m';
const RLO = '\u202e';

/** No byte a terminal would act on: C0 except LF, DEL, C1, bidi overrides. */
function assertInert(text: string, what: string): void {
  const m = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(text);
  assert.equal(m, null, `${what} holds a raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}:\n${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}

describe('cli: human output escapes control characters, --json stays exact', function () {
  this.timeout(180_000);

  before(function () {
    requireTools(this, 'dpkg-deb');
  });

  it('inspect of a .deb whose file names, link target and description hold escape sequences', () => {
    const root = scratch('mkpkg-esc-deb-');
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
    mkdirSync(join(tree, 'opt'));
    const evilName = `evil${CLEAR}name${CSI}`;
    writeFileSync(join(tree, 'opt', evilName), 'x');
    symlinkSync(`tar${TITLE}get`, join(tree, 'opt', `lnk${RLO}`));
    const summary = `sum ${TITLE} here`;
    writeFileSync(join(tree, 'DEBIAN/control'), `Package: evil\nVersion: 1.0\nArchitecture: all\nMaintainer: A <a@example.org>\nDescription: ${summary}\n long ${CLEAR} line\r\n`);
    const deb = join(root, 'evil.deb');
    const built = spawnSync('dpkg-deb', ['--root-owner-group', '-b', tree, deb], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);

    const text = mkpkgOk(['inspect', deb]);
    assertInert(text, 'inspect text');
    assert.ok(text.includes('/opt/evil\\x1b[2Jname\\x9b31m'), text);
    assert.ok(text.includes('-> tar\\x1b]0;pwned\\x07get'), text);
    assert.ok(text.includes('lnk\\u202e'), text);
    assert.ok(text.includes('Description: sum \\x1b]0;pwned\\x07 here'), text);

    const json = JSON.parse(mkpkgOk(['inspect', '--json', deb])) as { control: Record<string, string>; files: { path: string; linkTarget?: string }[] };
    assert.ok(json.files.some((f) => f.path === `/opt/${evilName}`), 'the exact file name is in --json');
    assert.ok(json.files.some((f) => f.path === `/opt/lnk${RLO}` && f.linkTarget === `tar${TITLE}get`));
    assert.ok(json.control.Description!.startsWith(summary), JSON.stringify(json.control.Description));
  });

  it('inspect of an .rpm whose header holds escape sequences (file names, summary, description)', function () {
    requireTools(this, 'rpm');
    // rpmbuild refuses such names, an attacker's own encoder does not: build a clean package with
    // placeholders of the same length, then put the control bytes in their place.
    const dir = scratch('mkpkg-esc-rpm-');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
      name: 'evil', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 'sum %E31% here', description: 'long %E31%%Q line', license: 'MIT', app: false,
      contents: [{ src: 'a.txt', dst: '/usr/share/evil/name%E31%%Q.txt' }],
    }));
    const [a] = buildJson(['rpm', dir, '-o', scratch(), '--compression', 'none']);
    const bytes = readFileSync(a!.path, 'latin1').replaceAll('%E31%', `${ESC}[31m`).replaceAll('%Q', '\u00c2\u009b');
    const rpm = join(dir, 'evil.rpm');
    writeFileSync(rpm, bytes, 'latin1');
    const listed = spawnSync('rpm', ['-qpl', '--nodigest', '--nosignature', rpm], { encoding: 'utf8' }).stdout;
    assert.ok(listed.includes(`name${ESC}[31m\u009b.txt`), `the patched name is what rpm reads:\n${JSON.stringify(listed)}`);

    const text = mkpkgOk(['inspect', rpm]);
    assertInert(text, 'inspect text');
    assert.ok(text.includes('/usr/share/evil/name\\x1b[31m\\x9b.txt'), text);
    assert.match(text, /^summary: sum \\x1b\[31m here$/m);
    const json = JSON.parse(mkpkgOk(['inspect', '--json', rpm])) as { tags: Record<string, unknown>; files: { path: string }[] };
    assert.ok(json.files.some((f) => f.path === `/usr/share/evil/name${ESC}[31m\u009b.txt`), 'the exact name is in --json');
    assert.equal(json.tags.summary, `sum ${ESC}[31m here`);
  });

  it('--dry-run shows a script fragment holding raw escape bytes escaped', () => {
    const dir = scratch('mkpkg-esc-dry-');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'post.sh'), `printf '${CLEAR}${TITLE}'\n`);
    writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
      name: 'dry', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 's', description: 'd', license: 'MIT', app: false,
      contents: [{ src: 'a.txt', dst: '/usr/share/dry/a.txt' }], scripts: { deb: { postinst: 'post.sh' }, rpm: { post: 'post.sh' } },
    }));
    const out = mkpkgOk(['build', dir, '--dry-run', '-o', scratch()]);
    assertInert(out, 'dry-run output');
    assert.ok(out.includes("printf '\\x1b[2J\\x1b]0;pwned\\x07'"), out);
  });

  it('errors and warnings naming a path with escape sequences show them escaped', () => {
    const parent = scratch('mkpkg-esc-err-');
    const dir = join(parent, `proj${CLEAR}${TITLE}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'esc', version: '1.0.0', description: 'd', author: 'A <a@example.org>', license: 'MIT', main: 42 }));
    const r = mkpkg(['deb', dir, '-o', scratch(), '--dry-run']);
    assertInert(r.stderr, 'warnings');
    assert.match(r.stderr, /warning W_PACKAGE_JSON_FIELD: .*proj\\x1b\[2J\\x1b\]0;pwned\\x07/);
    const empty = join(parent, `empty${CLEAR}`);
    mkdirSync(empty);
    const e = mkpkg(['deb', empty]);
    assert.equal(e.status, 1);
    assertInert(e.stderr, 'the error');
    assert.match(e.stderr, /^error E_CONFIG_NOT_FOUND: .*empty\\x1b\[2J/m);
    const usage = mkpkg(['deb', `--bogus${CLEAR}`]);
    assertInert(usage.stderr, 'the usage error');
  });
});
