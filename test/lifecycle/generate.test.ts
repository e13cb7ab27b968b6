/** generateLifecycle: golden output, syntax of every script, unit files judged by systemd-analyze. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLifecycle, type LifecycleOutput } from '../../src/lifecycle/index.js';
import { MkpkgError } from '../../src/errors.js';
import { RPMSENSE } from '../../src/config/resolved.js';
import type { ServiceSpec } from '../../src/config/schema.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { assertGolden } from '../support/golden.js';
import { createTemplateLookup } from '../../src/templates/index.js';
import { PKG, sampleInput } from './support/sample.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

const golden = (name: string, actual: string): void => assertGolden(GOLDEN, name, actual);

/** Source an environment file with sh and print one variable. */
function sourceEnv(text: string, name: string) {
  const f = join(scratch('mkpkg-env-'), 'env');
  writeFileSync(f, text);
  return spawnSync('/bin/sh', ['-c', `. "$1"; printf %s "$${name}"`, 'sh', f], { encoding: 'utf8' });
}

function allScripts(out: LifecycleOutput): [string, string][] {
  return [
    ...Object.entries(out.debScripts).map(([k, v]) => [`deb ${k}`, v!.body] as [string, string]),
    ...Object.entries(out.rpmScripts).map(([k, v]) => [`rpm ${k}`, v!.body] as [string, string]),
  ];
}

const VARIANTS: Partial<ServiceSpec>[] = [
  {},
  { onUpgrade: 'stop-start' },
  { onUpgrade: 'keep-running', failOnStartError: true },
  { enable: false },
  { start: false, user: 'root' },
  { environmentFile: false, hardening: false, extraUnits: ['units/hello-service.timer'] },
];

describe('generateLifecycle', () => {
  const sample = () =>
    generateLifecycle(
      sampleInput({}, {
        users: [{ name: 'hello-admin', home: '/var/lib/hello-admin', comment: "Hello's admin" }],
        ownedPaths: [{ path: '/etc/hello-service/secret.json', owner: PKG, group: PKG, mode: 0o640, kind: 'file' }],
      }),
    );

  it('renders the sample service exactly as its golden files', () => {
    const out = sample();
    for (const [name, body] of allScripts(out)) golden(name.replace(' ', '.'), body);
    for (const e of out.entries) golden(`entry${e.path.replace(/\//g, '_')}`, e.data);
    assert.deepEqual(Object.keys(out.debScripts), ['preinst', 'postinst', 'prerm', 'postrm']);
    assert.deepEqual(Object.keys(out.rpmScripts), ['pre', 'post', 'preun', 'postun', 'posttrans']);
  });

  it('is deterministic: the same input renders the same bytes', () => {
    assert.deepEqual(sample(), sample());
  });

  it('renders only one format\'s scripts when asked to', () => {
    const deb = generateLifecycle(sampleInput({}, { format: 'deb' }));
    assert.deepEqual(deb.rpmScripts, {});
    assert.deepEqual(deb.debScripts, generateLifecycle(sampleInput()).debScripts);
    assert.deepEqual(generateLifecycle(sampleInput({}, { format: 'rpm' })).debScripts, {});
  });

  it('ships the unit and an EnvironmentFile conffile (config + noreplace) holding the declared environment', () => {
    const out = sample();
    assert.deepEqual(out.entries.map((e) => e.path), ['/etc/default/hello-service', '/usr/lib/systemd/system/hello-service.service']);
    const env = out.entries[0];
    assert.deepEqual(env.flags, { config: true, noreplace: true });
    assert.equal(env.mtime, 1700000000);
    const sourced = sourceEnv(env.data, 'PORT');
    assert.equal(sourced.stdout, '8089');
    assert.deepEqual(out.debDepends, ['adduser']);
    assert.ok(out.rpmRequires.some((r) => r.name === '/usr/sbin/useradd' && r.flags === RPMSENSE.SCRIPT_PRE));
  });

  it('every generated script of every variant passes /bin/sh -n and bash -n', () => {
    for (const v of VARIANTS) {
      for (const [name, body] of allScripts(generateLifecycle(sampleInput(v)))) {
        for (const sh of ['/bin/sh', 'bash']) {
          const r = spawnSync(sh, ['-n'], { input: body, encoding: 'utf8' });
          assert.equal(r.status, 0, `${name} (${JSON.stringify(v)}) fails ${sh} -n: ${r.stderr}`);
        }
      }
    }
  });

  it('generated units pass systemd-analyze verify', function () {
    requireTools(this, 'systemd-analyze');
    for (const v of [...VARIANTS, { command: 'node server.js --name "a b" --pct 100', environmentFile: false as const, environment: { X: 'it\'s "q" $HOME 5%', Y: 'a\\b' } }]) {
      const dir = scratch('mkpkg-unit-');
      const out = generateLifecycle(sampleInput(v));
      const unit = out.entries.find((e) => e.path.endsWith('.service'))!;
      writeFileSync(join(dir, 'hello-service.service'), unit.data);
      const r = spawnSync('systemd-analyze', ['verify', join(dir, 'hello-service.service')], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${JSON.stringify(v)}: ${r.stderr}\n${unit.data}`);
      assert.doesNotMatch(r.stderr, /hello-service\.service:\d+:/, `systemd-analyze complained about a line:\n${r.stderr}`);
    }
  });

  it('a plain package (no services, users or fragments) has no maintainer scripts and no extra dependencies', () => {
    const out = generateLifecycle(sampleInput({}, { services: [] }));
    assert.deepEqual(out.debScripts, {});
    assert.deepEqual(out.rpmScripts, {});
    assert.deepEqual(out.entries, []);
    assert.deepEqual(out.debDepends, []);
    assert.deepEqual(out.rpmRequires, []);
  });

  it('a user fragment alone produces only the script it belongs to, with the fragment in it', () => {
    const out = generateLifecycle(sampleInput({}, { services: [], userScripts: { deb: { postrm: 'echo bye' }, rpm: { posttrans: 'echo done' } } }));
    assert.deepEqual(Object.keys(out.debScripts), ['postrm']);
    assert.deepEqual(Object.keys(out.rpmScripts), ['posttrans']);
    assert.match(out.debScripts.postrm!.body, /^echo bye$/m);
    assert.match(out.rpmScripts.posttrans!.body, /^echo done$/m);
  });

  it('config slots are emitted after the user fragment, in order', () => {
    const out = generateLifecycle(sampleInput({}, { userScripts: { deb: { postinst: 'echo user' } }, slots: { 'deb/postinst': ['echo one', 'echo two'] } }));
    const body = out.debScripts.postinst!.body;
    const at = ['echo user', 'echo one', 'echo two'].map((l) => body.indexOf(`\n${l}\n`));
    assert.ok(at.every((i, k) => i > 0 && (k === 0 || i > at[k - 1])), body);
  });

  it('project templates written before the script plan still render: the context keeps its earlier values, taken from the plan', () => {
    const project = scratch();
    mkdirSync(join(project, 'packaging/deb'), { recursive: true });
    mkdirSync(join(project, 'packaging/rpm'), { recursive: true });
    const values = '<%- JSON.stringify({ marker, allUnits, allUnitsReversed, purgeDirs, unitDir, services: services.map((s) => s.unit), users: users.map((u) => u.name), groups: groups.map((g) => g.name), ownedPaths: ownedPaths.map((o) => o.path), launcher: launcher && launcher.path }) %>';
    writeFileSync(join(project, 'packaging/deb/prerm.ejs'), `#!/bin/sh\n# ${values}\ntrue\n`);
    writeFileSync(join(project, 'packaging/rpm/preun.ejs'), `# ${values}\ntrue\n`);
    const input = sampleInput({ stateDirectory: `${PKG} ${PKG}-db`, user: PKG, extraUnits: [`${PKG}.timer`] }, {
      lookup: createTemplateLookup({ projectDir: project }),
      launcher: {},
      users: [{ name: PKG }],
      ownedPaths: [{ path: `/etc/${PKG}/key`, owner: PKG, group: PKG, mode: 0o640, kind: 'file' }],
    });
    const out = generateLifecycle(input);
    const seen = (body: string) => JSON.parse(body.split('\n').find((l) => l.startsWith('# {'))!.slice(2));
    const units = [`${PKG}.service`, `${PKG}.timer`];
    const common = { marker: `/run/mkpkg/${PKG}`, allUnits: units, allUnitsReversed: [...units].reverse(), unitDir: '/usr/lib/systemd/system', services: [`${PKG}.service`], users: [PKG], groups: [PKG], launcher: `/usr/bin/${PKG}` };
    assert.deepEqual(seen(out.debScripts.prerm!.body), { ...common, purgeDirs: [`/var/lib/${PKG}`, `/var/lib/${PKG}-db`, `/var/log/${PKG}`], ownedPaths: [`/etc/${PKG}/key`] });
    assert.deepEqual(seen(out.rpmScripts.preun!.body), { ...common, purgeDirs: [], ownedPaths: [] });
  });

  it('a fragment with a shell syntax error is refused with E_SCRIPT_SYNTAX naming the template', () => {
    assert.throws(
      () => generateLifecycle(sampleInput({}, { userScripts: { deb: { prerm: 'if true; then echo' } } })),
      (e: unknown) => e instanceof MkpkgError && e.code === 'E_SCRIPT_SYNTAX' && e.message.includes('deb/prerm.ejs'),
    );
  });

  it('hostile values in names, paths and environment stay inert data in the scripts', () => {
    const evil = "x'; touch /tmp/pwned-$$; echo '";
    const out = generateLifecycle(sampleInput({ environment: { EVIL: evil } }, {
      users: [{ name: 'hello-admin', home: `/srv/${evil}`, comment: 'a $(touch /tmp/pwned) `id`' }],
      ownedPaths: [{ path: `/etc/${evil}`, owner: 'hello-admin', group: 'hello-admin', mode: 0o600, kind: 'file' }],
    }));
    const post = out.debScripts.postinst!.body;
    assert.ok(post.includes(`'/srv/x'\\''; touch /tmp/pwned-$$; echo '\\'''`), post);
    const r = sourceEnv(out.entries[0].data, 'EVIL');
    assert.equal(r.stdout, evil);
  });

  it('names what is wrong: a service without a command, a bad unit name, a relative command path', () => {
    const noCmd = sampleInput({}, { app: undefined });
    assert.throws(() => generateLifecycle(noCmd), (e: unknown) => e instanceof MkpkgError && e.code === 'E_SERVICE_INVALID' && /services\[0\]/.test(e.message) && !!e.hint);
    assert.throws(() => generateLifecycle(sampleInput({ name: 'bad name' })), (e: unknown) => e instanceof MkpkgError && e.code === 'E_SERVICE_INVALID' && e.message.includes('"bad name"'));
    assert.throws(() => generateLifecycle(sampleInput({ command: './bin/server' })), (e: unknown) => e instanceof MkpkgError && e.message.includes('services[0].command'));
    assert.throws(() => generateLifecycle(sampleInput({ description: 'two\nlines' })), (e: unknown) => e instanceof MkpkgError && e.code === 'E_SERVICE_INVALID' && e.message.startsWith('services[0].description: "two\\nlines"'));
  });

  it('warns when a service runs as a user the package does not create, and does not create it', () => {
    const out = generateLifecycle(sampleInput({ user: 'www-data' }));
    assert.ok(out.warnings.some((w) => w.code === 'W_SERVICE_USER_UNDECLARED' && w.message.includes('www-data')));
    assert.doesNotMatch(out.debScripts.postinst!.body, /adduser/);
    assert.deepEqual(out.debDepends, []);
  });

  it('uses the main script, else scripts.start, as the default command, and honours hardening overrides', () => {
    const unitOf = (out: LifecycleOutput) => out.entries.find((e) => e.path.endsWith('.service'))!.data;
    assert.match(unitOf(generateLifecycle(sampleInput())), /^ExecStart=\/usr\/bin\/node \/usr\/lib\/hello-service\/server\.js$/m);
    const viaStart = generateLifecycle(sampleInput({}, { app: { dir: '/usr/lib/hello-service', startScript: 'node server.js --port=$PORT' } }));
    assert.match(unitOf(viaStart), /^ExecStart=\/bin\/sh -c "exec node server\.js --port=\$\$PORT"$/m);
    const h = unitOf(generateLifecycle(sampleInput({ hardening: { ProtectSystem: 'full', PrivateDevices: false, MemoryMax: '200M' } })));
    assert.match(h, /^ProtectSystem=full$/m);
    assert.doesNotMatch(h, /PrivateDevices/);
    assert.match(h, /^MemoryMax=200M$/m);
    assert.doesNotMatch(unitOf(generateLifecycle(sampleInput({ hardening: false }))), /Protect|NoNewPrivileges/);
  });

  it('hands project unit files to the caller to copy instead of rendering one', () => {
    const out = generateLifecycle(sampleInput({ unitFile: 'deploy/hello.service', extraUnits: ['deploy/hello-service.socket'] }));
    assert.deepEqual(out.unitFiles, [
      { source: 'deploy/hello.service', path: '/usr/lib/systemd/system/hello-service.service', mode: 0o644 },
      { source: 'deploy/hello-service.socket', path: '/usr/lib/systemd/system/hello-service.socket', mode: 0o644 },
    ]);
    assert.ok(!out.entries.some((e) => e.path.endsWith('.service')));
    assert.match(out.debScripts.postinst!.body, /deb-systemd-invoke start hello-service\.socket/);
  });
});
