/**
 * Progress display and verbosity of `mkpkg deb`: a redrawn bar on a TTY stderr (under a real
 * pseudo-terminal from util-linux `script`), plain lines through pipes, `--quiet`, `--verbose`,
 * and `--json` staying one JSON document on a terminal.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { CLI, SDE, ensureBuilt, mkpkg } from './helpers.js';

const DEB = 'bigtree_1.0.0-1_all.deb';
const FAST = ['--compression', 'gzip', '--level', '1'];
/** One bar frame as consoleReporter draws it; groups: the 30-column bar, the percentage, bytes done and total. */
const FRAME = /\r\x1b\[Kdeb package \[([# ]{30})\] (\d{1,3})% (\d+(?:\.\d)? (?:B|KiB|MiB)) \/ (\d+(?:\.\d)? (?:B|KiB|MiB))(?:, \d+(?:\.\d)? (?:B|KiB|MiB)\/s)?(?:, ETA \d+ s)?/g;
const CLEAR = '\r\x1b[K';
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A config-only project whose tree (3000 files, ~60 MB of text) takes well over 100 ms to write. */
function bigProject(): string {
  const dir = scratch('mkpkg-progress-');
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    name: 'bigtree', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'Big tree',
    description: 'A big tree\nUsed by the progress tests.', arch: 'all', app: false,
    contents: [{ src: 'tree', dst: '/usr/lib/x' }],
  }));
  for (let d = 0; d < 40; d++) {
    mkdirSync(join(dir, 'tree', `d${d}`), { recursive: true });
    for (let f = 0; f < 75; f++) {
      const lines: string[] = [];
      for (let i = (d * 75 + f) * 1000, n = 0; n < 20_000; i++) {
        const l = `line ${i} of moderately compressible text ${((i * 2654435761) >>> 0).toString(16)}\n`;
        lines.push(l);
        n += l.length;
      }
      writeFileSync(join(dir, 'tree', `d${d}`, `f${f}.txt`), lines.join(''));
    }
  }
  return dir;
}

/** Run the CLI with stdout and stderr on a pseudo-terminal; returns the terminal transcript. */
function onTty(args: string[]): { status: number | null; out: string; ms: number } {
  ensureBuilt();
  const started = Date.now();
  const r = spawnSync('script', ['-qec', [process.execPath, CLI, ...args].map(sh).join(' '), '/dev/null'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    env: { ...process.env, SOURCE_DATE_EPOCH: SDE, NO_COLOR: '1' },
  });
  return { status: r.status, out: String(r.stdout), ms: Date.now() - started };
}

const resultLine = (out: string) => new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${DEB.replace(/\./g, '\\.')} {2}\\(\\d+\\.\\d MiB, bigtree 1\\.0\\.0-1 all\\)$`);

describe('cli: progress display and verbosity', function () {
  this.timeout(600_000);
  let dir: string;
  before(function () {
    requireTools(this, 'dpkg-deb');
    dir = bigProject();
  });

  it('on a TTY draws a throttled bar with sizes (and rate/ETA once measurable) up to 100%, clears it before the result line, and the .deb is valid', function () {
    requireTools(this, 'script');
    const out = join(scratch(), 'out');
    const r = onTty(['deb', dir, '-o', out, ...FAST]);
    assert.equal(r.status, 0, r.out);
    const frames = [...r.out.matchAll(FRAME)];
    assert.ok(frames.length >= 2, `expected progress frames on the terminal:\n${JSON.stringify(r.out)}`);
    const pcts = frames.map((m) => Number(m[2]));
    assert.ok(frames.every((m) => m[4] === frames[0]![4]), 'the total size stays the same');
    assert.match(frames[0]![4]!, /MiB$/, 'the ~60 MB tree is shown in MiB');
    assert.equal(pcts[0], 0, 'first frame is 0%');
    assert.equal(pcts.at(-1), 100, 'last frame is 100%');
    for (const [i, m] of frames.entries()) {
      if (i > 0) assert.ok(pcts[i]! >= pcts[i - 1]!, `percentages never go back: ${pcts.join(' ')}`);
      const fill = Math.round((pcts[i]! / 100) * 30);
      assert.equal(m[1], '#'.repeat(fill) + ' '.repeat(30 - fill), `bar fill matches ${pcts[i]}%`);
    }
    // At most one redraw per 100 ms (plus the first and the final frame).
    assert.ok(frames.length <= Math.floor(r.ms / 100) + 2, `${frames.length} frames in ${r.ms} ms: not throttled`);
    const last = frames.at(-1)!;
    // The rest of the last frame (rate), then the bar is cleared (and the reporter's close clears nothing more).
    const tail = r.out.slice(last.index! + last[0].length).replace(/^[^\r]*/, '');
    assert.ok(tail.startsWith(CLEAR), `bar not cleared after 100%: ${JSON.stringify(tail)}`);
    const rest = tail.slice(CLEAR.length).split('\r\n');
    assert.deepEqual(rest.slice(1), [''], `only the result line follows the cleared bar: ${JSON.stringify(tail)}`);
    assert.match(rest[0]!, resultLine(out));
    assert.ok(r.out.split(CLEAR).slice(0, -1).every((s) => !s.includes('\n')), 'no line was printed while the bar was drawn');
    const info = spawnSync('dpkg-deb', ['--info', join(out, DEB)], { encoding: 'utf8' });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /^ Package: bigtree$/m);
  });

  it('on a TTY shows each phase of a Node.js app build (listing with counts, installing dependencies, planning) before the bar', function () {
    requireTools(this, 'script');
    const app = join(scratch('mkpkg-progress-app-'), 'app');
    mkdirSync(join(app, 'lib'), { recursive: true });
    for (let i = 0; i < 1200; i++) writeFileSync(join(app, 'lib', `m${i}.js`), `module.exports = ${i};\n`);
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'phases', version: '1.0.0', description: 'Phases', author: 'A B <a@b.example>', license: 'MIT', main: 'lib/m0.js', engines: { node: '>=18' },
      dependencies: { dep: 'file:vendor/dep' },
    }));
    mkdirSync(join(app, 'vendor', 'dep'), { recursive: true });
    writeFileSync(join(app, 'vendor', 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
    const r = onTty(['deb', app, '-o', join(scratch(), 'out'), ...FAST]);
    assert.equal(r.status, 0, r.out);
    const screens = r.out.split('\r\x1b[K');
    const listing = screens.filter((l) => l.startsWith('listing files: '));
    assert.ok(listing.some((l) => /^listing files: 1\d{3} files, \d+(\.\d)? KiB/.test(l)), `no listing count: ${JSON.stringify(listing)}`);
    assert.ok(screens.some((l) => l.startsWith('installing dependencies: npm install (no lock file)')), 'no install phase');
    assert.ok(screens.some((l) => /^planning: deb: \d+ files, /.test(l)), 'no planning count');
    const order = ['listing files', 'installing dependencies', 'planning', 'deb package'].map((p) => screens.findIndex((l) => l.startsWith(p)));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `phases out of order: ${order.join(' ')}`);
    assert.ok(order.every((i) => i >= 0), `a phase is missing: ${order.join(' ')}`);
  });

  it('through pipes prints only the plain result line: no \\r, no escape sequences', () => {
    const out = join(scratch(), 'out');
    const r = mkpkg(['deb', dir, '-o', out, ...FAST]);
    assert.equal(r.status, 0, r.stderr);
    for (const s of [r.stdout, r.stderr]) {
      assert.ok(!s.includes('\r'), `\\r in output: ${JSON.stringify(s)}`);
      assert.ok(!s.includes('\x1b['), `escape sequence in output: ${JSON.stringify(s)}`);
    }
    assert.equal(r.stderr, '');
    const [line, ...after] = r.stdout.split('\n');
    assert.deepEqual(after, [''], `one result line on stdout: ${JSON.stringify(r.stdout)}`);
    assert.match(line!, resultLine(out));
    assert.ok(existsSync(join(out, DEB)));
  });

  it('--quiet prints nothing on success, even on a TTY, but still prints errors', function () {
    requireTools(this, 'script');
    const out = join(scratch(), 'out');
    const r = onTty(['deb', dir, '-o', out, '--quiet', ...FAST]);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.out, '', 'no progress bar and no result line');
    assert.ok(statSync(join(out, DEB)).size > 0, 'the package was still written');
    const piped = mkpkg(['deb', dir, '-o', join(scratch(), 'out'), '-q', ...FAST]);
    assert.deepEqual([piped.status, piped.stdout, piped.stderr], [0, '', '']);
    const bad = mkpkg(['deb', join(dir, 'missing'), '-o', join(scratch(), 'out'), '--quiet']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error E_CONFIG_NOT_FOUND: .*missing/m);
  });

  it('--verbose adds the step and template-source lines the default mode does not print', () => {
    const plain = mkpkg(['deb', dir, '-o', join(scratch(), 'out'), ...FAST]);
    const out = join(scratch(), 'out');
    const r = mkpkg(['deb', dir, '-o', out, '--verbose', ...FAST]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n');
    for (const step of ['load', 'verify', 'stage', 'package', 'publish', 'notify']) {
      assert.ok(lines.includes(`step ${step}`), `no "step ${step}":\n${r.stderr}`);
      assert.ok(lines.some((l) => new RegExp(`^step ${step} took \\d+ ms$`).test(l)), `no duration for "step ${step}":\n${r.stderr}`);
    }
    assert.ok(lines.indexOf('step load') < lines.indexOf('step package'), 'steps in order');
    assert.match(r.stderr, /^template deb\/postinst\.ejs <- builtin: \S+\/packaging-templates\/deb\/postinst\.ejs$/m);
    assert.match(r.stderr, /^template common\/copyright\.ejs <- builtin: /m);
    assert.ok(!r.stderr.includes('\r') && !r.stderr.includes('\x1b['), 'no bar through a pipe');
    assert.match(r.stdout.trimEnd(), resultLine(out));
    assert.equal(plain.status, 0);
    assert.doesNotMatch(plain.stderr, /^(step|template) /m, 'the default mode prints no step/template lines');
  });

  it('--json on a TTY is one JSON document with no progress frames mixed in', function () {
    requireTools(this, 'script');
    const out = join(scratch(), 'out');
    const r = onTty(['deb', dir, '-o', out, '--json', ...FAST]);
    assert.equal(r.status, 0, r.out);
    assert.ok(!r.out.includes('\x1b['), `escape sequence on the terminal: ${JSON.stringify(r.out.slice(0, 200))}`);
    const doc = JSON.parse(r.out.replace(/\r\n/g, '\n')) as { artifacts: { path: string; size: number; name: string }[] };
    assert.equal(doc.artifacts.length, 1);
    assert.equal(doc.artifacts[0]!.path, join(out, DEB));
    assert.equal(doc.artifacts[0]!.size, statSync(join(out, DEB)).size);
  });
});
