import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDirectory, type ServedDirectory } from '../../src/verify/index.js';
import { scratch } from '../support/tmp.js';

describe('verify: repo server', () => {
  let srv: ServedDirectory | undefined;
  let dir: string;
  before(async () => {
    dir = scratch();
    mkdirSync(join(dir, 'dists', 'stable'), { recursive: true });
    writeFileSync(join(dir, 'dists', 'stable', 'Release'), 'Origin: test\n');
    writeFileSync(join(dir, 'bin.deb'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(scratch(), 'secret'), 'no');
    srv = await serveDirectory(dir);
  });
  after(async () => { await srv?.close(); });

  it('serves files with the right body and Content-Length on 127.0.0.1', async () => {
    assert.match(srv!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${srv!.url}/dists/stable/Release`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-length'), '13');
    assert.equal(await r.text(), 'Origin: test\n');
    const b = Buffer.from(await (await fetch(`${srv!.url}/bin.deb`)).arrayBuffer());
    assert.deepEqual([...b], [0, 1, 2, 255]);
  });

  it('answers HEAD with the length and no body', async () => {
    const r = await fetch(`${srv!.url}/bin.deb`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-length'), '4');
  });

  it('404s missing files, directories and paths escaping the root', async () => {
    assert.equal((await fetch(`${srv!.url}/nope`)).status, 404);
    assert.equal((await fetch(`${srv!.url}/dists/`)).status, 404);
    assert.equal((await fetch(`${srv!.url}/%2e%2e/%2e%2e/etc/passwd`)).status, 404);
  });
});
