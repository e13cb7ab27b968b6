import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mountsUnder } from '../../src/verify/mounts.js';
import { scratch } from '../support/tmp.js';
import { testRootfs } from './fixtures.js';

/** Boot a container in a child process that never calls stop(); return what it printed and how it ended. */
function childThatForgets(rootfs: string, ending: 'exit' | 'SIGTERM'): Promise<{ workDir: string; leader: number; code: number | null }> {
  const script = join(scratch(), 'child.mts');
  const index = resolve('src/verify/index.ts');
  writeFileSync(script, `import { bootContainer } from ${JSON.stringify(index)};
const c = await bootContainer({ rootfs: ${JSON.stringify(rootfs)}, name: 'forgotten' });
console.log(JSON.stringify({ workDir: c.workDir, leader: c.leader }));
if (${JSON.stringify(ending)} === 'exit') process.exit(0);
setInterval(() => {}, 1000);
`);
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (ending === 'SIGTERM' && out.includes('\n')) child.kill('SIGTERM');
    });
    child.on('error', fail);
    child.on('close', (code) => {
      try { ok({ ...JSON.parse(out.trim()), code }); } catch { fail(new Error(`child printed ${out}`)); }
    });
  });
}

describe('verify: cleanup when the caller forgets stop()', function () {
  this.timeout(600_000);
  let rootfs: string;
  before(async function () { rootfs = await testRootfs(this); });

  for (const ending of ['exit', 'SIGTERM'] as const) {
    it(`on ${ending === 'exit' ? 'process.exit' : 'SIGTERM'} the container is killed, the overlay unmounted and its dir removed`, async () => {
      const r = await childThatForgets(rootfs, ending);
      assert.equal(r.code, ending === 'exit' ? 0 : 143);
      // Killed by the child's exit handler; a zombie is reaped by the host's init soon after.
      const deadline = Date.now() + 5_000;
      while (existsSync(`/proc/${r.leader}`) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      assert.equal(existsSync(`/proc/${r.leader}`), false, 'container PID 1 is gone');
      assert.deepEqual(mountsUnder(r.workDir), []);
      assert.equal(existsSync(r.workDir), false);
    });
  }
});
