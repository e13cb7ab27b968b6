import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { MkpkgError } from '../../src/errors.js';
import { bootContainer, type Container } from '../../src/verify/index.js';
import { mountsUnder } from '../../src/verify/mounts.js';
import { scratch } from '../support/tmp.js';
import { testRootfs } from './fixtures.js';

describe('verify: container', function () {
  this.timeout(600_000);
  let rootfs: string;
  const running: Container[] = [];
  before(async function () { rootfs = await testRootfs(this); });
  afterEach(async () => { for (const c of running.splice(0)) await c.stop(); });

  it('boots systemd as PID 1 and runs commands inside (is-system-running, pid 1 is systemd)', async () => {
    const c = await bootContainer({ rootfs, name: 'boot' });
    running.push(c);
    const state = await c.exec(['systemctl', 'is-system-running']);
    assert.match(state.stdout.trim(), /^(running|degraded)$/);
    const comm = await c.exec(['cat', '/proc/1/comm']);
    assert.equal(comm.stdout.trim(), 'systemd');
    const fail = await c.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(fail, { code: 3, stdout: 'out\n', stderr: 'err\n' });
    const env = await c.exec(['sh', '-c', 'echo "$FOO|$LANG"; cat'], { env: { FOO: 'bar baz' }, input: 'piped' });
    assert.equal(env.stdout, 'bar baz|C.UTF-8\npiped');
  });

  it('copyIn/readFile move files through /proc/LEADER/root, keeping the mode', async () => {
    const c = await bootContainer({ rootfs, name: 'copy' });
    running.push(c);
    const f = join(scratch(), 'tool.sh');
    writeFileSync(f, '#!/bin/sh\necho "from the host"\n');
    chmodSync(f, 0o755);
    await c.copyIn(f, '/opt/deep/dir/tool.sh');
    assert.equal((await c.exec(['/opt/deep/dir/tool.sh'])).stdout, 'from the host\n');
    await c.exec(['sh', '-c', 'echo written inside > /root/note']);
    assert.equal(await c.readFile('/root/note'), 'written inside\n');
    // /tmp is the container's own tmpfs: the host's overlay view does not have it.
    await c.exec(['sh', '-c', 'echo tmp > /tmp/x']);
    assert.equal(await c.readFile('/tmp/x'), 'tmp\n');
    assert.equal(existsSync(join(rootfs, 'opt', 'deep')), false, 'the cached rootfs stays pristine');
  });

  it('two containers get the hostnames they were given', async () => {
    const a = await bootContainer({ rootfs, name: 'host-a', hostname: 'alpha-node' });
    running.push(a);
    const b = await bootContainer({ rootfs, name: 'host-b', hostname: 'beta-node' });
    running.push(b);
    assert.notEqual(a.name, b.name);
    assert.equal((await a.exec(['hostname'])).stdout.trim(), 'alpha-node');
    assert.equal((await b.exec(['hostname'])).stdout.trim(), 'beta-node');
  });

  it('stop() powers off, unmounts the overlay and removes the scratch dir', async () => {
    const c = await bootContainer({ rootfs, name: 'stop' });
    running.push(c);
    const leader = c.leader;
    assert.ok(statSync(`/proc/${leader}`).isDirectory());
    assert.equal(mountsUnder(c.workDir).length, 1);
    await c.stop();
    assert.equal(existsSync(`/proc/${leader}`), false, 'container PID 1 is gone');
    assert.deepEqual(mountsUnder(c.workDir), []);
    assert.equal(existsSync(c.workDir), false);
    await c.stop();
  });

  it('a rootfs that cannot boot fails with E_VERIFY_FAILED carrying the nspawn log tail, and leaves no overlay', async () => {
    const empty = scratch();
    const before = mountsUnder(tmpdir()).length;
    await assert.rejects(bootContainer({ rootfs: empty, name: 'empty' }), (e: unknown) => {
      assert.ok(e instanceof MkpkgError);
      assert.equal(e.code, 'E_VERIFY_FAILED');
      assert.match(e.message, /systemd-nspawn did not start systemd \(exit 1\): .*os-release file is missing/);
      return true;
    });
    assert.ok(mountsUnder(tmpdir()).length <= before);
  });

  it('httpGet fetches from a server listening inside the container', async () => {
    const c = await bootContainer({ rootfs, name: 'http' });
    running.push(c);
    const port = 20000 + Math.floor(Math.random() * 20000);
    await c.execOk(['systemd-run', '--unit=probe-http', 'node', '-e',
      `require('http').createServer((q, r) => r.end('path=' + q.url)).listen(${port}, '127.0.0.1')`]);
    assert.ok(await c.waitFor(async () => (await c.exec(['curl', '-fsS', `http://127.0.0.1:${port}/`])).code === 0, 10_000));
    assert.equal(await c.httpGet(port, '/a/b?x=1'), 'path=/a/b?x=1');
    await assert.rejects(c.httpGet(port === 65535 ? 1 : port + 1, '/'), /GET http:\/\/127\.0\.0\.1:\d+\/ inside container .* failed/);
  });
});
