// Deterministic generator of a node_modules-like tree: many small text files in nested
// package directories, compressible about 3:1 like real JavaScript, plus a few larger files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const WORDS = ('function return const let var if else for while module exports require this new class extends '
  + 'async await import from default export null undefined true false typeof instanceof throw try catch finally '
  + 'prototype length push map filter reduce object string number array promise resolve reject callback options '
  + 'value key index result error buffer stream emit listener config path join split slice concat').split(' ');

/** A small seeded PRNG (mulberry32); also used by tests that want replayable random cases. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(rand, bytes) {
  const parts = [];
  let n = 0;
  while (n < bytes) {
    const line = [];
    const words = 3 + Math.floor(rand() * 10);
    for (let i = 0; i < words; i++) {
      const w = WORDS[Math.floor(rand() * WORDS.length)];
      line.push(rand() < 0.15 ? `${w}${Math.floor(rand() * 100000).toString(36)}` : w);
    }
    const s = `${'  '.repeat(Math.floor(rand() * 4))}${line.join(rand() < 0.3 ? '.' : ' ')};\n`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('').slice(0, bytes);
}

/** Write `files` files totalling about `bytes` bytes under `dir`. */
export function generateTree(dir, { files, bytes, seed }) {
  const rand = prng(seed);
  const avg = bytes / files;
  let written = 0;
  let pkg = 0;
  for (let i = 0; i < files; i++) {
    if (i % 25 === 0) pkg++;
    const sub = join(dir, `pkg-${pkg}`, i % 5 === 0 ? 'lib' : 'src', i % 3 === 0 ? 'util' : '');
    mkdirSync(sub, { recursive: true });
    const remaining = bytes - written;
    const size = i === files - 1 ? Math.max(0, remaining) : Math.max(16, Math.floor(avg * (0.2 + rand() * 1.6)));
    writeFileSync(join(sub, `file-${i}.js`), text(rand, size));
    written += size;
  }
}

/**
 * The benchmark inputs for one scale (x1 = `files` files, `mb` MB), generated once under
 * `work/s<scale>`: a contents-only mkpkg project whose `tree` ships to /usr/lib/benchpkg, and the
 * same tree (hard-linked) as a dpkg-deb root with DEBIAN/control, plus a second copy of that root
 * for the reference that writes DEBIAN/md5sums.
 */
export function prepareScale(work, scale, { files, mb }) {
  const base = join(work, `s${scale}`);
  const project = join(base, 'project');
  const tree = join(project, 'tree');
  if (!existsSync(join(base, '.done'))) {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    generateTree(tree, { files: files * scale, bytes: mb * scale * 1024 * 1024, seed: 42 });
    writeFileSync(join(project, 'mkpkg.config.json'), JSON.stringify({
      name: 'benchpkg', version: '1.0.0', maintainer: 'Bench <bench@example.com>',
      summary: 'benchmark tree', description: 'A generated tree for benchmarks.', arch: 'all', app: false,
      contents: [{ src: 'tree', dst: '/usr/lib/benchpkg' }],
    }, null, 2));
    const droot = join(base, 'dpkg-root');
    mkdirSync(join(droot, 'DEBIAN'), { recursive: true });
    mkdirSync(join(droot, 'usr', 'lib'), { recursive: true });
    spawnSync('cp', ['-al', tree, join(droot, 'usr', 'lib', 'benchpkg')]);
    writeFileSync(join(droot, 'DEBIAN', 'control'), 'Package: benchpkg\nVersion: 1.0.0-1\nArchitecture: all\nMaintainer: Bench <bench@example.com>\nDescription: benchmark tree\n A generated tree for benchmarks.\n');
    writeFileSync(join(base, '.done'), `${files * scale} files, ${mb * scale} MB\n`);
  }
  const drootMd5 = join(base, 'dpkg-root-md5');
  if (!existsSync(drootMd5)) spawnSync('cp', ['-al', join(base, 'dpkg-root'), drootMd5]);
  return { base, project, tree, droot: join(base, 'dpkg-root'), drootMd5 };
}

/** An rpmbuild spec (written under `base`) packaging `tree` as /usr/lib/benchpkg with payload compressor `comp`, the reference for mkpkg's .rpm. */
export function rpmSpec(base, tree, comp) {
  const spec = join(base, `bench-${comp}.spec`);
  const payload = { zstd: 'w3.zstdio', gzip: 'w6.gzdio', xz: 'w6.xzdio' }[comp];
  writeFileSync(spec, `%define __os_install_post %{nil}
%define debug_package %{nil}
%define _build_id_links none
%define _binary_payload ${payload}
%define _topdir ${join(base, 'rpmbuild')}
Name: benchpkg
Version: 1.0.0
Release: 1
Summary: benchmark tree
License: MIT
BuildArch: noarch
%description
A generated tree for benchmarks.
%install
mkdir -p %{buildroot}/usr/lib
cp -al ${tree} %{buildroot}/usr/lib/benchpkg
%files
/usr/lib/benchpkg
`);
  return spec;
}
