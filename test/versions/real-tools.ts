/**
 * Batched calls to the real dpkg and rpm for version tests. Values are passed through data
 * files read by `read`/`io.lines`, never interpolated into a script, so no quoting is involved.
 * Every value must be free of whitespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { scratch } from '../support/tmp.js';

export type Pair = readonly [string, string];

function checkNoSpace(values: readonly string[]): void {
  for (const v of values) if (/\s/.test(v) || v === '') throw new Error(`test value ${JSON.stringify(v)} cannot be batched`);
}

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status) => resolve({ stdout, stderr, status }));
  });
}

const DPKG_COMPARE = `
while read -r a b; do
  if dpkg --compare-versions "$a" lt "$b"; then echo -1
  elif dpkg --compare-versions "$a" eq "$b"; then echo 0
  else echo 1; fi
done < "$1"
`;

/**
 * `dpkg --compare-versions` for every pair (-1, 0, 1), run in parallel chunks.
 * `stderr` collects dpkg's warnings (e.g. "has bad syntax").
 */
export async function dpkgCompare(pairs: readonly Pair[]): Promise<{ results: number[]; stderr: string }> {
  checkNoSpace(pairs.flat());
  const dir = scratch('mkpkg-dpkgcmp-');
  const jobs = Math.max(2, cpus().length);
  const size = Math.ceil(pairs.length / jobs) || 1;
  const chunks: Pair[][] = [];
  for (let i = 0; i < pairs.length; i += size) chunks.push(pairs.slice(i, i + size));
  const outs = await Promise.all(
    chunks.map((chunk, k) => {
      const file = join(dir, `pairs-${k}.txt`);
      writeFileSync(file, chunk.map(([a, b]) => `${a} ${b}\n`).join(''));
      return run('sh', ['-c', DPKG_COMPARE, 'sh', file]);
    }),
  );
  const results = outs.flatMap((o) => o.stdout.split('\n').filter((l) => l !== '').map(Number));
  if (results.length !== pairs.length) throw new Error(`dpkg gave ${results.length} results for ${pairs.length} pairs`);
  return { results, stderr: outs.map((o) => o.stderr).join('') };
}

/** rpm's own `rpm.vercmp` (EVR strings: `[E:]V[-R]`) for every pair, in one `rpm --eval`. */
export function rpmVercmp(pairs: readonly Pair[]): number[] {
  checkNoSpace(pairs.flat());
  const dir = scratch('mkpkg-rpmcmp-');
  const data = join(dir, 'pairs.txt');
  const script = join(dir, 'cmp.lua');
  writeFileSync(data, pairs.map(([a, b]) => `${a} ${b}\n`).join(''));
  writeFileSync(
    script,
    `local out = {}\nfor l in io.lines(${JSON.stringify(data)}) do\n` +
      `  local a, b = l:match("^(%S+) (%S+)$")\n  out[#out + 1] = tostring(rpm.vercmp(a, b))\nend\n` +
      `print(table.concat(out, "\\n"))\n`,
  );
  const r = spawnSync('rpm', ['--eval', `%{lua: dofile(${JSON.stringify(script)})}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rpm --eval failed: ${r.stderr}`);
  const results = r.stdout.split('\n').filter((l) => l !== '').map(Number);
  if (results.length !== pairs.length) throw new Error(`rpm gave ${results.length} results for ${pairs.length} pairs: ${r.stderr}`);
  return results;
}

const DPKG_SYNTAX = `
while read -r v; do
  if [ -n "$(dpkg --compare-versions "$v" eq "$v" 2>&1)" ]; then echo bad; else echo ok; fi
done < "$1"
`;

/** Whether dpkg accepts each version without a syntax warning. */
export function dpkgAcceptsSyntax(values: readonly string[]): boolean[] {
  checkNoSpace(values);
  const file = join(scratch('mkpkg-dpkgsyn-'), 'values.txt');
  writeFileSync(file, values.map((v) => `${v}\n`).join(''));
  const r = spawnSync('sh', ['-c', DPKG_SYNTAX, 'sh', file], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l === 'ok');
}

const RPMSPEC_FIELD = `
field=$1; dir=$2
while read -r v; do
  printf 'Name: probe\\nVersion: %s\\nRelease: %s\\nSummary: s\\nLicense: MIT\\n%%description\\nd\\n' \\
    "$([ "$field" = Version ] && echo "$v" || echo 1)" "$([ "$field" = Release ] && echo "$v" || echo 1)" > "$dir/probe.spec"
  if rpmspec -q --qf 'x' "$dir/probe.spec" >/dev/null 2>&1; then echo ok; else echo bad; fi
done < "$dir/values.txt"
`;

/** Whether rpmspec (rpmbuild's preamble parser) accepts each value as `Version:` or `Release:`. */
export function rpmspecAccepts(values: readonly string[], field: 'Version' | 'Release'): boolean[] {
  checkNoSpace(values);
  const dir = scratch('mkpkg-rpmspec-');
  writeFileSync(join(dir, 'values.txt'), values.map((v) => `${v}\n`).join(''));
  const r = spawnSync('sh', ['-c', RPMSPEC_FIELD, 'sh', field, dir], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l === 'ok');
}
