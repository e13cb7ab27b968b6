/** generateLifecycle with the launcher: entries, shipped files, unit accepted by systemd-analyze, config errors. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { generateLifecycle, resolveBootHooks, type LifecycleInput } from '../../src/lifecycle/index.js';
import { createTemplateLookup } from '../../src/templates/index.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';

function input(extra: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    packageName: 'web-app',
    version: '1.0.0-1',
    services: [{ name: 'web-app', environment: { PORT: '8080' } }],
    users: [],
    groups: [],
    app: { dir: '/usr/lib/web-app', main: 'server.js' },
    ownedPaths: [],
    userScripts: {},
    lookup: createTemplateLookup(),
    mtime: 1700000000,
    runtimeTemplates: [{ src: 'config/app.env.tmpl', dst: '/run/web-app/app.env' }],
    bootHooks: { 'pre-start': ['hooks/10-check.sh'], 'post-upgrade': ['hooks/10-check.sh'] },
    ...extra,
  };
}

describe('generateLifecycle with the launcher', () => {
  it('ships the launcher 0755 at /usr/bin/NAME, the hooks 0755 and the template sources, and wires the unit through it', () => {
    const out = generateLifecycle(input());
    const launcher = out.entries.find((e) => e.path === '/usr/bin/web-app');
    assert.ok(launcher && launcher.kind === 'data' && launcher.mode === 0o755);
    assert.deepEqual(out.files, [
      { source: 'hooks/10-check.sh', path: '/usr/lib/web-app/hooks/post-upgrade.d/10-check.sh', mode: 0o755 },
      { source: 'hooks/10-check.sh', path: '/usr/lib/web-app/hooks/pre-start.d/10-check.sh', mode: 0o755 },
      { source: 'config/app.env.tmpl', path: '/usr/lib/web-app/runtime/config/app.env.tmpl', mode: 0o644 },
    ]);
    const unit = out.entries.find((e) => e.path.endsWith('.service'))!.data as string;
    // The template goes to /run/web-app, the service's RuntimeDirectory: the service user renders it (no "+").
    assert.match(unit, /^ExecStartPre=\/usr\/bin\/web-app render-config web-app\nExecStartPre=\/usr\/bin\/web-app hooks pre-start web-app\nExecStart=\/usr\/bin\/web-app foreground --no-prepare web-app -- \/usr\/bin\/node \/usr\/lib\/web-app\/server\.js$/m);
    // Before unpacking, this version's launcher is not there yet: the package ships hooks, so the
    // hook runner is in preinst / %pre. After unpacking, postinst / %posttrans call the launcher.
    assert.match(out.debScripts.preinst!.body, /mkpkg_run_hooks pre-upgrade\n\t\) \|\| exit \$\?/);
    assert.match(out.rpmScripts.pre!.body, /mkpkg_run_hooks pre-upgrade\n\t\) \|\| exit \$\?/);
    assert.match(out.debScripts.postinst!.body, /^\t_mkpkg_launcher=\/usr\/bin\/web-app\n\tMKPKG_UPGRADE_FROM="\$2" "\$_mkpkg_launcher" hooks post-upgrade \|\|$/m);
    assert.match(out.rpmScripts.posttrans!.body, /^\t_mkpkg_launcher=\/usr\/bin\/web-app\n\tMKPKG_UPGRADE_FROM=\$_mkpkg_from "\$_mkpkg_launcher" hooks post-upgrade \|\|$/m);
    for (const body of [out.debScripts.postinst!.body, out.rpmScripts.posttrans!.body]) assert.doesNotMatch(body, /mkpkg_run_hooks/);
  });

  it('a package without hooks has no hook runner in its scripts: the installed launcher runs the upgrade hooks', () => {
    const out = generateLifecycle(input({ bootHooks: undefined }));
    const scripts = [...Object.values(out.debScripts), ...Object.values(out.rpmScripts)].map((s) => s!.body);
    for (const body of scripts) assert.doesNotMatch(body, /mkpkg_run_hooks|mkpkg_root_only/);
    assert.match(out.debScripts.preinst!.body, /^\t_mkpkg_launcher=\/usr\/bin\/web-app\n\t\[ ! -x "\$_mkpkg_launcher" \] \|\| MKPKG_UPGRADE_FROM="\$2" "\$_mkpkg_launcher" hooks pre-upgrade \|\| exit \$\?$/m);
    assert.match(out.rpmScripts.pre!.body, /^\t\t_mkpkg_from=\$\("\$_mkpkg_launcher" version 2>\/dev\/null\) \|\| _mkpkg_from=\n\t\tMKPKG_UPGRADE_FROM="\$_mkpkg_from" "\$_mkpkg_launcher" hooks pre-upgrade \|\| exit \$\?$/m);
    assert.match(out.debScripts.postinst!.body, /hooks post-upgrade \|\|/);
    assert.match(out.rpmScripts.posttrans!.body, /hooks post-upgrade \|\|/);
  });

  it('the wired unit passes systemd-analyze verify (launcher written where the unit says)', function () {
    requireTools(this, 'systemd-analyze');
    const dir = scratch('mkpkg-unit-launcher-');
    const path = join(dir, 'web-app');
    const out = generateLifecycle(input({ launcher: { path } }));
    writeFileSync(path, out.entries.find((e) => e.path === path)!.data as string, { mode: 0o755 });
    writeFileSync(join(dir, 'web-app.service'), out.entries.find((e) => e.path.endsWith('.service'))!.data as string);
    const r = spawnSync('systemd-analyze', ['verify', join(dir, 'web-app.service')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /web-app\.service:\d+:/);
  });

  it('launcher: false keeps the command in ExecStart and refuses boot hooks and runtime templates', () => {
    const plain = generateLifecycle(input({ launcher: false, runtimeTemplates: [], bootHooks: undefined }));
    assert.match(plain.entries.find((e) => e.path.endsWith('.service'))!.data as string, /^ExecStart=\/usr\/bin\/node \/usr\/lib\/web-app\/server\.js$/m);
    assert.equal(plain.entries.some((e) => e.path === '/usr/bin/web-app'), false);
    assert.throws(() => generateLifecycle(input({ launcher: false })), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && /runtime\.templates needs the launcher/.test(e.message));
    assert.throws(() => generateLifecycle(input({ services: [], runtimeTemplates: [] })), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && /bootHooks needs the launcher, which is off for a package without services/.test(e.message));
  });

  it('a package without services gets a launcher only when asked, with the upgrade hooks in its scripts', () => {
    const out = generateLifecycle(input({ services: [], launcher: {}, runtimeTemplates: [{ src: 't', dst: '/etc/web-app/x.conf' }] }));
    const text = out.entries.find((e) => e.path === '/usr/bin/web-app')!.data as string;
    assert.match(text, /set -- \/usr\/bin\/node \/usr\/lib\/web-app\/server\.js/);
    assert.ok(out.debScripts.preinst && out.rpmScripts.posttrans);
  });

  it('refuses hook files the runner would skip, clashing names, and paths outside the project', () => {
    const cases: [Parameters<typeof resolveBootHooks>[1], RegExp][] = [
      [{ 'pre-start': ['hooks/.hidden'] }, /bootHooks\.pre-start\[0\]: "hooks\/\.hidden" has a file name the hook runner would not run/],
      [{ 'pre-stop': ['a/check.rpmsave'] }, /bootHooks\.pre-stop\[0\]/],
      [{ 'post-start': ['a/x', 'b/x'] }, /bootHooks\.post-start\[1\]: "b\/x" has the same file name as a\/x/],
      [{ 'pre-upgrade': ['../x'] }, /is not a path inside the project/],
    ];
    for (const [spec, re] of cases) {
      assert.throws(() => resolveBootHooks('web-app', spec), (e: MkpkgError) => e.code === 'E_LAUNCHER_INVALID' && re.test(e.message) && !!e.hint, JSON.stringify(spec));
    }
  });
});
