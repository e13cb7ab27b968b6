/** `mkpkg deb` from real projects, judged by dpkg-deb, dpkg and lintian. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameTree, run } from '../formats/deb/tree-compare.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { FIXTURES, buildJson, copyFixture, lintianProblems, mkpkgOk, type JsonArtifact } from './helpers.js';

const EDGE_SHARE = 'usr/share/edge-cases';
const LONG_100 = `${EDGE_SHARE}/long/a-directory-name-that-is-long-enough-to-push-the-path-beyond-one-hundred-bytes/file-over-100.txt`;
const DEEP = 'deep/segment-one-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmnopq/segment-two-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmnopq/segment-three-is-a-long-directory-name-of-about-eighty-bytes-abcdefghijklmn/file-over-255-bytes.txt';
const LONG_255 = `${EDGE_SHARE}/${DEEP}`;
const UTF8 = `${EDGE_SHARE}/données/überprüfung-漢字.txt`;

/** A fresh dpkg database in a scratch root; returns a dpkg runner bound to it. */
function dpkgRoot(): { root: string; dpkg: (...args: string[]) => string } {
  const root = scratch('mkpkg-cli-dpkgroot-');
  mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg/updates'), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  return { root, dpkg: (...args) => run('dpkg', [`--root=${root}`, '--log=/dev/null', '--force-not-root', '--force-depends', ...args]) };
}

const field = (deb: string, f: string) => run('dpkg-deb', ['--field', deb, f]).trim();

describe('cli: mkpkg deb, judged by dpkg-deb, dpkg and lintian', function () {
  this.timeout(900_000);
  const debs: Record<string, JsonArtifact> = {};
  let scopedDir: string;

  before(function () {
    requireTools(this, 'dpkg', 'dpkg-deb');
    const out = scratch('mkpkg-cli-deb-');
    scopedDir = copyFixture('scoped-app');
    for (const [key, dir] of [['hello', join(FIXTURES, 'hello-service')], ['edge', join(FIXTURES, 'edge-cases')], ['scoped', scopedDir]] as const) {
      const [a] = buildJson(['deb', dir, '-o', out]);
      debs[key] = a!;
    }
  });

  it('hello-service: dpkg-deb --info shows the fields from package.json and the config, with maintainer scripts', () => {
    const deb = debs.hello!.path;
    assert.equal(field(deb, 'Package'), 'hello-service');
    assert.equal(field(deb, 'Version'), '1.0.0-1');
    assert.equal(field(deb, 'Architecture'), 'all');
    assert.equal(field(deb, 'Maintainer'), 'Acme Ops <ops@acme.example>');
    assert.equal(field(deb, 'Section'), 'net');
    assert.equal(field(deb, 'Homepage'), 'https://acme.example/hello-service');
    assert.match(field(deb, 'Depends'), /(^|, )nodejs \(>= 18\)(,|$)/);
    assert.match(field(deb, 'Description'), /^Tiny HTTP service used to test mkpkg packages end to end\n It answers every request/);
    const info = run('dpkg-deb', ['--info', deb]);
    for (const m of ['postinst', 'prerm', 'postrm', 'conffiles', 'md5sums']) assert.match(info, new RegExp(`\\b${m}\\b`), `no ${m} in\n${info}`);
    const contents = run('dpkg-deb', ['--contents', deb]);
    for (const p of ['./usr/lib/hello-service/server.js', './usr/lib/hello-service/lib/describe.js', './usr/lib/systemd/system/hello-service.service', './etc/default/hello-service']) {
      assert.ok(contents.includes(` ${p}\n`), `missing ${p} in\n${contents}`);
    }
  });

  it('edge-cases (config only, no package.json): prerelease version, long paths, long link target, UTF-8, empty dirs, conffile', () => {
    const deb = debs.edge!.path;
    assert.equal(field(deb, 'Package'), 'edge-cases');
    assert.equal(field(deb, 'Version'), '2.0.0~rc.1-1');
    assert.ok(deb.endsWith('/edge-cases_2.0.0~rc.1-1_all.deb'), deb);
    const lines = run('dpkg-deb', ['--contents', deb]).trim().split('\n');
    const has = (p: string) => lines.some((l) => l.endsWith(` ./${p}`) || l.endsWith(` ./${p}/`));
    for (const p of [LONG_100, LONG_255, UTF8, `${EDGE_SHARE}/empty/nested-empty`, 'var/lib/edge-cases', 'etc/edge-cases/edge-cases.conf', 'usr/share/doc/edge-cases/README.md']) {
      assert.ok(has(p), `missing ./${p}`);
    }
    assert.ok(Buffer.byteLength(LONG_255) > 255);
    assert.ok(lines.some((l) => /^-rwxr-xr-x root\/root .* \.\/usr\/bin\/edge-tool$/.test(l)), 'edge-tool is not an executable owned by root');
    assert.ok(lines.some((l) => l.endsWith(` ./${EDGE_SHARE}/link-with-a-long-target -> ${DEEP}`)), 'long symlink target not intact');
    const ctrl = scratch();
    run('dpkg-deb', ['--control', deb, ctrl]);
    assert.equal(readFileSync(join(ctrl, 'conffiles'), 'utf8'), '/etc/edge-cases/edge-cases.conf\n');
  });

  it('scoped @acme/scoped-app → acme-scoped-app, with a W_NAME_MAPPED warning and its bin linked into /usr/bin', () => {
    const json = JSON.parse(mkpkgOk(['deb', scopedDir, '-o', scratch(), '--json'])) as { warnings: { code: string; message: string }[] };
    assert.ok(json.warnings.some((w) => w.code === 'W_NAME_MAPPED' && w.message.includes('@acme/scoped-app') && w.message.includes('acme-scoped-app')), JSON.stringify(json.warnings));
    assert.equal(field(debs.scoped!.path, 'Package'), 'acme-scoped-app');
    const contents = run('dpkg-deb', ['--contents', debs.scoped!.path]);
    assert.match(contents, / \.\/usr\/bin\/scoped-app -> \.\.\/lib\/acme-scoped-app\/bin\/cli\.js\n/);
    assert.match(contents, /^-rwxr-xr-x root\/root .* \.\/usr\/lib\/acme-scoped-app\/bin\/cli\.js$/m);
  });

  for (const key of ['hello', 'edge', 'scoped'] as const) {
    it(`${key}: the tree dpkg-deb -x extracts equals \`mkpkg stage\` of the same project (contents, modes, symlinks)`, () => {
      const dir = key === 'hello' ? join(FIXTURES, 'hello-service') : key === 'edge' ? join(FIXTURES, 'edge-cases') : scopedDir;
      const staged = join(scratch(), 'stage');
      mkpkgOk(['stage', dir, '-o', staged, '--format', 'deb']);
      const extracted = scratch();
      run('dpkg-deb', ['-x', debs[key]!.path, extracted]);
      assertSameTree(extracted, staged);
    });
  }

  for (const key of ['edge', 'scoped'] as const) {
    it(`${key}: installs with dpkg -i into a scratch root, and dpkg --verify finds every file intact`, () => {
      const { root, dpkg } = dpkgRoot();
      dpkg('-i', debs[key]!.path);
      const name = debs[key]!.name;
      assert.match(dpkg('-s', name), /^Status: install ok installed$/m);
      assert.equal(dpkg('--verify', name), '');
      if (key === 'edge') {
        assert.equal(readFileSync(join(root, LONG_255), 'utf8'), 'over 255 bytes\n');
        assert.equal(readFileSync(join(root, UTF8), 'utf8'), 'UTF-8 names\n');
        assert.equal(readFileSync(join(root, EDGE_SHARE, 'link-with-a-long-target'), 'utf8'), 'over 255 bytes\n');
        assert.match(dpkg('-s', name), /^Conffiles:\n \/etc\/edge-cases\/edge-cases\.conf [0-9a-f]{32}$/m);
      }
      dpkg('--purge', name);
      assert.match(run('sh', ['-c', `dpkg --root=${root} -s ${name} 2>&1 || true`]), /not installed/);
    });
  }

  for (const key of ['hello', 'edge', 'scoped'] as const) {
    it(`${key}: lintian reports no E: tag and only W: tags from lintian-tolerated.txt`, function () {
      requireTools(this, 'lintian');
      const { errors, warnings, output } = lintianProblems(debs[key]!.path);
      assert.deepEqual(errors, [], `lintian errors:\n${output}`);
      assert.deepEqual(warnings, [], `lintian warnings not in test/formats/deb/lintian-tolerated.txt:\n${output}`);
    });
  }
});
