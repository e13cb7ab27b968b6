/**
 * Build-time checks of what a service declaration writes into its unit and what its scripts act
 * on as root: service directories purge may delete (issue 10 item 4), the restart policy (item 13),
 * one-line unit values (item 6, for units), and paths root reads or writes that a user controls.
 */
import { strict as assert } from 'node:assert';
import { generateLifecycle, type LifecycleInput } from '../../src/lifecycle/index.js';
import { MkpkgError } from '../../src/errors.js';
import type { ServiceSpec } from '../../src/config/schema.js';
import { PKG, sampleInput } from './support/sample.js';

const unitOf = (input: LifecycleInput) => generateLifecycle(input).entries.find((e) => e.path.endsWith('.service'))!.data;
const directive = (unit: string, key: string) => unit.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

/** Assert `generateLifecycle` refuses the input with `code`, a message starting "FIELD: "VALUE"", and a hint. */
function refuses(input: LifecycleInput, code: string, field: string, value: unknown): MkpkgError {
  let caught: unknown;
  try {
    generateLifecycle(input);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof MkpkgError, `expected an MkpkgError for ${field} = ${JSON.stringify(value)}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.message.startsWith(`${field}: ${JSON.stringify(value)} `), caught.message);
  assert.ok(caught.hint, 'a hint says how to fix it');
  return caught;
}

describe('service declarations: what the unit and the scripts may act on', () => {
  describe('state, log, cache and runtime directories (purge deletes them, systemd removes RuntimeDirectory at stop)', () => {
    const keys = ['stateDirectory', 'logsDirectory', 'cacheDirectory', 'runtimeDirectory'] as const;

    it('refuses system directories, "." and "..", names with "/", blanks, and names the package does not own, naming the field and value', () => {
      const cases: [string, RegExp][] = [
        ['apt', /a directory of the system or a package manager/],
        ['dpkg', /system or a package manager/],
        ['journal', /system or a package manager/],
        ['systemd', /system or a package manager/],
        ['private', /system or a package manager/],
        ['Journal', /system or a package manager/],
        ['..', /not a single directory name/],
        ['.', /not a single directory name/],
        ['hello-service/../../dpkg', /not a single directory name/],
        ['hello-service/db', /not a single directory name/],
        ['-rf', /not a single directory name/],
        ['other-app', /not named after the package "hello-service" or the service "hello-service"/],
      ];
      for (const key of keys) {
        for (const [value, why] of cases) {
          const e = refuses(sampleInput({ [key]: value }), 'E_SERVICE_INVALID', `services[0].${key}`, value);
          assert.match(e.message, why, `${key} = ${value}: ${e.message}`);
        }
        refuses(sampleInput({ [key]: ' ' }), 'E_SERVICE_INVALID', `services[0].${key}`, ' ');
      }
    });

    it('refuses a service named like a system directory unless its directories are named explicitly', () => {
      refuses(sampleInput({ name: 'journal', environmentFile: false }), 'E_SERVICE_INVALID', 'services[0].stateDirectory', 'journal');
      const unit = unitOf(sampleInput({ name: 'journal', environmentFile: false, stateDirectory: PKG, logsDirectory: false, runtimeDirectory: `${PKG}-journal` }));
      assert.deepEqual([directive(unit, 'StateDirectory'), directive(unit, 'LogsDirectory'), directive(unit, 'RuntimeDirectory')], [[PKG], [], [`${PKG}-journal`]]);
    });

    it('accepts names after the package or the service, and a directory the package ships itself; purge lists only those', () => {
      const input = sampleInput(
        { stateDirectory: `${PKG} ${PKG}-db`, logsDirectory: 'hello.logs', cacheDirectory: 'acme-cache' },
        { planPaths: [{ path: '/var/cache/acme-cache', kind: 'dir' }, { path: '/var/log/hello.logs', kind: 'file' }] },
      );
      // hello.logs is neither the package's name nor shipped as a directory (the plan has a file there).
      refuses(input, 'E_SERVICE_INVALID', 'services[0].logsDirectory', 'hello.logs');
      const ok = { ...input, services: [{ ...input.services[0], logsDirectory: `${PKG}.logs` }] };
      const unit = unitOf(ok);
      assert.deepEqual(directive(unit, 'StateDirectory'), [`${PKG} ${PKG}-db`]);
      assert.deepEqual(directive(unit, 'CacheDirectory'), ['acme-cache']);
      const postrm = generateLifecycle(ok).debScripts.postrm!.body;
      assert.match(postrm, new RegExp(`for _mkpkg_d in /var/cache/acme-cache /var/lib/${PKG} /var/lib/${PKG}-db /var/log/${PKG}\\.logs; do`));
      assert.doesNotMatch(postrm, new RegExp(`/run/${PKG}\\b`), 'runtime directories are systemd\'s to remove, never purge\'s');
    });

    it('purge leaves a directory dpkg says another package owns', () => {
      const postrm = generateLifecycle(sampleInput()).debScripts.postrm!.body;
      assert.match(postrm, /_mkpkg_o=\$\(dpkg-query -S "\$_mkpkg_d" 2>\/dev\/null\)/);
      assert.match(postrm, new RegExp(`'' \\| ${PKG} \\| ${PKG}:\\*\\) rm -rf "\\$_mkpkg_d" ;;`));
    });
  });

  describe('restart policy (a crash loop ends failed)', () => {
    it('a generated unit restarts on failure after 1 s and ends failed after 10 starts within 120 s', () => {
      const unit = unitOf(sampleInput());
      assert.deepEqual([directive(unit, 'Restart'), directive(unit, 'RestartSec'), directive(unit, 'StartLimitIntervalSec'), directive(unit, 'StartLimitBurst')], [['on-failure'], ['1'], ['120'], ['10']]);
      assert.ok(unit.indexOf('StartLimitBurst=') < unit.indexOf('[Service]'), 'the start limit is a [Unit] setting');
    });

    it('each value can be overridden per service', () => {
      const unit = unitOf(sampleInput({ restart: 'always', restartSec: 0.5, startLimitIntervalSec: 30, startLimitBurst: 3 }));
      assert.deepEqual([directive(unit, 'Restart'), directive(unit, 'RestartSec'), directive(unit, 'StartLimitIntervalSec'), directive(unit, 'StartLimitBurst')], [['always'], ['0.5'], ['30'], ['3']]);
    });

    it('refuses a policy under which the start limit can never be reached, and numbers systemd cannot read', () => {
      refuses(sampleInput({ restartSec: 12 }), 'E_SERVICE_INVALID', 'services[0].restartSec', 12);
      refuses(sampleInput({ startLimitIntervalSec: 9 }), 'E_SERVICE_INVALID', 'services[0].startLimitIntervalSec', 9);
      refuses(sampleInput({ restartSec: 1e-7 }), 'E_SERVICE_INVALID', 'services[0].restartSec', 1e-7);
      // No restarts: nothing can loop, any interval goes.
      assert.deepEqual(directive(unitOf(sampleInput({ restart: 'no', restartSec: 30 })), 'Restart'), ['no']);
    });
  });

  describe('unit values are one line each', () => {
    const fields: [Partial<ServiceSpec>, string, string][] = [
      [{ description: 'Hello\nExecStartPre=/bin/sh -c "touch /pwned"' }, 'services[0].description', 'Hello\nExecStartPre=/bin/sh -c "touch /pwned"'],
      [{ description: 'trailing \\' }, 'services[0].description', 'trailing \\'],
      [{ command: '/usr/bin/node server.js \\' }, 'services[0].command', '/usr/bin/node server.js \\'],
      [{ command: '/usr/bin/node\rserver.js' }, 'services[0].command', '/usr/bin/node\rserver.js'],
      [{ workingDirectory: '/srv/app\n[Install]' }, 'services[0].workingDirectory', '/srv/app\n[Install]'],
      [{ environmentFile: '/etc/default/x\\' }, 'services[0].environmentFile', '/etc/default/x\\'],
      [{ environmentFile: false, environment: { A: 'one\ntwo' } }, 'services[0].environment.A', 'one\ntwo'],
      [{ service: { LimitNOFILE: '1024\nUser=root' } }, 'services[0].service.LimitNOFILE', '1024\nUser=root'],
      [{ unit: { Documentation: 'https://x \\' } }, 'services[0].unit.Documentation', 'https://x \\'],
      [{ hardening: { ProtectSystem: 'full\u0007' } }, 'services[0].hardening.ProtectSystem', 'full\u0007'],
      [{ description: 'Hello\u2028World' }, 'services[0].description', 'Hello\u2028World'],
      [{ service: { LimitNOFILE: '1024\u0085' } }, 'services[0].service.LimitNOFILE', '1024\u0085'],
    ];
    for (const [spec, field, value] of fields) {
      it(`refuses ${field} = ${JSON.stringify(value)}`, () => {
        refuses(sampleInput(spec), 'E_SERVICE_INVALID', field, value);
      });
    }

    it('user and group names are checked as system account names', () => {
      assert.throws(() => generateLifecycle(sampleInput({ user: 'root\nGroup=root' as string })), (e: MkpkgError) => e.code === 'E_CONFIG_INVALID' && e.message.startsWith('services[0].user:'));
    });
  });

  describe('paths root reads or writes must not be a user\'s', () => {
    it('refuses an EnvironmentFile in a directory the service user (or another user) can write: root reads it, the upgrade hooks source it', () => {
      refuses(sampleInput({ environmentFile: `/var/lib/${PKG}/env` }), 'E_SERVICE_INVALID', 'services[0].environmentFile', `/var/lib/${PKG}/env`);
      refuses(sampleInput({ environmentFile: '/srv/shared/env' }, { ownedPaths: [{ path: '/srv/shared', owner: 'root', group: 'staff', mode: 0o2775, kind: 'dir' }] }), 'E_SERVICE_INVALID', 'services[0].environmentFile', '/srv/shared/env');
    });

    it('refuses a runtime template root would render into a directory a user can write (another service\'s directory, a user-owned directory)', () => {
      const two = { services: [{ name: PKG, command: '/bin/true' }, { name: `${PKG}-worker`, command: '/bin/true' }], launcher: {}, runtimeTemplates: [{ src: 'a.tmpl', dst: `/run/${PKG}-worker/a.env` }] };
      refuses(sampleInput({}, two), 'E_LAUNCHER_INVALID', 'runtime.templates[0].dst', `/run/${PKG}-worker/a.env`);
      // Rendered for the worker only, the same file is the worker's own: its user renders it.
      const own = generateLifecycle(sampleInput({}, { ...two, runtimeTemplates: [{ src: 'a.tmpl', dst: `/run/${PKG}-worker/a.env`, service: `${PKG}-worker` }] }));
      assert.match(own.entries.find((e) => e.path.endsWith('-worker.service'))!.data, /^ExecStartPre=\/usr\/bin\/hello-service render-config hello-service-worker$/m);
      refuses(sampleInput({}, { launcher: {}, runtimeTemplates: [{ src: 'a.tmpl', dst: '/srv/data/a.env' }], ownedPaths: [{ path: '/srv/data', owner: PKG, group: PKG, mode: 0o750, kind: 'dir' }] }), 'E_LAUNCHER_INVALID', 'runtime.templates[0].dst', '/srv/data/a.env');
    });
  });
});
