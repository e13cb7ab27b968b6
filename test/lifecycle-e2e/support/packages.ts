/**
 * The packages the lifecycle end-to-end tests install: the hello-service fixture built with the
 * real CLI (`node bin/mkpkg.js build`) at several versions, variants whose service fails to start,
 * and a stub .rpm that provides what the Debian container has but its rpm database does not know.
 * Built once per test process (the promise is cached).
 */
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scratch } from '../../support/tmp.js';
import { REPO, ensureBuilt } from '../../support/dist.js';
import { buildJson } from '../../support/cli.js';
import { sharedSetup } from '../../support/shared-setup.js';
import { helloServicePort } from '../../support/ports.js';

const FIXTURE = join(REPO, 'fixtures', 'hello-service');

/** The versions of hello-service the flows move between (0.9.0 is the downgrade target). */
export const VERSIONS = ['0.9.0', '1.0.0', '1.1.0', '1.2.0', '1.3.0'] as const;
export type Version = (typeof VERSIONS)[number];

/** The command of the services that fail to start: the process dies right after exec. */
export const FAILING_COMMAND = "/bin/sh -c 'exit 1'";
/** A command that dies a second after its start was reported successful. */
export const FAILING_LATE_COMMAND = "/bin/sh -c 'sleep 1; exit 1'";

/** A service that runs until stopped. */
const SLEEPER = (name: string) => ({ name, description: `${name} (runs fine)`, command: '/bin/sleep infinity' });

/** One package built in both formats. */
export interface Built { deb: string; rpm: string }

/** Everything the flows need. */
export interface Packages {
  dir: string;
  hello: Record<Version, Built>;
  /** A Type=exec service (the default) whose command exits 1 at once: default failOnStartError (false). */
  failing: Built;
  /** The same Type=exec service with `failOnStartError: true`. */
  failingStrict: Built;
  /**
   * `failOnStartError: true`, a Type=exec service whose command exits 1 after a second:
   * `systemctl start` succeeds, only the scripts' watch after the start sees the failure.
   */
  failingLate: Built;
  /** `failOnStartError: true` on a Type=exec service that runs fine (`sleep infinity`). */
  steadyStrict: Built;
  /**
   * `failOnStartError: true` across upgrades, package hello-strict-up: 1.0.0 runs fine, 1.1.0's
   * command exits 1 at once, 1.2.0 runs fine again (the fix).
   */
  strictUpgrade: { good: Built; broken: Built; fixed: Built };
  /**
   * hello-svc-add: 1.0.0 has one service (hello-svc-add), 1.1.0 adds a second one
   * (hello-svc-add-worker), 1.2.0 drops it again. `droppedLeavesWorker` is that 1.2.0 with the
   * retiring of dropped units templated away: its upgrade leaves the worker running.
   */
  addedService: { one: Built; two: Built; dropped: Built; droppedLeavesWorker: Built };
  /** rpm-only stub: Provides /bin/sh, nodejs, getent, useradd, groupadd (for dnf's dependency solver). */
  depsStub: string;
}

/** Build DIR with the real CLI (hello-service listening on this process's free port); returns the artifact paths by format. */
export function buildFormats(dir: string, out: string, formats: string, env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const built = buildJson(['build', dir, '--formats', formats, '-o', out], { env: { HELLO_SERVICE_PORT: String(helloServicePort()), ...env } });
  return Object.fromEntries(built.map((a) => [a.format, a.path]));
}

function helloAt(root: string, out: string, version: string): Built {
  const dir = join(root, `hello-${version}`);
  cpSync(FIXTURE, dir, { recursive: true });
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pj, version }, null, 2)}\n`);
  const a = buildFormats(dir, out, 'deb,rpm');
  return { deb: a.deb!, rpm: a.rpm! };
}

/**
 * The fixture as package NAME (at VERSION) with these services instead of its own, and project
 * templates (`packaging/<name>`) overriding built-ins.
 */
function variant(root: string, out: string, name: string, services: Record<string, unknown>[], version?: string, templates: Record<string, string> = {}): Built {
  const dir = join(root, [name, version, ...Object.keys(templates).map((t) => t.replace(/\W/g, '_'))].filter(Boolean).join('-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pj, name, ...(version ? { version } : {}) }, null, 2)}\n`);
  // A JSON config replaces the fixture's mkpkg.config.ts (one config file per project).
  rmSync(join(dir, 'mkpkg.config.ts'));
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    maintainer: 'Acme Ops <ops@acme.example>',
    services,
  }));
  for (const [t, body] of Object.entries(templates)) {
    mkdirSync(dirname(join(dir, 'packaging', t)), { recursive: true });
    writeFileSync(join(dir, 'packaging', t), body);
  }
  const a = buildFormats(dir, out, 'deb,rpm');
  return { deb: a.deb!, rpm: a.rpm! };
}

/** One service named after the package (described as failing to start unless `service` says otherwise). */
function failingVariant(root: string, out: string, name: string, service: Record<string, unknown>, version?: string): Built {
  return variant(root, out, name, [{ name, description: `${name} (fails to start)`, ...service }], version);
}

function depsStub(root: string, out: string): string {
  const dir = join(root, 'hello-deps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hello-deps', version: '1.0.0', description: 'dependency stub', license: 'MIT', author: 'Acme Ops <ops@acme.example>' }));
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({
    app: false,
    arch: 'noarch',
    summary: 'Provides what the Debian test container has but its rpm database does not know',
    provides: ['/bin/sh', 'nodejs = 18.19.0', '/usr/bin/getent', '/usr/sbin/useradd', '/usr/sbin/groupadd'],
  }));
  return buildFormats(dir, out, 'rpm').rpm!;
}

let cached: Promise<Packages> | undefined;

/** Build (once per process) every package the flows use. Takes ~15 s. */
export function packages(): Promise<Packages> {
  cached ??= Promise.resolve().then(() => {
    ensureBuilt();
    const root = scratch('mkpkg-e2e-');
    const out = join(root, 'out');
    const hello = Object.fromEntries(VERSIONS.map((v) => [v, helloAt(root, out, v)])) as Record<Version, Built>;
    return {
      dir: root,
      hello,
      failing: failingVariant(root, out, 'hello-fail', { command: FAILING_COMMAND }),
      failingStrict: failingVariant(root, out, 'hello-fail-strict', { command: FAILING_COMMAND, failOnStartError: true }),
      steadyStrict: failingVariant(root, out, 'hello-steady-strict', { description: 'runs fine', command: '/bin/sleep infinity', failOnStartError: true }),
      failingLate: failingVariant(root, out, 'hello-fail-late', { command: FAILING_LATE_COMMAND, failOnStartError: true }),
      strictUpgrade: {
        good: failingVariant(root, out, 'hello-strict-up', { description: 'runs fine', command: '/bin/sleep infinity', failOnStartError: true }, '1.0.0'),
        broken: failingVariant(root, out, 'hello-strict-up', { command: FAILING_COMMAND, failOnStartError: true }, '1.1.0'),
        fixed: failingVariant(root, out, 'hello-strict-up', { description: 'runs fine', command: '/bin/sleep infinity', failOnStartError: true }, '1.2.0'),
      },
      addedService: {
        one: variant(root, out, 'hello-svc-add', [SLEEPER('hello-svc-add')], '1.0.0'),
        two: variant(root, out, 'hello-svc-add', [SLEEPER('hello-svc-add'), SLEEPER('hello-svc-add-worker')], '1.1.0'),
        dropped: variant(root, out, 'hello-svc-add', [SLEEPER('hello-svc-add')], '1.2.0'),
        droppedLeavesWorker: variant(root, join(out, 'no-retire'), 'hello-svc-add', [SLEEPER('hello-svc-add')], '1.2.0', { 'systemd/retire-units.ejs': ': # dropped units are left alone\n' }),
      },
      depsStub: depsStub(root, out),
    };
  });
  return cached;
}

// Built by the root hook before any test (as root, where the container tests run), not inside the first test that needs them.
sharedSetup('lifecycle test packages (about 30 builds)', packages, { when: () => process.getuid?.() === 0 });
