#!/usr/bin/env node
// Issue 17's matrix: mkpkg against the same work and against the bare compressor, on x1/x2/x4
// trees (10k files/100 MB per x, node_modules-like, contents-only project: no npm work).
// Informational, never a test. See bench/README.md for what each row compares.
//
//   npm run build && node bench/matrix.mjs [--scales 1,2,4] [--runs 3] [--slow-runs 1] [--formats deb,rpm]
//       [--compressors zstd,gzip,xz] [--rpmbuild [zstd,gzip,xz]] [--startup] [--no-matrix] [--baseline OTHER/bin/mkpkg.js]
//       [--cli bin/mkpkg.js] [--json FILE]
//
// Per run: wall seconds and user+sys CPU seconds of the command and all its children (GNU time),
// the peak of the summed RSS of the command's whole process tree (sampled from /proc every 25 ms),
// and the 1-minute load average. Runs of one row alternate (mkpkg, refs…, then refs…, mkpkg) and
// the ratios are medians of per-round ratios, so load drift hits both sides.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareScale, rpmSpec } from './tree.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const arg = (name, def) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : def; };
const scales = arg('scales', '1,2,4').split(',').map(Number);
const runs = Number(arg('runs', 3));
const slowRuns = Number(arg('slow-runs', 1));
const formats = arg('formats', 'deb,rpm').split(',');
const compressors = arg('compressors', 'zstd,gzip,xz').split(',');
const cli = resolve(arg('cli', join(root, 'bin', 'mkpkg.js')));
/** Another mkpkg (e.g. a build of the base commit) run in the same rounds as a further reference: before/after under the same load. */
const baseline = arg('baseline') ? resolve(arg('baseline')) : undefined;
const rpmbuildFor = flag('rpmbuild') ? arg('rpmbuild', 'zstd,gzip,xz').split(',') : [];
const LEVEL = { zstd: 3, gzip: 6, xz: 6 };
/** The bare compressor, multi-threaded as the issue asks (gzip: pigz). */
const RAW = { zstd: 'zstd -T0 -3 -q', gzip: 'pigz -6', xz: 'xz -T0 -6' };

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
for (const t of ['/usr/bin/time', 'dpkg-deb', 'md5sum', 'tar', 'zstd', 'xz']) {
  if (!has(t)) { console.error(`missing tool: ${t} (apt-get install time dpkg coreutils tar zstd xz-utils)`); process.exit(2); }
}
if (!existsSync(join(root, 'dist', 'bundle', 'mkpkg.js'))) { console.error('run `npm run build` first'); process.exit(2); }

/** Summed RSS (bytes) of `pid` and all its descendants, from /proc. */
function treeRss(pid) {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)).push(Number(d));
    } catch { /* gone */ }
  }
  let sum = 0;
  const stack = [...(kids.get(pid) ?? [])]; // the command's own process tree, without GNU time itself
  while (stack.length) {
    const p = stack.pop();
    try { sum += Number(readFileSync(`/proc/${p}/statm`, 'latin1').split(' ')[1]) * 4096; } catch { /* gone */ }
    stack.push(...(kids.get(p) ?? []));
  }
  return sum;
}

/** Run `sh -c script` under GNU time, sampling the tree's RSS. */
function measure(script, env = {}) {
  return new Promise((done, fail) => {
    const load = loadavg()[0];
    const p = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', 'sh', '-c', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    let peak = 0;
    const timer = setInterval(() => { peak = Math.max(peak, treeRss(p.pid)); }, 25);
    p.on('close', (code) => {
      clearInterval(timer);
      const line = err.split('\n').filter((l) => l.startsWith('TIME ')).pop();
      if (code !== 0 || !line) return fail(new Error(`${script}\nexited ${code}:\n${err}`));
      const [wall, user, sys, maxKiB] = line.slice(5).split(' ').map(Number);
      done({ wall, cpu: user + sys, treeMiB: peak / 1048576, largestMiB: maxKiB / 1024, load });
    });
  });
}

const median = (xs) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); const m = s.length >> 1; return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const sha256 = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const rows = [];

/**
 * Alternating rounds of `cases` (name → shell script); the first case is mkpkg. Prints and records
 * one row per reference: medians of wall, CPU and peak tree RSS, per-round ratios, load averages.
 */
async function compare(label, cases, n, afterMkpkg) {
  const names = Object.keys(cases);
  const res = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const k of order) {
      res[k].push(await measure(cases[k]));
      if (k === names[0] && afterMkpkg) afterMkpkg(i);
    }
  }
  const m = res[names[0]];
  const loads = Object.values(res).flat().map((r) => r.load);
  const base = {
    case: label, runs: n,
    mkpkg_s: median(m.map((r) => r.wall)), mkpkg_cpu_s: median(m.map((r) => r.cpu)),
    mkpkg_tree_rss_MiB: Math.max(...m.map((r) => r.treeMiB)), mkpkg_largest_rss_MiB: Math.max(...m.map((r) => r.largestMiB)),
    load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  };
  console.log(`\n### ${label} (${n} rounds, load ${base.load})`);
  console.log(`mkpkg: ${f2(base.mkpkg_s)} s wall, ${f2(base.mkpkg_cpu_s)} CPU-s, peak RSS ${base.mkpkg_tree_rss_MiB.toFixed(0)} MiB with children (largest process ${base.mkpkg_largest_rss_MiB.toFixed(0)} MiB)`);
  for (const ref of names.slice(1)) {
    const r = res[ref];
    const row = {
      ...base, reference: ref,
      ref_s: median(r.map((x) => x.wall)), ref_cpu_s: median(r.map((x) => x.cpu)), ref_tree_rss_MiB: Math.max(...r.map((x) => x.treeMiB)),
      ratio: median(m.map((x, i) => x.wall / r[i].wall)), cpu_ratio: median(m.map((x, i) => x.cpu / r[i].cpu)),
    };
    rows.push(row);
    console.log(`  vs ${ref}: ${f2(row.ref_s)} s, ${f2(row.ref_cpu_s)} CPU-s, RSS ${row.ref_tree_rss_MiB.toFixed(0)} MiB → wall ratio ${f2(row.ratio)}, CPU ratio ${f2(row.cpu_ratio)}`);
  }
  return res;
}

const mkpkgCmd = (fmt, project, out, comp, level, bin = cli) =>
  `rm -rf ${q(out)} && mkdir -p ${q(out)} && node ${q(bin)} ${fmt} ${q(project)} -o ${q(out)} --compression ${comp} --level ${level} --quiet`;
/** The baseline's case, when one was given. */
const baselineCase = (fmt, project, out, comp, level) => (baseline ? { 'mkpkg baseline': `export SOURCE_DATE_EPOCH=1700000000; ${mkpkgCmd(fmt, project, `${out}-baseline`, comp, level, baseline)}` } : {});

async function matrix() {
  for (const scale of scales) {
    const { base, project, droot, drootMd5, tree } = prepareScale(work, scale, { files: 10000, mb: 100 });
    const out = join(base, 'out');
    const env = 'export SOURCE_DATE_EPOCH=1700000000;';
    console.log(`\n## tree x${scale}: ${10000 * scale} files, ${100 * scale} MB (node_modules-like, contents-only)`);
    for (const comp of compressors) {
      const n = comp === 'xz' ? slowRuns : runs;
      const level = LEVEL[comp];
      const rawTool = RAW[comp].split(' ')[0];
      const raw = has(rawTool);
      if (!raw) console.log(`missing tool: ${rawTool} (apt-get install ${rawTool}): raw-compressor rows skipped`);
      const report = (fmt) => () => {
        const pkg = readdirSync(out).find((x) => x.endsWith(`.${fmt}`));
        const row = `x${scale} ${fmt} ${comp} ${level}`;
        if (pkg) console.log(`  (${row}: ${(statSync(join(out, pkg)).size / 1e6).toFixed(1)} MB, sha256 ${sha256(join(out, pkg)).slice(0, 16)})`);
      };
      if (formats.includes('deb')) {
        const cases = { mkpkg: `${env} ${mkpkgCmd('deb', project, out, comp, level)}`, ...baselineCase('deb', project, out, comp, level) };
        cases['md5sum + dpkg-deb'] = `cd ${q(drootMd5)} && rm -f DEBIAN/md5sums && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums `
          + `&& exec dpkg-deb --root-owner-group -Z${comp} -z${level} -b . ${q(join(base, 'ref-md5.deb'))}`;
        cases['dpkg-deb alone'] = `exec dpkg-deb --root-owner-group -Z${comp} -z${level} -b ${q(droot)} ${q(join(base, 'ref.deb'))}`;
        if (raw) cases[`tar | ${RAW[comp]}`] = `tar -cf - -C ${q(droot)} usr | ${RAW[comp]} > ${q(join(base, 'ref.tar.c'))}`;
        let first = true;
        await compare(`x${scale} .deb ${comp} ${level}`, cases, n, () => { if (first) report('deb')(); first = false; });
      }
      if (formats.includes('rpm')) {
        const payload = join(base, 'payload.cpio');
        if (!existsSync(payload)) {
          const tmp = join(base, 'none');
          spawnSync('sh', ['-c', `${env} ${mkpkgCmd('rpm', project, tmp, 'none', 0)} && rpm2cpio ${q(tmp)}/*.rpm > ${q(payload)}`], { stdio: 'inherit' });
        }
        const cases = { mkpkg: `${env} ${mkpkgCmd('rpm', project, out, comp, level)}`, ...baselineCase('rpm', project, out, comp, level) };
        if (raw) cases[`${RAW[comp]} < payload`] = `${RAW[comp]} < ${q(payload)} > ${q(join(base, 'payload.c'))}`;
        let first = true;
        await compare(`x${scale} .rpm ${comp} ${level}`, cases, n, () => { if (first) report('rpm')(); first = false; });
        if (rpmbuildFor.includes(comp) && scale === 1 && has('rpmbuild')) {
          const spec = rpmSpec(base, tree, comp);
          await compare(`x1 .rpm ${comp} ${level} vs rpmbuild`, { mkpkg: cases.mkpkg, rpmbuild: `exec rpmbuild -bb --quiet ${q(spec)}` }, 1);
        }
      }
    }
  }
}

/** Start-up: `mkpkg --version` vs `node -e 0`; a 3-file .deb vs node -e 0 + 2 × (md5sum + dpkg-deb) on the same files. */
async function startup() {
  const n = Math.max(runs, 9);
  console.log('\n## start-up');
  await compare('mkpkg --version', {
    mkpkg: `exec node ${q(cli)} --version`, ...(baseline ? { 'mkpkg baseline': `exec node ${q(baseline)} --version` } : {}), 'node -e 0': 'exec node -e 0',
  }, n);
  const base = join(work, 'small');
  const project = join(base, 'project');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(join(project, 'files'), { recursive: true });
  mkdirSync(join(base, 'root', 'DEBIAN'), { recursive: true });
  mkdirSync(join(base, 'root', 'usr', 'lib', 'small'), { recursive: true });
  for (const [name, text] of [['a.js', 'module.exports = 1;\n'], ['b.js', 'module.exports = 2;\n'.repeat(50)], ['README', 'small package\n']]) {
    writeFileSync(join(project, 'files', name), text);
    writeFileSync(join(base, 'root', 'usr', 'lib', 'small', name), text);
  }
  writeFileSync(join(project, 'mkpkg.config.json'), JSON.stringify({
    name: 'small', version: '1.0.0', maintainer: 'Bench <bench@example.com>', summary: 'small', description: 'Three files.',
    arch: 'all', app: false, contents: [{ src: 'files', dst: '/usr/lib/small' }],
  }));
  writeFileSync(join(base, 'root', 'DEBIAN', 'control'), 'Package: small\nVersion: 1.0.0-1\nArchitecture: all\nMaintainer: Bench <bench@example.com>\nDescription: small\n Three files.\n');
  const ref = `cd ${q(join(base, 'root'))} && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums && exec dpkg-deb --root-owner-group -Zxz -z6 -b . ${q(join(base, 'ref.deb'))}`;
  const res = await compare('3-file .deb, xz 6', {
    mkpkg: `export SOURCE_DATE_EPOCH=1700000000; ${mkpkgCmd('deb', project, join(base, 'out'), 'xz', 6)}`,
    ...baselineCase('deb', project, join(base, 'out'), 'xz', 6),
    'md5sum + dpkg-deb': ref, 'node -e 0': 'exec node -e 0',
  }, n);
  const node = median(res['node -e 0'].map((r) => r.wall));
  const same = median(res['md5sum + dpkg-deb'].map((r) => r.wall));
  const target = node + 2 * same;
  const ours = median(res.mkpkg.map((r) => r.wall));
  rows.push({ case: '3-file .deb, xz 6', reference: 'node -e 0 + 2 × (md5sum + dpkg-deb)', mkpkg_s: ours, ref_s: target, ratio: ours / target, load: rows.at(-1).load, runs: n });
  console.log(`  target node -e 0 + 2 × (md5sum + dpkg-deb) = ${f2(node)} + 2 × ${f2(same)} = ${f2(target)} s → ratio ${f2(ours / target)}`);
}

if (!flag('no-matrix')) await matrix();
if (flag('startup')) await startup();
console.log('\n| case | reference | mkpkg s | ref s | wall ratio | mkpkg CPU-s | ref CPU-s | CPU ratio | mkpkg+children peak RSS MiB | ref RSS MiB | load (1 min) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.case} | ${r.reference} | ${f2(r.mkpkg_s)} | ${f2(r.ref_s)} | ${f2(r.ratio)} | ${f2(r.mkpkg_cpu_s)} | ${f2(r.ref_cpu_s)} | ${f2(r.cpu_ratio)} | ${r.mkpkg_tree_rss_MiB?.toFixed(0) ?? '–'} | ${r.ref_tree_rss_MiB?.toFixed(0) ?? '–'} | ${r.load} |`);
}
const json = arg('json');
if (json) writeFileSync(json, JSON.stringify({ cli, runs, slowRuns, rows }, null, 2));
