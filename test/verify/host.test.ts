import { strict as assert } from 'node:assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MkpkgError } from '../../src/errors.js';
import { assertVerifyHost, pickDebianMirror, DEFAULT_DEBIAN_MIRROR, hostDebianMirror } from '../../src/verify/index.js';
import { which } from '../../src/which.js';
import { scratch } from '../support/tmp.js';
import { requireRoot, requireTools } from '../support/tools.js';

describe('verify: host checks', () => {
  it('E_VERIFY_UNAVAILABLE names systemd-nspawn and how to install it when PATH lacks it', function () {
    requireTools(this, 'debootstrap', 'nsenter', 'mount', 'umount');
    const bin = scratch();
    for (const t of ['debootstrap', 'nsenter', 'mount', 'umount']) symlinkSync(which(t)!, join(bin, t));
    assert.throws(() => assertVerifyHost({ path: bin, uid: 0 }), (e: unknown) => {
      assert.ok(e instanceof MkpkgError);
      assert.equal(e.code, 'E_VERIFY_UNAVAILABLE');
      assert.match(e.message, /systemd-nspawn is not on PATH/);
      assert.doesNotMatch(e.message, /debootstrap is not/);
      assert.match(e.hint ?? '', /apt-get install systemd-container/);
      return true;
    });
  });

  it('E_VERIFY_UNAVAILABLE lists every missing tool and non-root at once', () => {
    const empty = scratch();
    assert.throws(() => assertVerifyHost({ path: empty, uid: 1000 }), (e: unknown) => {
      assert.ok(e instanceof MkpkgError);
      assert.equal(e.code, 'E_VERIFY_UNAVAILABLE');
      assert.match(e.message, /not running as root \(euid 1000\)/);
      assert.match(e.message, /debootstrap is not on PATH/);
      assert.match(e.hint ?? '', /apt-get install systemd-container debootstrap/);
      assert.match(e.hint ?? '', /as root/);
      return true;
    });
  });

  it('passes on this host when every tool is present and we are root', function () {
    requireTools(this, 'systemd-nspawn', 'debootstrap', 'nsenter');
    requireRoot(this);
    assert.doesNotThrow(() => assertVerifyHost());
  });
});

describe('verify: Debian mirror from apt sources', () => {
  it('reads a deb822 .sources file and skips security and disabled entries', () => {
    const content = [
      'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n',
      'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n',
      'Types: deb deb-src\n# comment\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main contrib\n',
    ].join('\n');
    assert.equal(pickDebianMirror([{ name: 'debian.sources', content }]), 'http://mirror.example/debian');
  });

  it('reads one-line sources.list entries with options', () => {
    const content = '# deb http://old.example/debian bookworm main\ndeb [arch=amd64] http://one.example/debian bookworm main\n';
    assert.equal(pickDebianMirror([{ name: 'sources.list', content }]), 'http://one.example/debian');
  });

  it('ignores files that are neither .list nor .sources, and falls back to Debian\'s mirror', () => {
    const dir = scratch();
    assert.equal(pickDebianMirror([{ name: 'x.list.disabled', content: 'deb http://x.example/debian bookworm main\n' }]), undefined);
    assert.equal(hostDebianMirror('bookworm', dir), DEFAULT_DEBIAN_MIRROR);
  });
});
