/** The DEP-5 copyright file, shipped in a package built by dpkg-deb and judged by lintian. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCopyright } from '../../src/lifecycle/index.js';
import { createTemplateLookup } from '../../src/templates/index.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

function deb(dir: string, name: string, copyright?: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc', name), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), `Package: ${name}\nVersion: 1.0\nArchitecture: all\nMaintainer: Acme Ops <ops@acme.example>\nSection: net\nPriority: optional\nDescription: copyright test\n A package that only ships its copyright file.\n`);
  if (copyright !== undefined) writeFileSync(join(root, 'usr/share/doc', name, 'copyright'), copyright);
  const out = join(dir, `${name}.deb`);
  const r = spawnSync('dpkg-deb', ['--root-owner-group', '-b', root, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

describe('renderCopyright', () => {
  it('renders a DEP-5 file that lintian accepts for MIT, a common licence and an unknown one (and flags a missing one)', function () {
    requireTools(this, 'dpkg-deb', 'lintian');
    const dir = scratch();
    const lookup = createTemplateLookup();
    const make = (name: string, license?: string) => {
      const e = renderCopyright({ packageName: name, homepage: 'https://acme.example/hello', license, copyrightHolder: 'Acme Ops <ops@acme.example>', mtime: 1700000000 }, lookup);
      assert.equal(e.path, `/usr/share/doc/${name}/copyright`);
      assert.match(e.data, /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\nUpstream-Name: /);
      assert.match(e.data, /^Copyright: 2023 Acme Ops <ops@acme\.example>$/m);
      return deb(dir, name, e.data);
    };
    const debs = [make('cp-mit', 'MIT'), make('cp-apache', 'Apache-2.0'), make('cp-gpl', 'GPL-3.0-or-later'), make('cp-other', 'BSD-3-Clause'), deb(dir, 'cp-none')];
    const r = spawnSync('lintian', ['--pedantic', '-I', ...debs], { encoding: 'utf8' });
    const tags = r.stdout.split('\n').filter((l) => /copyright|licen/i.test(l));
    assert.deepEqual(tags.filter((l) => !l.includes(' cp-none:')), [], r.stdout);
    assert.ok(tags.some((l) => l.includes('cp-none: no-copyright-file')), `lintian should flag the package without one:\n${r.stdout}`);
  });

  it('maps SPDX ids to DEP-5 names and refers to common-licenses where Debian has the text', () => {
    const lookup = createTemplateLookup();
    const text = (license: string) => renderCopyright({ packageName: 'p', license, copyrightHolder: 'me', year: 2024 }, lookup).data;
    assert.match(text('MIT'), /^License: Expat\n Permission is hereby granted/m);
    assert.match(text('GPL-3.0-or-later'), /^License: GPL-3\+\n .*\/usr\/share\/common-licenses\/GPL-3\.$/m);
    assert.doesNotMatch(text('MIT'), /^Source:/m, 'no Source field without a homepage');
  });
});
