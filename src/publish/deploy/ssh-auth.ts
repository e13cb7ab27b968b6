/**
 * SSH client authentication for deploys: the identity file given (`--identity`), else the
 * ssh-agent (`SSH_AUTH_SOCK`) and the default key files, as ssh does. Public-key methods only.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentAuthMethod, PublicKeyAuthMethod } from 'ssh2';
import { MkpkgError } from '../../errors.js';

/** How to authenticate. */
export interface SshAuthOptions {
  /** A private key file (OpenSSH or PEM format). When given, only it is offered. */
  identity?: string;
  /** Passphrase of an encrypted key (default: env MKPKG_SSH_PASSPHRASE). Never a flag. */
  passphrase?: string;
  /** An ssh-agent socket (default: env SSH_AUTH_SOCK, unless an identity is given). */
  agent?: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

type ParseKey = (data: Buffer | string, passphrase?: string) => unknown;

async function keyMethod(file: string, user: string, passphrase: string | undefined, parseKey: ParseKey, explicit: boolean): Promise<PublicKeyAuthMethod | undefined> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    if (!explicit) return undefined;
    throw new MkpkgError('E_DEPLOY_INVALID', `cannot read the SSH identity ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { hint: 'check --identity: it is the private key file, e.g. ~/.ssh/id_ed25519' });
  }
  const parsed = parseKey(data, passphrase);
  if (parsed instanceof Error) {
    if (!explicit) return undefined;
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw new MkpkgError('E_DEPLOY_INVALID', `cannot use the SSH identity ${file}: ${parsed.message}`, {
      hint: encrypted ? 'the key is encrypted: put its passphrase in the environment variable MKPKG_SSH_PASSPHRASE (never a flag), or use an ssh-agent' : 'give an OpenSSH or PEM private key (not the .pub file)',
    });
  }
  return { type: 'publickey', username: user, key: data, ...(passphrase ? { passphrase } : {}) };
}

/** The methods to try, in order; E_DEPLOY_AUTH when there is none at all. */
export async function authMethods(user: string, opts: SshAuthOptions, parseKey: ParseKey): Promise<(PublicKeyAuthMethod | AgentAuthMethod)[]> {
  const passphrase = opts.passphrase ?? process.env.MKPKG_SSH_PASSPHRASE;
  const methods: (PublicKeyAuthMethod | AgentAuthMethod)[] = [];
  if (opts.identity) {
    methods.push((await keyMethod(opts.identity, user, passphrase, parseKey, true))!);
    return methods;
  }
  const agent = opts.agent ?? process.env.SSH_AUTH_SOCK;
  if (agent && existsSync(agent)) methods.push({ type: 'agent', username: user, agent });
  for (const name of DEFAULT_KEYS) {
    const m = await keyMethod(join(homedir(), '.ssh', name), user, passphrase, parseKey, false);
    if (m) methods.push(m);
  }
  if (methods.length === 0) {
    throw new MkpkgError('E_DEPLOY_AUTH', `no SSH identity to log in as ${user}: no ssh-agent (SSH_AUTH_SOCK) and no usable ~/.ssh/id_ed25519, id_ecdsa or id_rsa`, {
      hint: 'give --identity FILE (deploy({ identity })) or start an ssh-agent holding the key',
    });
  }
  return methods;
}
