// Runs the suite with mocha; the closing line is "N passed, N failed, N skipped".
// `node test/run.mjs FILE…` runs those files in one mocha process. `node test/run.mjs` (the whole
// suite) runs two mocha processes at once (test/support/test-groups.mjs): the container group, whose
// files boot systemd containers and mostly wait, one file after another and printed live; and the
// host group beside it, its output held back and printed when both have ended. The closing line sums
// both groups; the exit code fails when either does. MKPKG_TEST_SERIAL=1 runs everything in one
// process instead. The spec is not in .mocharc.json, where mocha would add it to the files given
// (`npx mocha FILE` would run everything). Other arguments (--grep …) go to mocha as they are.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { glob } from 'tinyglobby';
import { testGroups } from './support/test-groups.mjs';

const require = createRequire(import.meta.url);
const mocha = require.resolve('mocha/bin/mocha.js');
const SPEC = 'test/**/*.test.ts';
const args = process.argv.slice(2);
const hasSpec = args.some((a) => /\.test\.ts$|\*|\/$/.test(a));

if (hasSpec || process.env.MKPKG_TEST_SERIAL === '1') {
  const r = spawnSync(process.execPath, [mocha, ...args, ...(hasSpec ? [] : [SPEC])], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const SUMMARY = /^(\w+) group: (\d+) passed, (\d+) failed, (\d+) skipped$/m;
const files = (await glob(SPEC)).sort();
const groups = testGroups(files);

// Both processes would otherwise build a stale dist/ at once (test/support/dist.ts), over each other.
const build = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
  "import { ensureBuilt } from './test/support/dist.ts'; ensureBuilt();"], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** One mocha process over `list` (none for an empty list); `done` gives its output (unless live), exit status and time. */
function runGroup(name, list, live) {
  if (list.length === 0) return undefined;
  const started = Date.now();
  const color = process.stdout.isTTY ? ['--color'] : [];
  const child = spawn(process.execPath, [mocha, ...color, ...args, ...list], {
    env: { ...process.env, MKPKG_TEST_GROUP: name }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const held = [];
  let tail = '';
  child.stdout.on('data', (b) => {
    tail = (tail + b.toString()).slice(-4096);
    if (live) process.stdout.write(b); else held.push(b);
  });
  child.stderr.on('data', (b) => { if (live) process.stderr.write(b); else held.push(b); });
  const done = new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ name, files: list.length, code, signal, tail, held, ms: Date.now() - started }));
  });
  return { child, done };
}

console.log(`== ${groups.container.length} container test files, one after another (printed live), beside `
  + `${groups.host.length} host test files (printed when both have ended)`);
const started = Date.now();
const running = [runGroup('container', groups.container, true), runGroup('host', groups.host, false)].filter(Boolean);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const r of running) r.child.kill(sig); });
const results = await Promise.all(running.map((r) => r.done));

const minutes = (ms) => `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
for (const r of results) {
  if (r.held.length) {
    process.stdout.write(`\n== ${r.name} group (${r.files} files), ran beside the other:\n`);
    process.stdout.write(Buffer.concat(r.held));
  }
  const m = SUMMARY.exec(r.tail);
  if (m && m[1] === r.name) {
    passed += Number(m[2]);
    failed += Number(m[3]);
    skipped += Number(m[4]);
  } else {
    failed += 1;
    notes.push(`${r.name} group ended without its summary line (exit ${r.code ?? r.signal}): counted as 1 failure`);
  }
  if (r.code !== 0 && m && Number(m[3]) === 0) {
    failed += 1;
    notes.push(`${r.name} group exited ${r.code ?? r.signal} with no failed test: counted as 1 failure`);
  }
  notes.push(`${r.name} group: ${r.files} files in ${minutes(r.ms)}`);
}
process.stdout.write(`\n${notes.map((n) => `== ${n}\n`).join('')}== wall time ${minutes(Date.now() - started)}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 && results.every((r) => r.code === 0) ? 0 : 1);
