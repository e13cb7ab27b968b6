/**
 * Host key checking for deploys: the server's key must be in known_hosts (`~/.ssh/known_hosts` and
 * `/etc/ssh/ssh_known_hosts`, or the files given). A new host is accepted only on explicit opt-in,
 * and then recorded; a changed or revoked key is always refused.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { MkpkgError } from '../../errors.js';
import {
  fingerprint, judgeHostKey, keyBlobType, knownHostName, knownHostsLine, parseKnownHosts, preferredHostKeyAlgorithms,
  type HostKeyVerdict, type KnownHostEntry,
} from './known-hosts.js';
import type { DeployTarget } from './targets.js';

/** Where host keys are looked up and recorded. */
export interface HostKeyPolicy {
  /** Files searched (missing ones count as empty). */
  files: string[];
  /** Where a newly accepted key is appended. */
  recordIn: string;
  /** Accept (and record) a host that has no entry at all. Never a changed key. */
  acceptNew: boolean;
}

/** The default policy: the user's and the system's known_hosts, or only `knownHosts` when given. */
export function hostKeyPolicy(opts: { knownHosts?: string; acceptNew?: boolean }): HostKeyPolicy {
  const user = join(homedir(), '.ssh', 'known_hosts');
  return opts.knownHosts
    ? { files: [opts.knownHosts], recordIn: opts.knownHosts, acceptNew: Boolean(opts.acceptNew) }
    : { files: [user, '/etc/ssh/ssh_known_hosts'], recordIn: user, acceptNew: Boolean(opts.acceptNew) };
}

/** Read every file of the policy. */
export async function loadKnownHosts(policy: HostKeyPolicy): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of policy.files) {
    const text = await readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw new MkpkgError('E_DEPLOY_INVALID', `cannot read known_hosts file ${f} (${e.code ?? e.message})`, { hint: 'check --known-hosts and the file\'s permissions' });
    });
    all.push(...parseKnownHosts(text, f));
  }
  return all;
}

/** Checks the key one connection presents; ssh2's `hostVerifier` calls {@link verify}. */
export class HostKeyCheck {
  private verdict: HostKeyVerdict | undefined;
  private presented: Buffer | undefined;

  constructor(private readonly entries: readonly KnownHostEntry[], private readonly target: DeployTarget, private readonly policy: HostKeyPolicy) {}

  /** Host key algorithms to offer, the known types first (so a known host is not judged by another key type). */
  algorithms(supported: readonly string[]): string[] {
    const known = preferredHostKeyAlgorithms(this.entries, this.target.host, this.target.port).filter((a) => supported.includes(a));
    return [...known, ...supported.filter((a) => !known.includes(a))];
  }

  /** True when the connection may proceed. */
  verify(blob: Buffer): boolean {
    this.presented = Buffer.from(blob);
    this.verdict = judgeHostKey(this.entries, this.target.host, this.target.port, this.presented);
    return this.verdict.kind === 'known' || (this.verdict.kind === 'unknown' && this.policy.acceptNew);
  }

  /** Record an accepted new key in the policy's file (created 0600 in a 0700 directory when missing). */
  async recordIfNew(): Promise<boolean> {
    if (this.verdict?.kind !== 'unknown' || !this.presented) return false;
    await mkdir(dirname(this.policy.recordIn), { recursive: true, mode: 0o700 });
    await appendFile(this.policy.recordIn, knownHostsLine(this.target.host, this.target.port, this.presented), { mode: 0o600 });
    return true;
  }

  /** The coded error for a refused key, or undefined when the key was not refused. */
  refusal(): MkpkgError | undefined {
    const v = this.verdict;
    const blob = this.presented;
    if (!v || !blob || v.kind === 'known' || (v.kind === 'unknown' && this.policy.acceptNew)) return undefined;
    const name = knownHostName(this.target.host, this.target.port);
    const key = `${keyBlobType(blob)} key ${fingerprint(blob)}`;
    const details = { host: this.target.label, keyType: keyBlobType(blob), fingerprint: fingerprint(blob), knownHosts: this.policy.files };
    if (v.kind === 'unknown') {
      return new MkpkgError('E_DEPLOY_HOST_KEY_UNKNOWN', `${this.target.label}: host key not known (${key}); no entry for ${name} in ${this.policy.files.join(' or ')}`, {
        hint: `check the fingerprint with the host's administrator, then add it (ssh-keyscan -p ${this.target.port} ${this.target.host} >> ${this.policy.recordIn}), or pass --accept-new-host-key to trust it on first use`,
        details,
      });
    }
    if (v.kind === 'revoked') {
      return new MkpkgError('E_DEPLOY_HOST_KEY_CHANGED', `${this.target.label}: host key ${key} is marked @revoked in ${v.entry.file}:${v.entry.line}`, {
        hint: 'the server presents a revoked key: do not deploy to it until its administrator replaced the key', details,
      });
    }
    const where = v.entries.map((e) => `${e.file}:${e.line} (${e.keyType})`).join(', ');
    return new MkpkgError('E_DEPLOY_HOST_KEY_CHANGED', `${this.target.label}: HOST KEY CHANGED — the server presented ${key}, known_hosts has another key for ${name} at ${where}`, {
      hint: 'someone may be intercepting the connection, or the host was reinstalled: confirm with its administrator, then remove the old entry (ssh-keygen -R) and add the new one; --accept-new-host-key never accepts a changed key',
      details: { ...details, known: v.entries.map((e) => `${e.file}:${e.line}`) },
    });
  }
}
