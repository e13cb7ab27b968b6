/**
 * The plugin proof: the package built with the fixture plugin installs with dpkg in a booted
 * systemd container, its postinst fragment ran, the added file is there, and the output ran.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootContainer, installDeb, purgeDeb, type Container } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';
import { testRootfs } from '../verify/fixtures.js';
import { cliOk, copyFixture } from './support.js';

describe('plugin-demo: a local plugin\'s file, postinst fragment and output, installed in a container', function () {
  this.timeout(900_000);
  let c: Container | undefined;
  after(async () => { await c?.stop(); });

  it('installs, the fragment ran on configure, the added file is there, the manifest output was written', async function () {
    const rootfs = await testRootfs(this);
    const out = scratch();
    cliOk(['deb', copyFixture('plugin-demo'), '-o', out]);
    const deb = join(out, 'plugin-demo_1.0.0-1_all.deb');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { file: string; name: string }[];
    assert.deepEqual(manifest.map((m) => [m.file, m.name]), [['plugin-demo_1.0.0-1_all.deb', 'plugin-demo']]);

    c = await bootContainer({ rootfs, name: 'plugdemo' });
    const exists = async (path: string) => (await c!.exec(['test', '-e', path])).code === 0;
    assert.equal(await exists('/var/lib/plugin-demo/configured'), false);
    await installDeb(c, deb);
    assert.equal(await c.readFile('/var/lib/plugin-demo/configured'), 'configured by stamp (configure )\n');
    assert.deepEqual(JSON.parse(await c.readFile('/usr/share/plugin-demo/stamp.json')), { stampedBy: 'stamp', format: 'deb' });
    assert.equal(await c.readFile('/usr/share/plugin-demo/hello.txt'), 'hello from plugin-demo\n');
    assert.match((await c.execOk(['dpkg-query', '-W', '-f', '${Status}', 'plugin-demo'])).stdout, /^install ok installed$/);
    // Reinstalling (an upgrade to the same version) runs configure with the old version as $2.
    await installDeb(c, deb);
    assert.equal(await c.readFile('/var/lib/plugin-demo/configured'), 'configured by stamp (configure 1.0.0-1)\n');
    await purgeDeb(c, 'plugin-demo');
    assert.equal(await exists('/usr/share/plugin-demo/stamp.json'), false);
  });
});
