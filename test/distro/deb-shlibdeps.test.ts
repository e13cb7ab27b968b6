/**
 * .deb Depends for shared libraries: the algorithm on a described host, then on this build host
 * against dpkg-shlibdeps itself (gcc/g++ programs and installed system binaries).
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { debShlibDepends, type DebLibraryHost } from '../../src/distro/deb-shlibdeps.js';
import { parseSymbolsFile, shlibsDependency, splitSoname } from '../../src/distro/deb-symbols.js';
import { dpkgHost, systemLibraryDirs } from '../../src/distro/dpkg-host.js';
import { readElfDynamic, type ElfDynamic } from '../../src/plan/elf-dynamic.js';
import { requireTools } from '../support/tools.js';
import { buildPrograms, dpkgShlibdeps } from './support.js';

const SYMBOLS = `libfoo.so.1 libfoo1 #MINVER#
| libfoo1 (>> 2.0), libfoo1 (<< 2.1)
* Build-Depends-Package: libfoo-dev
 foo_init@FOO_1.0 1.0
 foo_new@FOO_1.2 1.2~rc1
 foo_newest@FOO_2.0 2.0
 foo_private@FOO_PRIVATE 0 1
#MISSING: 1.5# foo_gone@FOO_1.0 0.9
libfoo-extra.so.1 libfoo1 #MINVER#, libfoo-common
 extra@Base 1.1
`;

function elf(needed: string[], symbols: [string, string?][] = []): ElfDynamic {
  return {
    bits: 64, littleEndian: true, machine: 62, type: 3, flags: 0, interp: '/lib64/ld-linux-x86-64.so.2',
    needed, rpath: [], hasHash: false, hasGnuHash: true, hasDebugTag: true, versionNeeds: [], versionDefs: [],
    undefinedSymbols: symbols.map(([name, version]) => ({ name, ...(version ? { version } : {}), weak: false })),
    hasDebugInfo: false, hasSymtab: false,
  };
}

/** A host with libfoo (symbols file), libbar (shlibs file), libbaz (no info), libqux (no package). */
function fakeHost(): DebLibraryHost & { asked: string[] } {
  const sym = parseSymbolsFile(SYMBOLS);
  const asked: string[] = [];
  return {
    asked,
    findLibrary: (soname) => (['libfoo.so.1', 'libfoo-extra.so.1', 'libbar.so.2', 'libbaz.so.0', 'libqux.so.3'].includes(soname) ? [`/usr/lib/x86_64-linux-gnu/${soname}`] : []),
    owners: (paths) => new Map(paths.map((path) => {
      asked.push(path);
      if (/libfoo/.test(path)) return [path, ['libfoo1:amd64']];
      if (/libbar/.test(path)) return [path, ['libbar2:amd64']];
      if (/libbaz/.test(path)) return [path, ['libbaz0:amd64']];
      return [path, []];
    })),
    symbols: (pkg, soname) => (pkg === 'libfoo1:amd64' ? sym.get(soname) : undefined),
    shlibs: (pkg, soname) => (pkg === 'libbar2:amd64' ? shlibsDependency('libbar 2 libbar2 (>= 2.5)\nudeb: libbar 2 libbar2-udeb\n', soname) : undefined),
  };
}

describe('distro/deb-shlibdeps: Depends for shared libraries, as dpkg-shlibdeps computes them', () => {
  describe('on a described host', () => {
    it('the symbols file: the highest minimal version of the symbols used, starting from the smallest of the library', () => {
      const host = fakeHost();
      assert.deepEqual(debShlibDepends([{ path: '/usr/bin/a', elf: elf(['libfoo.so.1'], [['foo_init', 'FOO_1.0']]) }], host, new Set()).depends, ['libfoo1 (>= 1.0)']);
      assert.deepEqual(debShlibDepends([{ path: '/usr/bin/a', elf: elf(['libfoo.so.1'], [['foo_init', 'FOO_1.0'], ['foo_new', 'FOO_1.2']]) }], host, new Set()).depends, ['libfoo1 (>= 1.2~rc1)']);
      // Two files: the package needs the newest either uses.
      const two = debShlibDepends([
        { path: '/usr/bin/a', elf: elf(['libfoo.so.1'], [['foo_new', 'FOO_1.2']]) },
        { path: '/usr/bin/b', elf: elf(['libfoo.so.1'], [['foo_newest', 'FOO_2.0']]) },
      ], host, new Set());
      assert.deepEqual(two.depends, ['libfoo1 (>= 2.0)']);
      // A symbol with an alternative template (dep id 1) adds that template as it is; a symbol marked missing is not matched.
      const priv = debShlibDepends([{ path: '/usr/bin/a', elf: elf(['libfoo.so.1'], [['foo_private', 'FOO_PRIVATE'], ['foo_gone', 'FOO_1.0']]) }], host, new Set());
      assert.deepEqual(priv.depends, ['libfoo1 (>= 0.9)', 'libfoo1 (>> 2.0)', 'libfoo1 (<< 2.1)']);
    });

    it('a template with several packages, a shlibs file, libraries of the package itself', () => {
      const host = fakeHost();
      const r = debShlibDepends([{ path: '/usr/bin/a', elf: elf(['libfoo-extra.so.1', 'libbar.so.2', 'libown.so.1'], [['extra']]) }], host, new Set(['libown.so.1']));
      assert.deepEqual(r.depends, ['libbar2 (>= 2.5)', 'libfoo-common', 'libfoo1 (>= 1.1)']);
      assert.deepEqual(r.warnings, []);
      assert.ok(!host.asked.some((p) => p.includes('libown')), 'a library the package ships is not looked up on the host');
    });

    it('what cannot be computed is a coded warning naming the library and the files needing it', () => {
      const r = debShlibDepends([
        { path: '/usr/bin/a', elf: elf(['libnone.so.9', 'libbaz.so.0', 'libqux.so.3']) },
        { path: '/usr/bin/b', elf: elf(['libnone.so.9']) },
      ], fakeHost(), new Set());
      assert.deepEqual(r.depends, []);
      const byCode = Object.fromEntries(r.warnings.map((w) => [w.code, w.message]));
      assert.match(byCode.W_SHLIB_NOT_FOUND, /libnone\.so\.9 needed by \/usr\/bin\/a \(and 1 more\) was not found/);
      assert.match(byCode.W_SHLIB_NO_INFO, /libbaz\.so\.0 .*libbaz0:amd64.*neither a symbols nor a shlibs file/);
      assert.match(byCode.W_SHLIB_NO_PACKAGE, /libqux\.so\.3 .*no installed package owns/);
    });

    it('a host without dpkg: one warning listing the libraries, no Depends', () => {
      const r = debShlibDepends([{ path: '/usr/bin/a', elf: elf(['libc.so.6', 'libm.so.6']) }], { ...fakeHost(), unavailable: 'dpkg-query is not installed on the build host' }, new Set());
      assert.deepEqual(r.depends, []);
      assert.equal(r.warnings.length, 1);
      assert.equal(r.warnings[0].code, 'W_SHLIBS_UNAVAILABLE');
      assert.match(r.warnings[0].message, /libc\.so\.6, libm\.so\.6 \(dpkg-query is not installed/);
    });

    it('symbols and shlibs files: templates, alternatives, fields, tags and name splitting', () => {
      const s = parseSymbolsFile(`${SYMBOLS} (c++)"foo::bar()@Base" 1.0\n (arch=amd64)tagged@Base 1.3\n`).get('libfoo-extra.so.1')!;
      assert.deepEqual(s.deps, ['libfoo1 #MINVER#, libfoo-common']);
      assert.equal(s.symbols.get('tagged@Base')?.minver, '1.3');
      assert.equal(s.symbols.has('foo::bar()@Base'), false, 'c++ patterns are not looked up by name');
      const foo = parseSymbolsFile(SYMBOLS).get('libfoo.so.1')!;
      assert.deepEqual(foo.deps, ['libfoo1 #MINVER#', 'libfoo1 (>> 2.0), libfoo1 (<< 2.1)']);
      assert.deepEqual(foo.symbols.get('foo_private@FOO_PRIVATE'), { minver: '0', depId: 1, deprecated: false });
      assert.equal(foo.symbols.get('foo_gone@FOO_1.0')?.deprecated, true);
      assert.deepEqual(splitSoname('libfoo.so.1.2'), ['libfoo', '1.2']);
      assert.deepEqual(splitSoname('libfoo-2.4.so'), ['libfoo', '2.4']);
      assert.equal(splitSoname('plugin.so'), undefined);
      assert.equal(shlibsDependency('libbar 2 libbar2 (>= 2.5)\ndeb: libbar 2 libbar2 (>= 2.6)\n', 'libbar.so.2'), 'libbar2 (>= 2.6)');
      assert.equal(shlibsDependency('libbar 3 libbar3\n', 'libbar.so.2'), undefined);
    });
  });

  describe('on this build host, against dpkg-shlibdeps', function () {
    let progs: Record<string, string>;
    before(function () {
      this.timeout(120_000);
      requireTools(this, 'dpkg-shlibdeps', 'dpkg-query', 'gcc', 'g++');
      progs = buildPrograms();
    });

    const ours = (files: string[]) => {
      const host = dpkgHost({ arch: 'amd64' });
      return debShlibDepends(files.map((f) => ({ path: f, elf: readElfDynamic(f)! })), host, new Set());
    };

    it('the library search path is dpkg\'s: /lib and /usr/lib, then ld.so.conf, then the multilib directories', () => {
      const dirs = systemLibraryDirs();
      assert.deepEqual(dirs.slice(0, 2), ['/lib', '/usr/lib']);
      assert.deepEqual(dirs.slice(-4), ['/lib32', '/usr/lib32', '/lib64', '/usr/lib64']);
      if (process.arch === 'x64') assert.ok(dirs.includes('/lib/x86_64-linux-gnu'), dirs.join(' '));
    });

    for (const name of ['libc-only', 'libc-newer', 'with-libm', 'cxx']) {
      it(`${name}: the same Depends as dpkg-shlibdeps`, function () {
        this.timeout(120_000);
        const r = ours([progs[name]]);
        assert.deepEqual(r.warnings, []);
        assert.deepEqual(r.depends, dpkgShlibdeps([progs[name]]));
      });
    }

    it('all programs at once, and installed system binaries: the same Depends as dpkg-shlibdeps', function () {
      this.timeout(300_000);
      const all = Object.values(progs);
      assert.deepEqual(ours(all).depends, dpkgShlibdeps(all));
      for (const bin of ['/bin/ls', '/usr/bin/xz', '/usr/bin/gpg', '/usr/bin/rpm']) {
        if (!existsSync(bin)) continue;
        assert.deepEqual(ours([bin]).depends, dpkgShlibdeps([bin]), bin);
      }
    });

    it('a private library without dependency information (systemd-nspawn\'s libsystemd-shared): dpkg-shlibdeps fails, mkpkg warns and names it', function () {
      this.timeout(120_000);
      const bin = '/usr/bin/systemd-nspawn';
      requireTools(this, 'systemd-nspawn');
      assert.throws(() => dpkgShlibdeps([bin]), /no dependency information found for .*libsystemd-shared/);
      const r = ours([bin]);
      const w = r.warnings.find((x) => x.code === 'W_SHLIB_NO_INFO');
      assert.ok(w, JSON.stringify(r.warnings));
      assert.match(w.message, /libsystemd-shared-\d+\.so needed by \/usr\/bin\/systemd-nspawn was found at \/usr\/lib\/\S+\/systemd\/libsystemd-shared/);
      assert.ok(r.depends.some((d) => d.startsWith('libc6 (>= ')), r.depends.join(', '));
    });
  });
});
