#!/usr/bin/env node
// Adding one package to a repository of 200 and of 2,000 packages: `mkpkg publish apt` against
// `reprepro includedeb`, and `mkpkg publish yum` against `createrepo_c --update`, on repositories
// holding the same packages, in alternating runs. Prints wall time (median), the ratio, peak RSS
// and the load average. Informational: not a test (times depend on the machine and its load).
//
//   npm run build && node bench/publish.mjs [--runs 5] [--sizes 200,2000]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'mkpkg.js');
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const runs = Number(arg('runs', 5));
const sizes = arg('sizes', '200,2000').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'mkpkg-bench-publish-'));

function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')}… exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Run with /usr/bin/time: wall seconds and peak RSS (MB) of the command and its children. */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${r.status}: ${r.stderr}`);
  const [wall, rss] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, rss: rss / 1024 };
}

/** Run `jobs` (functions returning promises) two at a time. */
async function pool(jobs, n = 2) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < jobs.length) await jobs[i++](); }));
}

const exec = (cmd, args) => new Promise((resolve, reject) => {
  const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  c.stderr.on('data', (d) => { err += d; });
  c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd}: ${err}`))));
});

/** A tiny .deb per name, built with dpkg-deb. */
async function makeDebs(dir, names) {
  mkdirSync(dir, { recursive: true });
  await pool(names.map((n) => async () => {
    const tree = join(dir, `t-${n}`);
    mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
    mkdirSync(join(tree, 'usr/share', n), { recursive: true });
    writeFileSync(join(tree, 'usr/share', n, 'version'), '1.0\n');
    writeFileSync(join(tree, 'DEBIAN/control'), `Package: ${n}\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Bench <bench@example.com>\nSection: misc\nPriority: optional\nDescription: bench package ${n}\n tiny\n`);
    await exec('dpkg-deb', ['--root-owner-group', '-Zgzip', '-b', tree, join(dir, `${n}_1.0-1_amd64.deb`)]);
    rmSync(tree, { recursive: true });
  }), 4);
  return names.map((n) => join(dir, `${n}_1.0-1_amd64.deb`));
}

/** A tiny .rpm per name, written by mkpkg's rpm writer (the library in dist/). */
async function makeRpms(dir, names) {
  mkdirSync(dir, { recursive: true });
  const { writeRpm } = await import(join(root, 'dist/formats/rpm/writer.js'));
  const out = [];
  for (const n of names) {
    const plan = { entries: [
      { path: '/usr', kind: 'dir', mode: 0o755, owner: 'root', group: 'root', mtime: 1700000000, flags: {} },
      { path: '/usr/share', kind: 'dir', mode: 0o755, owner: 'root', group: 'root', mtime: 1700000000, flags: {} },
      { path: `/usr/share/${n}`, kind: 'dir', mode: 0o755, owner: 'root', group: 'root', mtime: 1700000000, flags: {} },
      { path: `/usr/share/${n}/version`, kind: 'data', data: '1.0\n', mode: 0o644, owner: 'root', group: 'root', mtime: 1700000000, flags: {} },
    ] };
    const meta = { name: n, version: '1.0', release: '1', arch: 'x86_64', summary: `bench package ${n}`, description: 'tiny', license: 'MIT',
      group: 'Unspecified', url: 'https://example.com/bench', vendor: 'Bench', packager: 'Bench <bench@example.com>', buildHost: 'bench',
      relations: { requires: [], provides: [], conflicts: [], obsoletes: [], recommends: [], suggests: [], supplements: [], enhances: [] } };
    out.push((await writeRpm(plan, meta, {}, { outDir: dir, compression: 'gzip', level: 1, sourceDateEpoch: 1700000000 })).path);
  }
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];

for (const size of sizes) {
  const names = Array.from({ length: size + runs }, (_, i) => `bench${String(i).padStart(5, '0')}`);
  console.error(`== ${size}: making ${names.length} .deb and .rpm files`);
  const debs = await makeDebs(join(work, `debs-${size}`), names);
  const rpms = await makeRpms(join(work, `rpms-${size}`), names);
  const base = { debs: debs.slice(0, size), rpms: rpms.slice(0, size) };
  const extra = { debs: debs.slice(size), rpms: rpms.slice(size) };

  // apt: the same packages in an mkpkg repository and a reprepro repository.
  const aptOurs = join(work, `apt-mkpkg-${size}`);
  must(process.execPath, [cli, 'publish', 'apt', aptOurs, ...base.debs, '--architectures', 'amd64']);
  const aptRef = join(work, `apt-reprepro-${size}`);
  mkdirSync(join(aptRef, 'conf'), { recursive: true });
  writeFileSync(join(aptRef, 'conf/distributions'), 'Codename: stable\nSuite: stable\nArchitectures: amd64\nComponents: main\nDebIndices: Packages Release . .gz .xz\n');
  must('reprepro', ['-b', aptRef, '--silent', 'includedeb', 'stable', ...base.debs]);
  // yum: the same packages in an mkpkg repository and a createrepo_c one.
  const yumOurs = join(work, `yum-mkpkg-${size}`);
  must(process.execPath, [cli, 'publish', 'yum', yumOurs, ...base.rpms]);
  const yumRef = join(work, `yum-createrepo-${size}`);
  mkdirSync(yumRef, { recursive: true });
  for (const r of base.rpms) copyFileSync(r, join(yumRef, r.split('/').pop()));
  must('createrepo_c', ['-q', yumRef]);

  const t = { apt: [], reprepro: [], yum: [], createrepo: [] };
  for (let i = 0; i < runs; i++) {
    t.apt.push(timed(process.execPath, [cli, 'publish', 'apt', aptOurs, extra.debs[i], '--quiet']));
    t.reprepro.push(timed('reprepro', ['-b', aptRef, '--silent', 'includedeb', 'stable', extra.debs[i]]));
    t.yum.push(timed(process.execPath, [cli, 'publish', 'yum', yumOurs, extra.rpms[i], '--quiet']));
    copyFileSync(extra.rpms[i], join(yumRef, extra.rpms[i].split('/').pop()));
    t.createrepo.push(timed('createrepo_c', ['-q', '--update', yumRef]));
  }
  const sum = (xs) => ({ wall: median(xs.map((x) => x.wall)), min: Math.min(...xs.map((x) => x.wall)), rss: Math.max(...xs.map((x) => x.rss)) });
  const [apt, reprepro, yum, createrepo] = [sum(t.apt), sum(t.reprepro), sum(t.yum), sum(t.createrepo)];
  rows.push({ size, apt, reprepro, yum, createrepo, load: loadavg().map((l) => l.toFixed(2)).join(' ') });
}

const f = (x) => `${x.wall.toFixed(2)} (${x.min.toFixed(2)})`;
console.log('\nadd one package: seconds, median (min) of %d alternating runs; ratio of medians and of minima; peak RSS over the runs', runs);
console.log('size | mkpkg apt   | reprepro    | ratio     | mkpkg yum   | createrepo_c --update | ratio     | RSS MB apt/reprepro/yum/createrepo_c | load avg');
const ratio = (a, b) => `${(a.wall / b.wall).toFixed(2)} (${(a.min / b.min).toFixed(2)})`;
for (const r of rows) {
  console.log(`${String(r.size).padEnd(4)} | ${f(r.apt)} | ${f(r.reprepro)} | ${ratio(r.apt, r.reprepro)} | ${f(r.yum)} | ${f(r.createrepo)}           | ${ratio(r.yum, r.createrepo)} | ${[r.apt, r.reprepro, r.yum, r.createrepo].map((x) => x.rss.toFixed(0)).join(' / ')} | ${r.load}`);
}
rmSync(work, { recursive: true, force: true });
