/**
 * Shared libraries (an ELF SONAME and no PT_INTERP: a C library, a Node.js addon as node-gyp links
 * it) are shipped with each family's mode: 0644 in a .deb (lintian: shared-library-is-executable is
 * an error), 0755 in an .rpm (rpmlint: shared-library-not-executable is an error). Executables,
 * PIE ones included, keep theirs. Real gcc output, judged by dpkg-deb, rpm, lintian and rpmlint.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJson } from '../cli/helpers.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { META } from './support.js';

const LIB = '/usr/lib/libmodes/libacme.so.1';
const ADDON = '/usr/lib/libmodes/node_modules/acme/build/Release/acme.node';
const LINK = '/usr/lib/libmodes/node_modules/acme/build/Release/obj.target/acme.node';
const TOOL = '/usr/bin/libmodes-tool';

/** A project with a library (0755, as ld writes it), an addon-like library (0644) with a hard link, and a PIE executable. */
function project(): string {
  const dir = scratch('libmodes-');
  const src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'lib.c'), 'int acme(void) { return 42; }\n');
  writeFileSync(join(src, 'tool.c'), '#include <stdio.h>\nint main(void) { puts("tool"); return 0; }\n');
  const lib = join(dir, 'lib');
  const addon = join(dir, 'addon', 'Release');
  mkdirSync(lib, { recursive: true });
  mkdirSync(join(addon, 'obj.target'), { recursive: true });
  execFileSync('gcc', ['-O2', '-s', '-shared', '-fPIC', '-Wl,-soname,libacme.so.1', '-o', join(lib, 'libacme.so.1'), join(src, 'lib.c')]);
  execFileSync('gcc', ['-O2', '-s', '-shared', '-fPIC', '-Wl,-soname,acme.node', '-o', join(addon, 'obj.target', 'acme.node'), join(src, 'lib.c')]);
  chmodSync(join(addon, 'obj.target', 'acme.node'), 0o644);
  linkSync(join(addon, 'obj.target', 'acme.node'), join(addon, 'acme.node'));
  execFileSync('gcc', ['-O2', '-s', '-pie', '-fPIE', '-o', join(dir, 'tool'), join(src, 'tool.c')]);
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    ...META, name: 'libmodes', summary: 'library modes', app: false, shlibDeps: false,
    contents: [
      { src: 'lib/libacme.so.1', dst: LIB },
      { src: 'addon', dst: '/usr/lib/libmodes/node_modules/acme/build' },
      { src: 'tool', dst: TOOL },
    ],
  }, null, 2));
  return dir;
}

/** path → mode of the regular files and hard links of a listing (`-rw-r--r-- … ./usr/…` or `hrw-r--r-- …`). */
function modes(listing: string): Map<string, string> {
  return new Map(listing.split('\n').map((l) => /^[-h]([rwxsStT-]{9})\s.*?\.?(\/usr\/\S+)/.exec(l)).filter((m) => m !== null).map((m) => [m[2]!, m[1]!]));
}

describe('distro: shared libraries get the mode of their package family', function () {
  this.timeout(300_000);
  let built: Record<string, string>;
  before(function () {
    requireTools(this, 'gcc', 'dpkg-deb', 'rpm', 'lintian', 'rpmlint');
    built = Object.fromEntries(buildJson(['build', project(), '--formats', 'deb,rpm', '-o', scratch()]).map((a) => [a.format, a.path]));
  });

  it('.deb: libraries and their hard links 0644, the executable 0755; lintian has no shared-library-is-executable', () => {
    const m = modes(execFileSync('dpkg-deb', ['-c', built.deb!], { encoding: 'utf8' }));
    assert.equal(m.get(LIB), 'rw-r--r--');
    assert.equal(m.get(LINK), 'rw-r--r--');
    assert.equal(m.get(ADDON), 'rw-r--r--', 'the hard link entry too');
    assert.equal(m.get(TOOL), 'rwxr-xr-x');
    const out = spawnSync('lintian', ['--fail-on', 'none', built.deb!], { encoding: 'utf8' }).stdout;
    assert.doesNotMatch(out, /shared-library-is-executable|odd-permissions-on-shared-library/, out);
  });

  it('.rpm: libraries 0755 (the 0644 addon included), the executable 0755; rpmlint has no shared-library-not-executable', () => {
    const m = modes(execFileSync('rpm', ['-qlvp', built.rpm!], { encoding: 'utf8' }));
    assert.equal(m.get(LIB), 'rwxr-xr-x');
    assert.equal(m.get(LINK), 'rwxr-xr-x');
    assert.equal(m.get(ADDON), 'rwxr-xr-x');
    assert.equal(m.get(TOOL), 'rwxr-xr-x');
    const out = spawnSync('rpmlint', [built.rpm!], { encoding: 'utf8', env: { ...process.env, HOME: scratch(), LC_ALL: 'C.UTF-8' } }).stdout;
    assert.match(out, /1 packages and 0 specfiles checked/, out);
    assert.doesNotMatch(out, /shared-library-not-executable/, out);
  });
});
