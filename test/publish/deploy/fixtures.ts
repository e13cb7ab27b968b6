/**
 * What the deploy tests build on the host, apart from the SSH targets (support.ts): ssh key pairs
 * and packages made with the real CLI. Kept apart so host-only tests using them do not import the
 * container harness (test/support/test-groups.mjs would count them as container files).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJson } from '../../support/cli.js';
import { REPO } from '../../support/dist.js';
import { scratch } from '../../support/tmp.js';

/** Run a command and require exit 0; returns stdout. */
export function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** An ed25519 key pair made by ssh-keygen: `{ key, pub }` paths. */
export function keyPair(dir: string, name: string): { key: string; pub: string } {
  const key = join(dir, name);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { key, pub: `${key}.pub` };
}

/** hello-service built with the real CLI at `version` (deb + rpm), `args` passed on (e.g. --arch). */
export function helloService(version: string, args: string[] = []): { deb: string; rpm: string } {
  const root = scratch('mkpkg-deploy-pkg-');
  const dir = join(root, 'hello-service');
  cpSync(join(REPO, 'fixtures', 'hello-service'), dir, { recursive: true });
  const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pj, version }, null, 2)}\n`);
  const out = Object.fromEntries(buildJson(['build', dir, '--formats', 'deb,rpm', '-o', join(root, 'out'), ...args]).map((a) => [a.format, a.path]));
  return { deb: out.deb!, rpm: out.rpm! };
}

/** A config-only package NAME 1.0.0 (arch all) built with the real CLI; `config` is merged into its mkpkg.config.json. */
export function configPackage(name: string, config: Record<string, unknown>, formats = 'deb,rpm'): { deb: string; rpm: string } {
  const dir = scratch('mkpkg-deploy-cfg-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', description: `${name} deploy test package`, license: 'MIT', author: 'Acme Ops <ops@acme.example>' }));
  writeFileSync(join(dir, 'mkpkg.config.json'), JSON.stringify({ app: false, arch: 'all', ...config }));
  const out = Object.fromEntries(buildJson(['build', dir, '--formats', formats, '-o', join(dir, 'out')]).map((a) => [a.format, a.path]));
  return { deb: out.deb!, rpm: out.rpm! };
}
