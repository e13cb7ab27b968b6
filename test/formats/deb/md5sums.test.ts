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
    // Hard links come after every regular file in data.tar: /usr/c (to /usr/b) sorts between them.
    writeFileSync(join(root, 'usr/c'), files['/usr/b']!);
    const digests = new FileDigests(new Set(['/usr/b']), 2); // room for 2: the buffer has to grow
    for (const p of ['/etc/app.conf', '/usr/a', '/usr/b', '/usr/d/ü文字']) digests.add(p, md5(files[p]!));
    digests.addLink('/usr/c', '/usr/b');

    const out = digests.render(new Set(['/etc/app.conf']));
    const text = out.toString('utf8');
    assert.deepEqual(text.split('\n').slice(0, -1).map((l) => l.slice(34)), ['usr/a', 'usr/b', 'usr/c', 'usr/d/ü文字']);
    assert.equal(out.length, ['/usr/a', '/usr/b', '/usr/c', '/usr/d/ü文字'].reduce((n, p) => n + md5sumsLineLength(p), 0), 'the size the control.tar estimate reserves');
    writeFileSync(join(root, 'md5sums'), out);
    const check = spawnSync('md5sum', ['-c', '--strict', 'md5sums'], { cwd: root, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.match(/: OK$/gm)?.length, 4);
  });

  it('a hard link recorded before its target is refused', () => {
    const digests = new FileDigests(new Set(['/usr/b']));
    assert.throws(() => digests.addLink('/usr/c', '/usr/b'), /\/usr\/c comes before its target \/usr\/b/);
  });
});
