/**
 * A scratch service project for the container tests: a copy of fixtures/hello-service with a
 * runtime template and boot hooks, built into packages with the real CLI (`node bin/mkpkg.js`).
 */
import { cpSync, readdirSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';
import { mkpkgOk } from '../support/cli.js';
import { REPO } from '../support/dist.js';

export const NAME = 'rt-demo';

/** A hook that appends "STAGE version=… from=… pid=<MainPID of the service>" to /var/lib/rt-demo/hooks.log. */
const RECORD_HOOK = `#!/bin/sh
pid=$(systemctl show -p MainPID --value ${NAME}.service 2>/dev/null)
mkdir -p /var/lib/${NAME}
echo "$MKPKG_HOOK_STAGE version=$MKPKG_VERSION from=\${MKPKG_UPGRADE_FROM:-} pid=$pid" >> /var/lib/${NAME}/hooks.log
`;

/** A pre-start hook (runs as the service user, in the sandbox): logs its environment to the journal and a file. */
const START_HOOK = `#!/bin/sh
echo "pre-start hook: package=$MKPKG_PACKAGE service=$MKPKG_SERVICE stage=$MKPKG_HOOK_STAGE port=$PORT user=$(id -un)"
echo "$MKPKG_HOOK_STAGE $MKPKG_SERVICE $(id -un)" >> /var/lib/${NAME}/starts.log
`;

/** Write the project (package `rt-demo`, one service on `port`) and return its directory. */
export function writeProject(port: number): string {
  const dir = join(scratch('mkpkg-rt-'), NAME);
  cpSync(join(REPO, 'fixtures/hello-service'), dir, { recursive: true });
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pj, name: NAME }, null, 2));
  mkdirSync(join(dir, 'hooks'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'hooks/10-record'), RECORD_HOOK);
  writeFileSync(join(dir, 'hooks/20-log-start'), START_HOOK);
  chmodSync(join(dir, 'hooks/10-record'), 0o755);
  chmodSync(join(dir, 'hooks/20-log-start'), 0o755);
  writeFileSync(join(dir, 'config/app.env.tmpl'), 'NODE_NAME=${MKPKG_HOSTNAME}\nGREETING=${GREETING:-hello}\nWORKERS=${MKPKG_CPUS}\n');
  writeFileSync(
    join(dir, 'mkpkg.config.ts'),
    `import { defineConfig } from 'mkpkg';

export default defineConfig({
  maintainer: 'Acme Ops <ops@acme.example>',
  description: 'Runtime configuration demo\\n\\nA hello service whose config is rendered at start.',
  services: [{ name: '${NAME}', environment: { PORT: '${port}' } }],
  runtime: { templates: [{ src: 'config/app.env.tmpl', dst: '/run/${NAME}/app.env' }] },
  bootHooks: {
    'pre-start': ['hooks/20-log-start'],
    'pre-upgrade': ['hooks/10-record'],
    'post-upgrade': ['hooks/10-record'],
  },
});
`,
  );
  return dir;
}

/** Build `format` at `version` (written into package.json) into `out` with the CLI; returns the package path. */
export function buildPackage(dir: string, format: 'deb' | 'rpm', version: string, out: string): string {
  mkdirSync(out, { recursive: true });
  const before = new Set(readdirSync(out));
  // The version goes into package.json: the service reports the version of its own package.json.
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pj, version }, null, 2));
  mkpkgOk([format, dir, '-o', out, '--compression', 'gzip', '-q']);
  const made = readdirSync(out).filter((f) => !before.has(f) && f.endsWith(`.${format}`));
  if (made.length !== 1) throw new Error(`expected one new .${format} in ${out}, found ${made.join(', ')}`);
  return join(out, made[0]);
}
