/** Test helpers: run a real tool, and compare two directory trees (types, modes, contents, link targets). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Run `cmd`; assert it exits 0 and return stdout. */
export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: env ? { ...process.env, ...env } : process.env });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** One line per path below `root`: type, permission bits, and content digest or link target. */
export function describeTree(root: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip(r)) continue;
      const p = join(dir, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out.push(`dir ${mode} ${r}`);
        walk(p, r);
      } else if (st.isSymbolicLink()) out.push(`symlink ${r} -> ${readlinkSync(p)}`);
      else out.push(`file ${mode} ${r} ${readFileSync(p).toString('base64').slice(0, 64)} ${st.size}`);
    }
  };
  walk(root, '');
  return out;
}

/** Assert the trees below `actual` and `expected` are the same (`skip` excludes paths of `actual`). */
export function assertSameTree(actual: string, expected: string, skip?: (rel: string) => boolean): void {
  assert.deepEqual(describeTree(actual, skip), describeTree(expected));
}
