/** descendants(): every live process below ours (what the CLI kills at exit), checked against ps. */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { descendants } from '../../src/proc/procfs.js';

/** The pids below `pid` according to ps (the reference). */
function psTree(pid: number): number[] {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const out: number[] = [];
  const parents = [pid];
  while (parents.length) {
    const p = parents.shift()!;
    for (const [c, pp, st] of rows) if (Number(pp) === p && !st!.startsWith('Z')) { out.push(Number(c)); parents.push(Number(c)); }
  }
  return out;
}

describe('proc: descendants of this process', () => {
  it('lists children and grandchildren (two levels of sh and sleep), as ps sees them, and nothing after they end', async () => {
    const tree = spawn('sh', ['-c', 'sleep 30 & sh -c "sleep 30 & wait" & wait'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 200 && psTree(tree.pid!).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      const expected = [tree.pid!, ...psTree(tree.pid!)];
      assert.equal(expected.length, 4, `ps shows ${expected.length} processes in the tree`);
      const found = descendants(process.pid).filter((p) => expected.includes(p));
      assert.deepEqual([...found].sort(), [...expected].sort());
      assert.equal(found[0], tree.pid, 'children come before grandchildren');
    } finally {
      spawnSync('pkill', ['-KILL', '-P', String(tree.pid)]);
      for (const p of psTree(tree.pid!)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
      tree.kill('SIGKILL');
    }
    await new Promise((r) => tree.once('exit', r));
    assert.ok(!descendants(process.pid).includes(tree.pid!));
  });
});
