/**
 * Explicit modes (issue 11 item 2, issue 12 item 5): dangerous ones are coded warnings (errors
 * under --strict) naming each path; a number such as `755`, which JavaScript reads as decimal
 * (0o1363), is refused as ambiguous instead of shipping a sticky, world-writable mode.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFiles } from '../../src/pipeline/plan-edit.js';
import type { Target } from '../../src/pipeline/types.js';
import { requireTools } from '../support/tools.js';
import { scratch } from '../support/tmp.js';
import { expectCode } from '../config/project.js';
import { assertError, buildJson, mkpkg } from './helpers.js';

const BASE = { name: 'modes', version: '1.0.0', maintainer: 'A <a@example.org>', summary: 's', description: 'd', license: 'MIT', app: false };

function project(contents: unknown[], extra: Record<string, unknown> = {}, format: 'json' | 'mjs' = 'json'): string {
  const dir = scratch('mkpkg-modes-');
  writeFileSync(join(dir, 'a.sh'), '#!/bin/sh\n');
  const text = JSON.stringify({ ...BASE, contents, ...extra }, null, 2);
  writeFileSync(join(dir, `mkpkg.config.${format}`), format === 'json' ? text : `export default ${text.replace(/"mode": "js:(\w+)"/g, '"mode": $1')};\n`);
  return dir;
}

const DANGEROUS = [
  { src: 'a.sh', dst: '/usr/bin/suid-all', mode: '4777' },
  { src: 'a.sh', dst: '/usr/bin/sgid', mode: '2755' },
  { data: 'x', dst: '/var/lib/modes/shared.txt', mode: '0666' },
  { dst: '/var/lib/modes/open', type: 'dir', mode: '0777' },
];
const SAFE = [
  { dst: '/var/lib/modes/tmp', type: 'dir', mode: '1777' },
  { dst: '/var/lib/modes/group', type: 'dir', mode: '2775' },
  { src: 'a.sh', dst: '/usr/bin/plain', mode: '0755' },
];

describe('cli: explicit modes', function () {
  this.timeout(180_000);

  it('world-writable files and directories without the sticky bit, setuid and setgid files are warnings naming each path', function () {
    requireTools(this, 'dpkg-deb');
    const dir = project([...DANGEROUS, ...SAFE]);
    const r = mkpkg(['deb', dir, '-o', scratch()]);
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => /^warning W_MODE_/.test(l));
    const named = (code: string, path: string) => warnings.some((w) => w.startsWith(`warning ${code}: ${path} (`));
    assert.ok(named('W_MODE_WORLD_WRITABLE', '/usr/bin/suid-all') && named('W_MODE_SETID', '/usr/bin/suid-all'), r.stderr);
    assert.ok(named('W_MODE_SETID', '/usr/bin/sgid'), r.stderr);
    assert.ok(named('W_MODE_WORLD_WRITABLE', '/var/lib/modes/shared.txt'), r.stderr);
    assert.ok(named('W_MODE_WORLD_WRITABLE', '/var/lib/modes/open'), r.stderr);
    for (const s of SAFE) assert.ok(!warnings.some((w) => w.includes(`${s.dst} `)), `no warning for ${s.dst}:\n${warnings.join('\n')}`);
    assert.equal(warnings.length, 5, warnings.join('\n'));
    assert.match(warnings.find((w) => w.includes('/usr/bin/suid-all') && w.includes('SETID'))!, /contents\[0\]/);
  });

  it('--strict turns them into E_STRICT; a runtime template rendered world-writable is warned about too', () => {
    assertError(mkpkg(['deb', project([DANGEROUS[3]!]), '-o', scratch(), '--strict']), 'E_STRICT', 'W_MODE_WORLD_WRITABLE', '/var/lib/modes/open');
    const dir = project([], {
      services: [{ name: 'modes', command: '/bin/true' }],
      runtime: { templates: [{ src: 'app.env.tmpl', dst: '/run/modes/app.env', mode: '0666' }] },
    });
    writeFileSync(join(dir, 'app.env.tmpl'), 'A=1\n');
    const r = mkpkg(['deb', dir, '-o', scratch(), '--dry-run']);
    assert.match(r.stderr, /^warning W_MODE_WORLD_WRITABLE: \/run\/modes\/app\.env \(runtime\.templates\[0\]/m, r.stderr);
  });

  it('mode: 755 (a decimal number) is E_CONFIG_INVALID explaining both readings; 0o755, 493 and "0755" are accepted', () => {
    for (const format of ['mjs', 'json'] as const) {
      const r = mkpkg(['deb', project([{ src: 'a.sh', dst: '/usr/bin/x', mode: format === 'mjs' ? 'js:755' : 755 }], {}, format), '-o', scratch()]);
      assertError(r, 'E_CONFIG_INVALID');
      assert.match(r.stderr, /contents\[0\]\.mode: mode 755 is ambiguous: .*decimal 755, i\.e\. mode 0o1363, not 0o755; write .*0o755.*"0755"/, r.stderr);
    }
    const r420 = mkpkg(['deb', project([{ src: 'a.sh', dst: '/usr/bin/x', mode: 420 }]), '-o', scratch()]);
    assert.match(r420.stderr, /mode 420 is ambiguous: .*mode 0o644, not 0o420/);
    const ok = project([{ src: 'a.sh', dst: '/usr/bin/a', mode: 'js:0o755' }, { src: 'a.sh', dst: '/usr/bin/b', mode: 'js:493' }, { src: 'a.sh', dst: '/usr/bin/c', mode: '0755' }], {}, 'mjs');
    const [deb] = buildJson(['deb', ok, '-o', scratch()]);
    const listing = spawnSync('dpkg-deb', ['-c', deb!.path], { encoding: 'utf8' }).stdout;
    for (const f of ['a', 'b', 'c']) assert.match(listing, new RegExp(`^-rwxr-xr-x root/root .* \\./usr/bin/${f}$`, 'm'), listing);
  });

  it('the library path (withFiles) refuses an ambiguous number too', async () => {
    const target = { format: 'deb', plan: { entries: [] }, meta: {}, scripts: {} } as unknown as Target;
    const e = await expectCode(() => withFiles(target, [{ path: '/etc/x', data: '', mode: 644 }], 'a plugin', 0), 'E_PLAN_INVALID');
    assert.match(e.message, /644 is ambiguous/);
  });
});
