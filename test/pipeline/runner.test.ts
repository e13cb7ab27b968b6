/**
 * The pipeline runner with real builds of a tiny config-only project: step order, hook folding,
 * step editing from the config, error attribution. Packages are judged with the real dpkg-deb.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { build } from '../../src/pipeline/build.js';
import type { Reporter } from '../../src/reporter.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { cli, listDir, rejectsWith, run, tinyProject } from './support.js';

type Events = string[];
const events = (): Events => ((globalThis as { __mkpkgEvents?: Events }).__mkpkgEvents ??= []);
const EV = '(globalThis.__mkpkgEvents ??= [])';

function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), verbose: (m) => lines.push(m), warn: () => {}, progress: () => {} };
}

describe('pipeline: steps and hooks', function () {
  this.timeout(600_000);
  beforeEach(() => { events().length = 0; });
  before(function () { requireTools(this, 'dpkg-deb'); });

  it('runs load, verify, stage, package, publish, notify in order and writes a .deb that dpkg-deb reads', async () => {
    const dir = tinyProject();
    const out = scratch();
    const reporter = recordingReporter();
    const r = await build({ dir, outDir: out, reporter, sourceDateEpoch: 1700000000 });
    const steps = reporter.lines.filter((l) => /^step \S+$/.test(l)).map((l) => l.slice(5));
    assert.deepEqual(steps, ['load', 'verify', 'stage', 'package', 'publish', 'notify']);
    assert.equal(r.artifacts.length, 1);
    assert.equal(run('dpkg-deb', ['-f', r.artifacts[0]!.path, 'Package', 'Version']), 'Package: tiny\nVersion: 1.2.3-1\n');
    assert.match(run('dpkg-deb', ['-c', r.artifacts[0]!.path]), /\.\/usr\/share\/tiny\/hello\.txt/);
  });

  it('folds transforming hooks: config hooks first, then plugins in order, each seeing the previous value', async () => {
    const addFile = (who: string) => `(t, ctx) => {
      ${EV}.push('${who}:' + t.plan.entries.filter((e) => e.path.startsWith('/usr/share/tiny/by-')).map((e) => e.path.slice(19)).join(','));
      return withFiles(t, [{ path: '/usr/share/tiny/by-${who}', data: '${who}\\n' }], '${who}', ctx.options.sourceDateEpoch);
    }`;
    const dir = tinyProject(`
      hooks: {
        beforeStage: (t, ctx) => { ${EV}.push('beforeStage:' + t.format + ':' + ctx.project.config.name); },
        afterStage: [(t) => { ${EV}.push('afterStage:' + t.plan.entries.length); }],
        beforePackage: [${addFile('c1')}, ${addFile('c2')}],
        afterPackage: (artifacts) => artifacts.map((a) => ({ ...a, name: a.name + '+c' })),
        afterPublish: (results) => [...results, { output: 'config-extra', ok: true }],
      },
      plugins: [
        { name: 'pa', hooks: { beforePackage: ${addFile('pa')}, afterPackage: (as) => as.map((a) => ({ ...a, name: a.name + '+pa' })) } },
        { name: 'pb', hooks: { beforePackage: ${addFile('pb')}, afterPublish: (rs) => rs.map((r) => ({ ...r, detail: 'seen by pb' })) } },
      ],`, {}, 'defineConfig, withFiles');
    const r = await build({ dir, outDir: scratch(), sourceDateEpoch: 1700000000 });
    assert.deepEqual(events().filter((e) => /^(c1|c2|pa|pb):/.test(e)), ['c1:', 'c2:c1', 'pa:c1,c2', 'pb:c1,c2,pa']);
    assert.ok(events().includes('beforeStage:deb:tiny'), events().join(' '));
    assert.ok(events().some((e) => e.startsWith('afterStage:')));
    assert.equal(r.artifacts[0]!.name, 'tiny+c+pa');
    assert.deepEqual(r.published, [{ output: 'config-extra', ok: true, detail: 'seen by pb' }]);
    const listing = run('dpkg-deb', ['-c', r.artifacts[0]!.path]);
    for (const who of ['c1', 'c2', 'pa', 'pb']) assert.match(listing, new RegExp(`\\./usr/share/tiny/by-${who}\\n`));
  });

  it('lets the config replace, wrap, insert and remove steps by name', async () => {
    const dir = tinyProject(`
      outputs: [{ name: 'would-publish', run: () => { ${EV}.push('output ran'); } }],
      pipeline: (steps, edit) => {
        steps = edit.insertBefore(steps, 'verify', { name: 'compile', run: () => { ${EV}.push('compile'); } });
        steps = edit.insertAfter(steps, 'stage', { name: 'custom', run: (ctx) => { ${EV}.push('custom:' + ctx.targets.length); } });
        steps = edit.wrap(steps, 'package', async (ctx, next) => {
          ${EV}.push('package:before:' + ctx.artifacts.length);
          await next();
          ${EV}.push('package:after:' + ctx.artifacts.length);
        });
        steps = edit.replace(steps, 'notify', () => { ${EV}.push('my-notify'); });
        return edit.remove(steps, 'publish');
      },`);
    const reporter = recordingReporter();
    const r = await build({ dir, outDir: scratch(), reporter, sourceDateEpoch: 1700000000 });
    const steps = reporter.lines.filter((l) => /^step \S+$/.test(l)).map((l) => l.slice(5));
    assert.deepEqual(steps, ['load', 'compile', 'verify', 'stage', 'custom', 'package', 'notify']);
    assert.deepEqual(events(), ['compile', 'custom:1', 'package:before:0', 'package:after:1', 'my-notify']);
    assert.equal(r.artifacts.length, 1);
  });

  it('rejects an unknown step name in the pipeline function, naming it and the existing steps, before anything is written', async () => {
    const dir = tinyProject(`pipeline: (steps, edit) => edit.wrap(steps, 'packge', (ctx, next) => next()),`);
    const out = join(scratch(), 'out');
    const e = await rejectsWith(() => build({ dir, outDir: out }), 'E_CONFIG_INVALID');
    assert.match(e.message, /no step named "packge"/);
    assert.match(e.hint ?? '', /verify, stage, package, publish, notify/);
    assert.deepEqual(listDir(out), []);
  });

  it('tags errors with the step and plugin they came from (hook, step, output), and the CLI prints both', async () => {
    const hookDir = tinyProject(`plugins: [{ name: 'boom', hooks: { beforePackage: () => { throw new Error('kaput'); } } }],`);
    const e1 = await rejectsWith(() => build({ dir: hookDir, outDir: scratch() }), 'E_HOOK');
    assert.equal(e1.plugin, 'boom');
    assert.equal(e1.step, 'package');
    assert.match(e1.message, /beforePackage.*kaput/);

    const r = cli(['deb', hookDir, '-o', scratch()]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error E_HOOK: hook beforePackage failed: kaput \(plugin boom, step package\)$/m);

    const stepDir = tinyProject(`pipeline: (steps, edit) => edit.insertAfter(steps, 'stage', { name: 'check', run: () => { throw new Error('not ready'); } }),`);
    const e2 = await rejectsWith(() => build({ dir: stepDir, outDir: scratch() }), 'E_STEP');
    assert.equal(e2.step, 'check');
    assert.match(e2.message, /step check failed: not ready/);

    const outDir = tinyProject(`plugins: [{ name: 'uploader', outputs: [{ name: 'upload', run: () => { throw new Error('connection refused'); } }] }],`);
    const e3 = await rejectsWith(() => build({ dir: outDir, outDir: scratch() }), 'E_OUTPUT');
    assert.equal(e3.plugin, 'uploader');
    assert.equal(e3.step, 'publish');
    assert.match(e3.message, /output "upload" failed: connection refused/);
  });
});
