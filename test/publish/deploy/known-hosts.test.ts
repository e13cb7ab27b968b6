/**
 * known_hosts parsing and host key verdicts, checked against files and keys made by the real
 * OpenSSH tools (ssh-keygen writes the keys, hashes entries with -H and prints fingerprints).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  entryMatches, fingerprint, judgeHostKey, knownHostName, knownHostsLine, parseKnownHosts, preferredHostKeyAlgorithms,
} from '../../../src/publish/deploy/known-hosts.js';
import { scratch } from '../../support/tmp.js';
import { requireTools } from '../../support/tools.js';
import { keyPair } from './fixtures.js';

/** `type base64` of a .pub file, and the key blob. */
function pubKey(path: string): { text: string; blob: Buffer; type: string } {
  const [type, b64] = readFileSync(path, 'utf8').split(' ');
  return { text: `${type} ${b64}`, blob: Buffer.from(b64!, 'base64'), type: type! };
}

describe('known_hosts', () => {
  let dir: string;
  let k1: ReturnType<typeof pubKey>;
  let k2: ReturnType<typeof pubKey>;
  let rsa: ReturnType<typeof pubKey>;

  before(function () {
    requireTools(this, 'ssh-keygen');
    dir = scratch('mkpkg-kh-');
    k1 = pubKey(keyPair(dir, 'k1').pub);
    k2 = pubKey(keyPair(dir, 'k2').pub);
    spawnSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'rsa')]);
    rsa = pubKey(join(dir, 'rsa.pub'));
  });

  it('names hosts as ssh does: host on port 22, [host]:port otherwise', () => {
    assert.equal(knownHostName('web1.example', 22), 'web1.example');
    assert.equal(knownHostName('127.0.0.1', 2222), '[127.0.0.1]:2222');
  });

  it('matches plain, [host]:port, wildcard and negated patterns; skips comments, @cert-authority and malformed lines', () => {
    const text = [
      '# a comment',
      `web1.example,10.0.0.1 ${k1.text} comment here`,
      `[127.0.0.1]:2222 ${k2.text}`,
      `*.prod.example,!db.prod.example ${k1.text}`,
      `@cert-authority *.example ${k2.text}`,
      'garbage line',
      `web9.example ssh-ed25519 not-base64!`,
    ].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    assert.deepEqual(entries.map((e) => e.line), [2, 3, 4]);
    assert.equal(judgeHostKey(entries, 'web1.example', 22, k1.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, 'WEB1.example', 22, k1.blob).kind, 'known', 'host names are case-insensitive');
    assert.equal(judgeHostKey(entries, '10.0.0.1', 22, k1.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, 'web1.example', 2222, k1.blob).kind, 'unknown', 'another port is another host');
    assert.equal(judgeHostKey(entries, '127.0.0.1', 2222, k2.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, '127.0.0.1', 22, k2.blob).kind, 'unknown');
    assert.equal(judgeHostKey(entries, 'api.prod.example', 22, k1.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, 'db.prod.example', 22, k1.blob).kind, 'unknown', 'a negated pattern excludes the host');
    assert.equal(judgeHostKey(entries, 'x.example', 22, k2.blob).kind, 'unknown', '@cert-authority lines are not host keys');
  });

  it('reads entries hashed by ssh-keygen -H (|1|salt|hash), for [host]:port too', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `web1.example ${k1.text}\n[127.0.0.1]:2222 ${k2.text}\n`);
    const r = spawnSync('ssh-keygen', ['-H', '-f', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /web1|127\.0\.0\.1/, 'names are hashed');
    const entries = parseKnownHosts(text, file);
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => e.hosts.startsWith('|1|')));
    assert.ok(entryMatches(entries[0]!, 'web1.example'));
    assert.ok(!entryMatches(entries[0]!, 'web2.example'));
    assert.equal(judgeHostKey(entries, '127.0.0.1', 2222, k2.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, '127.0.0.1', 2222, k1.blob).kind, 'changed');
  });

  it('a host known with another key is "changed" (same type or only other types); a @revoked key is refused anywhere', () => {
    const entries = parseKnownHosts(`web1.example ${k1.text}\nweb2.example ${rsa.text}\n@revoked * ${k2.text}\n`, 'kh');
    assert.equal(judgeHostKey(entries, 'web1.example', 22, k2.blob).kind, 'revoked');
    const other = judgeHostKey(parseKnownHosts(`web1.example ${k1.text}\n`, 'kh'), 'web1.example', 22, k2.blob);
    assert.equal(other.kind, 'changed');
    assert.equal(judgeHostKey(entries, 'web2.example', 22, k1.blob).kind, 'changed', 'only an rsa key is known: an ed25519 one is not trusted');
  });

  it('offers the known key types first (rsa as rsa-sha2-*)', () => {
    const entries = parseKnownHosts(`web2.example ${rsa.text}\n`, 'kh');
    assert.deepEqual(preferredHostKeyAlgorithms(entries, 'web2.example', 22), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(preferredHostKeyAlgorithms(entries, 'other', 22), []);
  });

  it('writes lines ssh reads, and fingerprints as ssh-keygen -l prints them', () => {
    const line = knownHostsLine('127.0.0.1', 2222, k1.blob);
    assert.equal(line, `[127.0.0.1]:2222 ${k1.text}\n`);
    const file = join(dir, 'written');
    writeFileSync(file, line);
    const found = spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
    assert.equal(found.status, 0, 'ssh-keygen -F finds the written entry');
    const printed = spawnSync('ssh-keygen', ['-l', '-f', join(dir, 'k1.pub')], { encoding: 'utf8' }).stdout.split(' ')[1];
    assert.equal(fingerprint(k1.blob), printed);
  });
});
