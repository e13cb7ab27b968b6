/**
 * Reading a repository's own indexes back (Packages, repomd.xml, primary/filelists/other): what
 * another tool, an earlier publish or a hostile writer left there is read as apt and dnf read it,
 * and in time linear in its size. The hostile inputs are sized so that the earlier, backtracking
 * readers took minutes to hours on them (measured: 7 s for an 80 kB line of blanks, 26 s for 2,000
 * unclosed checksum tags); the linear ones take milliseconds, well inside mocha's timeout.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { parsePackages } from '../../src/publish/apt/packages.js';
import { openIndex, xzIndex } from '../../src/publish/compress.js';
import { parseRepomd, primaryIdentity, splitPackages } from '../../src/publish/yum/repodata.js';
import { requireTools } from '../support/tools.js';

const stanza = (lines: string[]) => `${lines.join('\n')}\n`;
const BASE = ['Version: 1.0', 'Architecture: amd64', 'Filename: pool/main/e/evil/evil_1.0_amd64.deb', 'Size: 5', 'SHA256: ABCD'];

describe('publish: reading indexes back', function () {
  this.timeout(20_000);

  it('Packages: lines end at LF only — text after a U+2028, U+2029 or lone CR inside a value is never read as a field', () => {
    for (const sep of ['\u2028', '\u2029', '\r']) {
      const text = stanza([
        `X-Note: see${sep}Package: victim${sep}Version: 9.0`,
        'Package: evil',
        `Description: x${sep}Filename: pool/main/v/victim/victim_1.0_amd64.deb${sep}SHA256: 00`,
        ...BASE,
      ]);
      const { entries, skipped } = parsePackages(text);
      assert.equal(skipped, 0);
      assert.deepEqual(entries.map((e) => [e.name, e.version, e.filename, e.sha256, e.size]),
        [['evil', '1.0', 'pool/main/e/evil/evil_1.0_amd64.deb', 'abcd', 5]], JSON.stringify(sep));
    }
  });

  it('Packages: field names are case-insensitive; a key field given twice (in any case) makes the stanza unusable, counted as skipped', () => {
    const good = stanza(['package: lower', 'VERSION:\t2.0 \t', 'architecture: all', 'filename: pool/l.deb', 'sha256: 11']);
    assert.deepEqual(parsePackages(good).entries.map((e) => [e.name, e.version, e.arch]), [['lower', '2.0', 'all']]);
    const twice = stanza(['Package: evil', 'package: victim', ...BASE]);
    const r = parsePackages(`${good}\n${twice}`);
    assert.deepEqual([r.entries.map((e) => e.name), r.skipped], [['lower'], 1]);
    // A continuation line is part of the field above it, never a field of its own.
    const cont = parsePackages(stanza(['Package: evil', 'Description: x', ' Package: victim', ...BASE]));
    assert.deepEqual(cont.entries.map((e) => e.name), ['evil']);
  });

  it('Packages: a 1 MB line of blanks inside a key field is read in linear time', () => {
    const text = stanza([`Package: a${' \t'.repeat(500_000)}b`, 'Version: 1  ', 'Architecture: all', 'Filename: p/a.deb', 'SHA256: 00']);
    const { entries } = parsePackages(text);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.version, '1');
    assert.ok(entries[0]!.name.startsWith('a ') && entries[0]!.name.endsWith('\tb'));
  });

  it('repodata: 400,000 unclosed <package> and <data> tags, and unclosed <version>/<checksum> tags, are read in linear time (nothing found)', () => {
    assert.deepEqual(splitPackages('<package type="rpm">'.repeat(400_000)), []);
    assert.deepEqual(parseRepomd('<data type="primary">'.repeat(400_000)).data, []);
    assert.equal(primaryIdentity(`<name>a</name><arch>x</arch>${'<version '.repeat(400_000)}`), undefined);
    assert.equal(primaryIdentity(`<name>a</name><arch>x</arch><version ver="1"/>${'<checksum pkgid="YES" '.repeat(200_000)}`), undefined);
  });

  it('repodata: a document as createrepo_c writes it is still read whole (packages, identity, repomd entries)', () => {
    const pkg = (n: string) => `<package type="rpm">\n  <name>${n}</name>\n  <arch>noarch</arch>\n  <version epoch="0" ver="1.&lt;2" rel="3"/>\n`
      + `  <checksum type="sha256" pkgid="YES">${'AB'.repeat(32)}</checksum>\n  <location href="${n}-1-3.noarch.rpm"/>\n</package>`;
    const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata packages="2">\n${pkg('a')}\n${pkg('b')}\n</metadata>\n`;
    const chunks = splitPackages(doc);
    assert.deepEqual(chunks, [pkg('a'), pkg('b')]);
    assert.deepEqual(primaryIdentity(chunks[1]!), { pkgid: 'ab'.repeat(32), name: 'b', arch: 'noarch', epoch: 0, version: '1.<2', release: '3', location: 'b-1-3.noarch.rpm' });
    const repomd = '<repomd><revision>7</revision>\n<data type="primary">\n <checksum type="sha256">CD</checksum>\n <location href="repodata/cd-primary.xml.gz"/>\n</data>\n'
      + '<data type="comps"><checksum type="sha256">ef</checksum><location href="repodata/comps.xml"/></data></repomd>';
    const r = parseRepomd(repomd);
    assert.equal(r.revision, 7);
    assert.deepEqual(r.data.map((d) => [d.type, d.href, d.checksum]), [['primary', 'repodata/cd-primary.xml.gz', 'cd'], ['comps', 'repodata/comps.xml', 'ef']]);
    assert.ok(r.data[1]!.raw.startsWith('<data type="comps">') && r.data[1]!.raw.endsWith('</data>'));
  });

  it('a compressed index is opened up to a bound: a gzip or xz bomb is refused once past it (xz through the real program), a real one reads back whole', async function () {
    requireTools(this, 'xz');
    const packages = Buffer.from(stanza(['Package: a', ...BASE]).repeat(50));
    const bomb = Buffer.alloc(8 << 20);
    for (const [c, pack] of [['gzip', gzipSync], ['xz', xzIndex]] as const) {
      assert.deepEqual(await openIndex(c, await pack(packages)), packages, c);
      await assert.rejects(openIndex(c, await pack(bomb), 1 << 20), /decompresses to more than 1048576 bytes/, c);
    }
  });
});
