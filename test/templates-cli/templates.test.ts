/**
 * `mkpkg templates list|eject` and project overrides, through the built CLI; the built packages are
 * judged with the real dpkg-deb.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { REPO, cli, cliOk, copyFixture, listDir, tinyProject, unpackDeb } from '../pipeline/support.js';

interface Row { name: string; origin: string; plugin?: string; path: string }
const listJson = (dir: string): Row[] => JSON.parse(cliOk(['templates', 'list', '--dir', dir, '--json']).stdout) as Row[];
const builtin = (name: string) => join(REPO, 'packaging-templates', name);
const SERVICE = `services: [{ name: 'tiny', command: '/bin/sleep infinity' }],`;

describe('templates CLI', function () {
  this.timeout(600_000);

  it('lists every template with its origin and path (text and --json)', () => {
    const dir = scratch();
    const rows = listJson(dir);
    const names = rows.map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
    for (const n of ['deb/postinst.ejs', 'deb/postrm.ejs', 'rpm/post.ejs', 'systemd/service.ejs', 'common/copyright.ejs']) assert.ok(names.includes(n), n);
    assert.ok(rows.every((r) => r.origin === 'builtin' && r.path === builtin(r.name)));
    const text = cliOk(['templates', 'list', '--dir', dir]).stdout;
    assert.match(text, /^systemd\/service\.ejs +builtin +\S+packaging-templates\/systemd\/service\.ejs$/m);
  });

  it('shows plugin and project templates where they win the lookup', () => {
    const dir = copyFixture('plugin-demo');
    const before = listJson(dir).find((r) => r.name === 'common/copyright.ejs')!;
    assert.deepEqual({ origin: before.origin, plugin: before.plugin, path: before.path }, { origin: 'plugin', plugin: 'stamp', path: join(dir, 'plugins/templates/common/copyright.ejs') });
    assert.match(cliOk(['templates', 'list', '--dir', dir]).stdout, /^common\/copyright\.ejs +plugin:stamp +/m);
    cliOk(['templates', 'eject', 'common/copyright', '--dir', dir]);
    const after = listJson(dir).find((r) => r.name === 'common/copyright.ejs')!;
    assert.deepEqual({ origin: after.origin, path: after.path }, { origin: 'project', path: join(dir, 'packaging/common/copyright.ejs') });
  });

  it('ejects built-ins into packaging/ verbatim and refuses to overwrite', () => {
    const dir = tinyProject();
    const r = cliOk(['templates', 'eject', 'systemd/service', 'deb/postinst.ejs', '--dir', dir]);
    const files = [join(dir, 'packaging/deb/postinst.ejs'), join(dir, 'packaging/systemd/service.ejs')];
    assert.equal(r.stdout, files.map((f) => `wrote ${f}\n`).join(''));
    assert.equal(readFileSync(files[1]!, 'utf8'), readFileSync(builtin('systemd/service.ejs'), 'utf8'));
    writeFileSync(files[1]!, 'edited\n');
    const again = cli(['templates', 'eject', 'systemd/service', '--dir', dir]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^error E_TEMPLATE_EXISTS: refusing to overwrite .*packaging\/systemd\/service\.ejs/m);
    assert.equal(readFileSync(files[1]!, 'utf8'), 'edited\n');
    const unknown = cli(['templates', 'eject', 'deb/nosuch', '--dir', dir]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^error E_TEMPLATE_NOT_FOUND: no built-in template named "deb\/nosuch\.ejs"/m);
  });

  it('ejects into the configured templatesDir', () => {
    const dir = tinyProject(`templatesDir: 'ops/templates',`);
    cliOk(['templates', 'eject', 'deb/prerm', '--dir', dir]);
    assert.deepEqual(listDir(join(dir, 'ops/templates/deb')), ['prerm.ejs']);
    assert.equal(listJson(dir).find((r) => r.name === 'deb/prerm.ejs')!.origin, 'project');
  });

  it('a project override of systemd/service.ejs changes the unit in the built package', function () {
    requireTools(this, 'dpkg-deb');
    const dir = tinyProject(SERVICE);
    cliOk(['templates', 'eject', 'systemd/service', '--dir', dir]);
    const file = join(dir, 'packaging/systemd/service.ejs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('[Service]\n', '[Service]\nEnvironment=OVERRIDDEN_BY=project\n'));
    const out = scratch();
    const r = cliOk(['deb', dir, '-o', out, '--verbose']);
    assert.match(r.stderr, new RegExp(`^template systemd/service\\.ejs <- project: ${file}$`, 'm'));
    const unit = readFileSync(join(unpackDeb(join(out, 'tiny_1.2.3-1_all.deb')), 'usr/lib/systemd/system/tiny.service'), 'utf8');
    assert.match(unit, /^\[Service\]\nEnvironment=OVERRIDDEN_BY=project\n/m);
  });

  it('a shell syntax error in an overridden script template fails the build with E_SCRIPT_SYNTAX naming the template', () => {
    const dir = tinyProject(SERVICE);
    cliOk(['templates', 'eject', 'deb/postrm', '--dir', dir]);
    const file = join(dir, 'packaging/deb/postrm.ejs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('set -e\n', 'set -e\nif [ "$1" = purge ]; then\n\techo unterminated\n'));
    const out = join(scratch(), 'out');
    const r = cli(['deb', dir, '-o', out]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^error E_SCRIPT_SYNTAX: deb/postrm\\.ejs \\(${file}\\) is not valid POSIX sh`, 'm'));
    assert.deepEqual(listDir(out), []);
  });
});
