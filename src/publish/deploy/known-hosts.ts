/**
 * OpenSSH known_hosts files: parsing (plain and hashed `|1|salt|hash` names, `[host]:port`,
 * wildcard and negated patterns, `@revoked`), and the verdict on a host key a server presented.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of a known_hosts file. `@cert-authority` lines are skipped (certificates are not supported). */
export interface KnownHostEntry {
  file: string;
  /** 1-based line number, for messages. */
  line: number;
  revoked: boolean;
  /** Comma-separated host patterns as written, or one hashed name. */
  hosts: string;
  keyType: string;
  /** The key blob in SSH wire format (what the server sends). */
  key: Buffer;
}

/** What a known_hosts lookup concluded about a presented key. */
export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  /** The host is known with another key of this type, or only with keys of other types. */
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

/** The name known_hosts files use for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type named inside an SSH key blob (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …). */
export function keyBlobType(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return n > 0 && n < 64 && blob.length >= 4 + n ? blob.toString('latin1', 4, 4 + n) : '';
}

/** Parse a known_hosts text; malformed lines are skipped, as ssh does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let revoked = false;
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked') return;
      revoked = true;
      fields.shift();
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (keyBlobType(key) !== keyType) return;
    out.push({ file, line: i + 1, revoked, hosts, keyType, key });
  });
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatch(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** True when the entry's host field names `name` (a {@link knownHostName}). */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|')) return hashedMatch(entry.hosts, name);
  let matched = false;
  for (const p of entry.hosts.split(',')) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(name)) return false;
    } else if (globToRegExp(p).test(name)) {
      matched = true;
    }
  }
  return matched;
}

/** The entries for `host`:`port`. */
function entriesFor(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostName(host, port);
  return entries.filter((e) => entryMatches(e, name));
}

/** Judge the key `blob` a server at `host`:`port` presented, as ssh's StrictHostKeyChecking does. */
export function judgeHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const mine = entriesFor(entries, host, port);
  const revoked = entries.find((e) => e.revoked && e.key.equals(blob));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const valid = mine.filter((e) => !e.revoked);
  const same = valid.find((e) => e.key.equals(blob));
  if (same) return { kind: 'known', entry: same };
  return valid.length ? { kind: 'changed', entries: valid } : { kind: 'unknown' };
}

/** Server host key algorithms for the key types known for the host, to ask for those first (as ssh does). */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = new Set(entriesFor(entries, host, port).filter((e) => !e.revoked).map((e) => e.keyType));
  return [...types].flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
}

/** A known_hosts line for a newly accepted key. */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostName(host, port)} ${keyBlobType(blob)} ${blob.toString('base64')}\n`;
}

/** SHA256 fingerprint of a key blob as ssh prints it (`SHA256:…`, unpadded base64). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
