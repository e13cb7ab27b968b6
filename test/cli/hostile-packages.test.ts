/**
 * Hostile files given to everything that reads packages: `mkpkg inspect` (the real CLI, in a child
 * process whose peak RSS it reports), the apt publisher's reader and the one `mkpkg verify` uses.
 * Each ends in E_READ_PACKAGE naming the file, quickly and in bounded memory. The kill timeout is
 * generous (a loaded machine is slow); it only catches a hang, it is no timing assertion.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDebControl } from '../../src/formats/deb/reader.js';
import { inspectPackage } from '../../src/verify/package-info.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import {
  arMemberBeyondFileDeb, controlBombDeb, hugeControlFileDeb, hugeIndexRpm, int32ArrayRpm, lyingCountRpm, type Compressor,
} from '../support/hostile.js';
import { CLI, FIXTURES, SDE, buildJson, ensureBuilt, type JsonArtifact } from './helpers.js';

const MiB = 1 << 20;
/** Peak RSS allowed for one `mkpkg inspect` of a hostile file (node itself takes ~50 MB). */
const MAX_RSS_MB = 150;
/** Kill a run that takes longer: a hang, not a slow machine. */
const KILL_AFTER_MS = 60_000;

interface Run { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; rssMb?: number; ms: number }

/** `mkpkg inspect ARGS` with MKPKG_REPORT_RSS (node's own peak RSS, printed at exit), killed after KILL_AFTER_MS. */
function inspect(file: string, ...extra: string[]): Run {
  ensureBuilt();
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'inspect', file, ...extra], {
    encoding: 'utf8', timeout: KILL_AFTER_MS, killSignal: 'SIGKILL', maxBuffer: 64 * MiB,
    env: { ...process.env, SOURCE_DATE_EPOCH: SDE, NO_COLOR: '1', MKPKG_REPORT_RSS: '1' },
  });
  const kib = /^mkpkg-maxrss-kib (\d+)$/m.exec(r.stderr ?? '')?.[1];
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', rssMb: kib ? Number(kib) / 1024 : undefined, ms: Date.now() - started };
}

/** The run ended by itself with exit 1, `error E_READ_PACKAGE: …` naming the file and `why`, a hint, in bounded memory. */
function assertRefused(r: Run, file: string, why: RegExp): void {
  const shown = `exit ${r.status} signal ${r.signal} after ${r.ms} ms, rss ${r.rssMb?.toFixed(0)} MB\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`;
  assert.equal(r.signal, null, `killed after ${KILL_AFTER_MS} ms (a hang): ${shown}`);
  assert.equal(r.status, 1, shown);
  const line = r.stderr.split('\n').find((l) => l.startsWith('error ')) ?? '';
  assert.ok(line.startsWith('error E_READ_PACKAGE: '), shown);
  assert.ok(line.includes(file), `the error does not name ${file}: ${line}`);
  assert.match(line, why);
  assert.match(r.stderr, /^ {2}hint: \S/m, shown);
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m, `a stack trace: ${shown}`);
  assert.ok(r.rssMb !== undefined, `no RSS report: ${shown}`);
  assert.ok(r.rssMb < MAX_RSS_MB, `peak RSS ${r.rssMb.toFixed(0)} MB ≥ ${MAX_RSS_MB} MB`);
}

/** The publisher's and verify's readers refuse the file too, with E_READ_PACKAGE naming it. */
async function assertLibraryReadersRefuse(file: string): Promise<void> {
  const coded = (e: { code?: string; message?: string }) => e.code === 'E_READ_PACKAGE' && Boolean(e.message?.includes(file));
  if (file.endsWith('.deb')) await assert.rejects(readDebControl(file), coded, 'readDebControl (apt publisher)');
  await assert.rejects(inspectPackage(file), coded, 'inspectPackage (mkpkg verify)');
}

describe('cli: hostile packages end in E_READ_PACKAGE, in bounded time and memory', function () {
  this.timeout(900_000);
  let dir: string;
  let real: JsonArtifact[];

  before(function () {
    requireTools(this, 'xz', 'zstd', 'mkfifo');
    dir = scratch('mkpkg-hostile-');
    real = buildJson(['build', join(FIXTURES, 'hello-service'), '-o', scratch(), '--compression', 'gzip']);
  });

  it('a FIFO: refused as not a regular file, without blocking on the open', async () => {
    const fifo = join(dir, 'pipe.deb');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assertRefused(inspect(fifo), fifo, /FIFO/);
    await assertLibraryReadersRefuse(fifo);
  });

  it('a directory: refused as not a regular file (no EISDIR stack trace)', async () => {
    const d = join(dir, 'a-dir.rpm');
    mkdirSync(d);
    assertRefused(inspect(d), d, /is a directory/);
    assertRefused(inspect(d, '--json'), d, /is a directory/);
    await assertLibraryReadersRefuse(d);
  });

  for (const c of ['gzip', 'xz', 'zstd'] as Compressor[]) {
    it(`a .deb whose ${c}-compressed control.tar is a decompression bomb (512 MiB): refused at the control.tar limit`, async () => {
      const deb = controlBombDeb(dir, c);
      assertRefused(inspect(deb), deb, /control\.tar\.\w+ expands to more than 64 MiB/);
      await assertLibraryReadersRefuse(deb);
    });
  }

  it('a .deb whose control file claims 256 MiB: refused before it is read', async () => {
    const deb = hugeControlFileDeb(dir, 'xz');
    assertRefused(inspect(deb), deb, /control in control\.tar\.xz is larger than 4 MiB/);
    await assertLibraryReadersRefuse(deb);
  });

  it('a .deb whose ar member is larger than the file', async () => {
    const deb = arMemberBeyondFileDeb(dir);
    assertRefused(inspect(deb), deb, /ar member data\.tar\.gz is truncated/);
    await assertLibraryReadersRefuse(deb);
  });

  it('truncated .deb and .rpm files', async () => {
    for (const a of real) {
      const bytes = readFileSync(a.path);
      for (const keep of [a.format === 'deb' ? 200 : 120, Math.floor(bytes.length / 2)]) {
        const cut = join(dir, `cut-${keep}.${a.format}`);
        writeFileSync(cut, bytes.subarray(0, keep));
        assertRefused(inspect(cut), cut, /truncated|unexpected end|end of file|ends at byte/i);
        await assertLibraryReadersRefuse(cut);
      }
    }
  });

  it('an .rpm header with a huge index count (2^28 entries)', async () => {
    const rpm = hugeIndexRpm(dir, 1 << 28);
    assertRefused(inspect(rpm), rpm, /declares 268435456 index entries/);
    await assertLibraryReadersRefuse(rpm);
  });

  it('an .rpm header with a huge data length (200 MiB, one int32 tag of 50 million values): refused before reading it', async () => {
    const rpm = int32ArrayRpm(dir, 'huge-data.rpm', 200 * MiB, 50_000_000);
    assertRefused(inspect(rpm), rpm, /declares 200 MiB of data \(at most 32 MiB/);
    await assertLibraryReadersRefuse(rpm);
  });

  it('an .rpm header within the data limit holding an int32 array of 7.5 million values: refused at the value limit', async () => {
    const rpm = int32ArrayRpm(dir, 'huge-int32.rpm', 30 * MiB, 7_500_000);
    assertRefused(inspect(rpm), rpm, /holds more than 4194304 values/);
    await assertLibraryReadersRefuse(rpm);
  });

  it('an .rpm tag whose count lies (a million strings in 16 bytes)', async () => {
    const rpm = lyingCountRpm(dir, 1_000_000);
    assertRefused(inspect(rpm), rpm, /declares 1000000 values, more than its 16 data bytes can hold/);
    await assertLibraryReadersRefuse(rpm);
  });

  it('the real packages still read, in the same bounds', () => {
    for (const a of real) {
      const r = inspect(a.path, '--json');
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { format: string }).format, a.format);
      assert.ok(r.rssMb !== undefined && r.rssMb < MAX_RSS_MB, `peak RSS ${r.rssMb} MB`);
    }
  });
});
