/**
 * Nothing mkpkg started outlives it. SIGINT or SIGTERM mid-build: the xz compressor and any other
 * child (a process a hook started) are killed, no temporary file stays. SIGKILL: the compressor dies
 * with mkpkg (parent-death signal), the temporary file stays, and the next run into the directory
 * removes it (only mkpkg's own temporary files, only those of dead processes) and never reports it.
 * The processes are found by a marker in their environment, whoever their parent is by then.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { bytesRead, markedProcesses, processMarker, waitFor } from '../support/processes.js';
import { mkpkgStart } from '../support/cli.js';
import { buildJson, listDir } from './helpers.js';
import { scratchProject } from './scratch-project.js';

/** How long a killed process may take to disappear from /proc on a loaded machine (it is not a timing assertion: xz left alone runs on for far longer). */
const GONE_WITHIN_MS = 10_000;

/** A project of `mib` MiB of random data: xz -9 needs a minute for it. */
function bigProject(mib: number): string {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < mib; i++) files[`blob-${String(i).padStart(3, '0')}.bin`] = randomBytes(1 << 20);
  return scratchProject({ name: 'intr-big', files });
}

interface Started { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stderr: () => string }

function start(args: string[], env: Record<string, string>): Started {
  const run = mkpkgStart(args, { env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => run.child.on('exit', (code, signal) => res({ code, signal })));
  return { child: run.child, exited, stderr: () => run.output().stderr };
}

/**
 * Wait until a marked process named `comm` runs and has read `minRead` bytes (for xz: it holds that
 * much input to compress, tens of seconds of work at -9), and a file matching `temp` is in `dir`.
 */
async function waitForChild(marker: string, comm: string, run: Started, want: { dir?: string; temp?: RegExp; minRead?: number } = {}): Promise<void> {
  const seen = await waitFor(() => {
    if (run.child.exitCode !== null) return 'exited';
    const proc = markedProcesses(marker).find((p) => p.comm === comm && bytesRead(p.pid) >= (want.minRead ?? 0));
    return proc && (!want.dir || listDir(want.dir).some((n) => want.temp!.test(n))) ? 'seen' : undefined;
  }, 120_000);
  assert.equal(seen, 'seen', `no ${comm} child having read ${want.minRead ?? 0} bytes${want.dir ? ' and temp file' : ''} appeared (exit ${run.child.exitCode})\n${run.stderr()}`);
}

async function assertAllGone(marker: string): Promise<void> {
  const left = await waitFor(() => (markedProcesses(marker).length === 0 ? [] : undefined), GONE_WITHIN_MS);
  assert.deepEqual(left, [], `processes left running: ${JSON.stringify(markedProcesses(marker))}`);
}

describe('cli: interrupted and killed builds leave no process and, in the end, no temporary file', function () {
  this.timeout(900_000);
  let big: string;

  before(function () {
    requireTools(this, 'xz', 'sleep');
    big = bigProject(64);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during an xz -T0 build: exit ${signal === 'SIGINT' ? 130 : 143}, E_INTERRUPTED, the xz child is killed, no file left`, async () => {
      const out = scratch('mkpkg-intr-');
      const { marker, env } = processMarker();
      const run = start(['deb', big, '-o', out, '--compression', 'xz', '--level', '9'], env);
      await waitForChild(marker, 'xz', run, { dir: out, temp: /^\.intr-big_.*\.tmp$/, minRead: 32 << 20 });
      run.child.kill(signal);
      const { code } = await run.exited;
      await assertAllGone(marker);
      assert.equal(code, signal === 'SIGINT' ? 130 : 143, run.stderr());
      assert.match(run.stderr(), /^error E_INTERRUPTED: interrupted by SIG/m);
      assert.match(run.stderr(), /^ {2}hint: \S/m);
      assert.deepEqual(listDir(out), []);
    });
  }

  it('SIGTERM while a hook waits on a process it started: the CLI kills that process too', async () => {
    const started = join(scratch(), 'started');
    const dir = scratchProject({
      name: 'intr-hook',
      preamble: "import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';",
      hooks: `{ beforePackage() { spawn('sleep', ['600'], { stdio: 'ignore' }); writeFileSync(${JSON.stringify(started)}, 'x'); return new Promise(() => {}); } }`,
    });
    const out = scratch('mkpkg-intr-');
    const { marker, env } = processMarker();
    const run = start(['deb', dir, '-o', out], env);
    await waitForChild(marker, 'sleep', run);
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    await assertAllGone(marker);
    assert.equal(code, 143, run.stderr());
    assert.deepEqual(listDir(out), []);
  });

  it('SIGKILL: xz dies with mkpkg, the temporary file stays; the next run into the directory removes it and reports only its own package', async () => {
    const out = scratch('mkpkg-kill-');
    const { marker, env } = processMarker();
    const run = start(['deb', big, '-o', out, '--compression', 'xz', '--level', '9'], env);
    await waitForChild(marker, 'xz', run, { dir: out, temp: /^\.intr-big_.*\.tmp$/, minRead: 32 << 20 });
    const pid = run.child.pid!;
    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');
    await assertAllGone(marker);
    const left = listDir(out);
    assert.equal(left.length, 1, left.join(', '));
    assert.match(left[0]!, new RegExp(`^\\.intr-big_1\\.0\\.0-1_all\\.deb\\.${pid}-[0-9a-z]+\\.[0-9a-f]{8}\\.tmp$`));

    // Temporary names of a live process (this one) and of another PID namespace are left alone.
    const ns = Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1]).toString(36);
    const keep = [`.other.deb.${process.pid}-${ns}.0123abcd.tmp`, `.other.deb.${pid}-zz${ns}.0123abcd.tmp`, 'unrelated.tmp'];
    for (const k of keep) writeFileSync(join(out, k), 'x');

    const small = scratchProject({ name: 'intr-small' });
    const artifacts = buildJson(['deb', small, '-o', out, '--compression', 'gzip']);
    assert.deepEqual(artifacts.map((a) => a.path), [join(out, 'intr-small_1.0.0-1_all.deb')]);
    assert.deepEqual(listDir(out), [...keep, 'intr-small_1.0.0-1_all.deb'].sort());
  });
});
