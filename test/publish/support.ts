/** The real apt client on the host, pointed at a private sources list and state (host apt untouched). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { scratch } from '../support/tmp.js';
import { run } from '../pipeline/support.js';

/** A throwaway gpg key: its GNUPGHOME, armored secret key file and binary public keyring. */
export interface TestKey { home: string; secret: string; pub: string; pubAsc: string }

export function newKey(name: string, algo = 'ed25519'): TestKey {
  const home = scratch('mkpkg-gpg-');
  const env = { GNUPGHOME: home };
  run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', `${name} <${name}@example.com>`, algo, 'sign', 'never'], env);
  const secret = join(home, 'secret.asc');
  const pub = join(home, 'pub.gpg');
  const pubAsc = join(home, 'pub.asc');
  run('gpg', ['--batch', '--armor', '--export-secret-keys', '-o', secret], env);
  run('gpg', ['--batch', '--export', '-o', pub], env);
  run('gpg', ['--batch', '--armor', '--export', '-o', pubAsc], env);
  return { home, secret, pub, pubAsc };
}

export interface AptResult { status: number | null; out: string }

/** A private apt configuration for one repository URL (signed-by `keyring`, or trusted=yes). */
export class HostApt {
  readonly root = scratch('mkpkg-apt-');
  constructor(url: string, keyring?: string, private readonly arch?: string, suite = 'stable', component = 'main') {
    for (const d of ['lists/partial', 'cache/archives/partial', 'etc']) mkdirSync(join(this.root, d), { recursive: true });
    const opt = keyring ? `[signed-by=${keyring}]` : '[trusted=yes]';
    writeFileSync(join(this.root, 'etc/sources.list'), `deb ${opt} ${url} ${suite} ${component}\n`);
  }

  private opts(): string[] {
    const o = [
      `Dir::Etc::sourcelist=${join(this.root, 'etc/sources.list')}`, 'Dir::Etc::sourceparts=-',
      `Dir::State::Lists=${join(this.root, 'lists')}`, `Dir::Cache=${join(this.root, 'cache')}`,
      'Debug::NoLocking=1', 'Acquire::Retries=0', 'APT::Sandbox::User=root', 'Acquire::http::Proxy=DIRECT',
    ];
    if (this.arch) o.push(`APT::Architecture=${this.arch}`, `APT::Architectures::=${this.arch}`);
    return o.flatMap((x) => ['-o', x]);
  }

  /**
   * Run apt-get / apt-cache with the private configuration; never throws. Asynchronous, so a
   * repository served from this process keeps answering.
   */
  run(tool: 'apt-get' | 'apt-cache', args: string[], cwd?: string): Promise<AptResult> {
    return new Promise((done, fail) => {
      const child = spawn(tool, [...this.opts(), ...args], { cwd, env: { ...process.env, LANG: 'C', LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('error', fail);
      child.on('close', (status) => done({ status, out }));
    });
  }

  async ok(tool: 'apt-get' | 'apt-cache', args: string[], cwd?: string): Promise<string> {
    const r = await this.run(tool, args, cwd);
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.status}:\n${r.out}`);
    return r.out;
  }
}
