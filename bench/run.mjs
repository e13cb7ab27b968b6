#!/usr/bin/env node
// Benchmark: mkpkg vs dpkg-deb and rpmbuild on the same generated tree, alternating runs.
// Prints wall-time ratios and peak RSS. Not part of the test suite.
//
//   node bench/run.mjs [--files 10000] [--mb 100] [--runs 3] [--formats deb,rpm]
//                      [--compressors zstd,gzip,xz] [--double]
//
// Needs: dpkg-deb, rpmbuild (Debian package rpm), GNU time (/usr/bin/time, package time), xz, zstd.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './tree.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work');
const cli = join(root, 'bin', 'mkpkg.js');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
}
const files = Number(arg('files', 10000));
const mb = Number(arg('mb', 100));
const runs = Number(arg('runs', 3));
const formats = String(arg('formats', 'deb,rpm')).split(',');
const compressors = String(arg('compressors', 'zstd,gzip,xz')).split(',');
const LEVEL = { zstd: 3, gzip: 6, xz: 6 };

/** Run a command under GNU time; returns wall seconds and peak RSS (KiB) of the process tree's largest member. */
function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop();
  const [wall, rss] = last.split(' ').map(Number);
  return { wall, rssMiB: rss / 1024 };
}

function need(cmd) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) {
    console.error(`bench needs "${cmd}" (apt-get install dpkg-dev rpm time xz-utils zstd)`);
    process.exit(2);
  }
}
['dpkg-deb', 'rpmbuild', '/usr/bin/time', 'xz', 'zstd'].forEach(need);
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('run `npm run build` first (or `npm run bench`)');
  process.exit(2);
}

function prepare(scale) {
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
    // dpkg-deb input: DEBIAN/control + the tree (hardlinked, so no second copy on disk)
    const droot = join(base, 'dpkg-root');
    mkdirSync(join(droot, 'DEBIAN'), { recursive: true });
    mkdirSync(join(droot, 'usr', 'lib'), { recursive: true });
    spawnSync('cp', ['-al', tree, join(droot, 'usr', 'lib', 'benchpkg')]);
    writeFileSync(join(droot, 'DEBIAN', 'control'), 'Package: benchpkg\nVersion: 1.0.0-1\nArchitecture: all\nMaintainer: Bench <bench@example.com>\nDescription: benchmark tree\n A generated tree for benchmarks.\n');
    writeFileSync(join(base, '.done'), '');
  }
  return { base, project, tree, droot: join(base, 'dpkg-root') };
}

function rpmSpec(base, tree, comp) {
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

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function benchScale(scale) {
  const { base, project, tree, droot } = prepare(scale);
  const out = join(base, 'out');
  const size = readdirSync(tree, { recursive: true }).length;
  console.log(`\n## tree x${scale}: ${files * scale} files requested (${size} entries), ~${mb * scale} MB; ${runs} alternating runs each`);
  const rows = [];
  for (const comp of compressors) {
    for (const fmt of formats) {
      const ours = [];
      const theirs = [];
      for (let i = 0; i < runs; i++) {
        rmSync(out, { recursive: true, force: true });
        mkdirSync(out, { recursive: true });
        ours.push(timed('node', [cli, fmt, project, '-o', out, '--compression', comp, '--level', String(LEVEL[comp]), '--quiet'], { env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } }));
        const oursSize = readdirSync(out).map((f) => statSync(join(out, f)).size).reduce((a, b) => a + b, 0);
        if (fmt === 'deb') {
          theirs.push(timed('dpkg-deb', ['--root-owner-group', `-Z${comp}`, `-z${LEVEL[comp]}`, '-b', droot, join(out, 'ref.deb')]));
        } else {
          theirs.push(timed('rpmbuild', ['-bb', '--quiet', rpmSpec(base, tree, comp)]));
        }
        ours[ours.length - 1].size = oursSize;
      }
      const ow = median(ours.map((r) => r.wall));
      const tw = median(theirs.map((r) => r.wall));
      const row = {
        format: fmt, compressor: `${comp} ${LEVEL[comp]}`, mkpkg_s: ow, ref_s: tw, ratio: +(ow / tw).toFixed(2),
        mkpkg_rss_MiB: Math.round(Math.max(...ours.map((r) => r.rssMiB))), ref_rss_MiB: Math.round(Math.max(...theirs.map((r) => r.rssMiB))),
        mkpkg_MB: +(ours[0].size / 1e6).toFixed(1),
      };
      rows.push(row);
      console.log(`${fmt} ${row.compressor}: mkpkg ${ow.toFixed(2)} s / ${fmt === 'deb' ? 'dpkg-deb' : 'rpmbuild'} ${tw.toFixed(2)} s = ratio ${row.ratio}; peak RSS mkpkg ${row.mkpkg_rss_MiB} MiB, ref ${row.ref_rss_MiB} MiB; package ${row.mkpkg_MB} MB`);
    }
  }
  return rows;
}

const all = { x1: benchScale(1) };
if (arg('double', false)) all.x2 = benchScale(2);
console.log(`\n${JSON.stringify(all)}`);
