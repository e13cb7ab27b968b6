/** The md5sums member as rendered from raw digests: judged by md5sum -c on the files themselves. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileDigests, md5sumsLineLength } from '../../../src/formats/deb/md5sums.js';
import { requireTools } from '../../support/tools.js';
import { scratch } from '../../support/tmp.js';

const md5 = (s: string) => createHash('md5').update(s).digest();

describe('formats/deb md5sums', function () {
  before(function () { requireTools(this, 'md5sum'); });

  it('lists regular files and hard links in path order, leaves out conffiles, and md5sum -c verifies every line', () => {
    const root = scratch('mkpkg-md5sums-');
    const files: Record<string, string> = { '/usr/b': 'bee\n', '/usr/d/ü文字': 'utf8\n', '/etc/app.conf': 'conf\n', '/usr/a': 'a\n' };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), content);
    }
    // Enough files that the digest buffer grows past its first size.
    mkdirSync(join(root, 'usr/many'));
    const many = Array.from({ length: 2000 }, (_, i) => `/usr/many/f-${String(i).padStart(4, '0')}`);
    for (const p of many) writeFileSync(join(root, p), p);
    // Hard links come after every regular file in data.tar: /usr/c (to /usr/b) sorts between them.
    writeFileSync(join(root, 'usr/c'), files['/usr/b']!);
    const digests = new FileDigests();
    for (const p of ['/etc/app.conf', '/usr/a', '/usr/b', '/usr/d/ü文字']) digests.add(p, md5(files[p]!));
    for (const p of many) digests.add(p, md5(p));
    digests.addLink('/usr/c', '/usr/b');

    const out = digests.render(new Set(['/etc/app.conf']));
    const text = out.toString('utf8');
    const listed = ['/usr/a', '/usr/b', '/usr/c', '/usr/d/ü文字', ...many];
    assert.deepEqual(text.split('\n').slice(0, -1).map((l) => l.slice(34)), listed.map((p) => p.slice(1)));
    assert.equal(out.length, listed.reduce((n, p) => n + md5sumsLineLength(p), 0), 'the size the control.tar estimate reserves');
    writeFileSync(join(root, 'md5sums'), out);
    const check = spawnSync('md5sum', ['-c', '--strict', 'md5sums'], { cwd: root, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.match(/: OK$/gm)?.length, listed.length);
  });

  it('a hard link before its target, or a regular file after a hard link, is refused', () => {
    assert.throws(() => new FileDigests().addLink('/usr/c', '/usr/b'), /\/usr\/c comes before its target \/usr\/b/);
    const digests = new FileDigests();
    digests.add('/usr/b', md5('b'));
    digests.addLink('/usr/c', '/usr/b');
    assert.throws(() => digests.add('/usr/d', md5('d')), /\/usr\/d comes after a hard link/);
  });
});
