import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDeb } from '../../../src/formats/deb/writer.js';
import { renderControl } from '../../../src/formats/deb/control.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';
import { featureFixture, metadata, writeOptions } from './fixture.js';
import { dataEntry } from './plan-from-tree.js';
import { run } from './tree-compare.js';

const dir = (path: string): PlanEntry => ({ kind: 'dir', path, mode: 0o755, owner: 'root', group: 'root', mtime: 0, flags: {} });
const rejectsWith = (code: string, pattern: RegExp) => (e: { code: string; message: string; hint?: string }) =>
  e.code === code && pattern.test(e.message) && typeof e.hint === 'string' && e.hint.length > 0;

describe('formats/deb control', function () {
  before(function () { requireTools(this, 'dpkg-deb'); });

  it('writes a multi-paragraph description, every relation field and extra fields as dpkg-deb parses them back', async () => {
    const meta = metadata({
      description: '\nFirst paragraph,   \n  two-space verbatim line\n\n\nThird\n\n',
      relations: { 'Pre-Depends': ['dpkg (>= 1.19)'], Depends: ['a', 'b (<< 2) | c'], Recommends: ['r'], Suggests: ['s'], Breaks: ['x (<< 1)'], Conflicts: ['y'], Provides: ['z (= 1)'], Replaces: ['x (<< 1)'], Enhances: ['e'] },
      extraFields: { 'Multi-Arch': 'foreign', 'X-Acme': 'yes' },
    });
    const plan = { entries: [dir('/usr'), dir('/usr/share'), dataEntry('/usr/share/x', 'x\n')] };
    const art = await writeDeb(plan, meta, {}, writeOptions(scratch(), { compression: 'gzip', level: 9 }));
    const field = (f: string) => run('dpkg-deb', ['--field', art.path, f]).replace(/\n$/, '');
    assert.equal(field('Description'), `${meta.synopsis}\n First paragraph,\n   two-space verbatim line\n .\n .\n Third`);
    assert.equal(field('Depends'), 'a, b (<< 2) | c');
    assert.equal(field('Pre-Depends'), 'dpkg (>= 1.19)');
    assert.equal(field('Provides'), 'z (= 1)');
    assert.equal(field('Multi-Arch'), 'foreign');
    assert.equal(field('X-Acme'), 'yes');
    assert.equal(run('dpkg-deb', ['--show', '--showformat=${Package} ${Version} ${Architecture} ${Installed-Size}', art.path]), `${meta.package} ${meta.version} all 4`); // ./, usr/, usr/share/ and one 2-byte file: 1 KiB each
  });

  it('Installed-Size equals what dpkg-gencontrol computes on the extracted tree (hard links counted once)', async function () {
    requireTools(this, 'dpkg-gencontrol');
    const fx = featureFixture();
    const art = await writeDeb(fx.plan, fx.meta, fx.scripts, writeOptions(scratch()));
    const src = scratch();
    const pkgDir = join(src, 'debian', fx.meta.package);
    mkdirSync(pkgDir, { recursive: true });
    run('dpkg-deb', ['-x', art.path, pkgDir]);
    writeFileSync(join(src, 'debian/control'), `Source: ${fx.meta.package}\nMaintainer: ${fx.meta.maintainer}\n\nPackage: ${fx.meta.package}\nArchitecture: all\nDescription: x\n`);
    writeFileSync(join(src, 'debian/changelog'), `${fx.meta.package} (1.0-1) unstable; urgency=low\n\n  * x\n\n -- ${fx.meta.maintainer}  Tue, 14 Nov 2023 22:13:20 +0000\n`);
    const generated = /^Installed-Size: (\d+)$/m.exec(run('sh', ['-c', `cd "${src}" && dpkg-gencontrol -p${fx.meta.package} -P"debian/${fx.meta.package}" -O`]));
    assert.ok(generated);
    assert.equal(run('dpkg-deb', ['--field', art.path, 'Installed-Size']).trim(), generated[1]);
  });

  it('rejects bad metadata with a coded error naming the field and value', () => {
    assert.throws(() => renderControl(metadata({ homepage: 'https://a\nInjected: yes' }), 1), rejectsWith('E_METADATA_INVALID', /Homepage.*Injected/));
    assert.throws(() => renderControl(metadata({ maintainer: ' ' }), 1), rejectsWith('E_METADATA_MISSING', /Maintainer/));
    assert.throws(() => renderControl(metadata({ relations: { Depends: ['a\nb'] } }), 1), rejectsWith('E_METADATA_INVALID', /Depends/));
    assert.throws(() => renderControl(metadata({ extraFields: { 'Bad Field': 'x' } }), 1), rejectsWith('E_METADATA_INVALID', /Bad Field/));
  });

  it('rejects plans and scripts dpkg could not install, before writing anything', async () => {
    const out = scratch();
    const opts = writeOptions(out);
    const fileUnder = (parent: string) => ({ entries: [dataEntry(`${parent}/f`, 'x')] });
    await assert.rejects(writeDeb(fileUnder('/usr'), metadata(), {}, opts), rejectsWith('E_PLAN_INVALID', /\/usr\/f .*parent directory \/usr/));
    const link: PlanEntry = { kind: 'symlink', path: '/etc/l', target: 'x', mode: 0o777, owner: 'root', group: 'root', mtime: 0, flags: { config: true } };
    await assert.rejects(writeDeb({ entries: [dir('/etc'), link] }, metadata(), {}, opts), rejectsWith('E_PLAN_INVALID', /\/etc\/l is a symlink/));
    const hard: PlanEntry = { kind: 'hardlink', path: '/etc/h', target: '/etc/missing', mode: 0o644, owner: 'root', group: 'root', mtime: 0, flags: {} };
    await assert.rejects(writeDeb({ entries: [dir('/etc'), hard] }, metadata(), {}, opts), rejectsWith('E_PLAN_INVALID', /\/etc\/h .*\/etc\/missing/));
    await assert.rejects(writeDeb({ entries: [] }, metadata(), { postinst: { body: 'echo hi\n' } }, opts), rejectsWith('E_SCRIPT_SYNTAX', /postinst/));
    await assert.rejects(writeDeb({ entries: [] }, metadata({ package: 'Acme_Foo' }), {}, opts), rejectsWith('E_METADATA_INVALID', /package "Acme_Foo"/));
    await assert.rejects(writeDeb({ entries: [] }, metadata({ version: '../../1.0' }), {}, opts), rejectsWith('E_METADATA_INVALID', /version/));
  });
});
