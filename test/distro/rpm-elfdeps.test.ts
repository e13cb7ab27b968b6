/** rpm's automatic ELF requires/provides, computed in TypeScript, against rpm's own elfdeps on the same files. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { elfDeps } from '../../src/distro/rpm-elfdeps.js';
import { readElfDynamic } from '../../src/plan/elf-dynamic.js';
import { synthElf, VARIANTS } from '../support/elf-synth.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { buildPrograms } from './support.js';

const ELFDEPS = '/usr/lib/rpm/elfdeps';

function rpmElfdeps(file: string, kind: '--requires' | '--provides'): string[] {
  // rpm keeps each dependency once; elfdeps itself may print one twice.
  return [...new Set(execFileSync(ELFDEPS, [kind], { input: `${file}\n`, encoding: 'utf8' }).split('\n').filter(Boolean))].sort();
}

/** Copy `src` to a file with `mode`, then compare both directions with elfdeps. */
function compare(dir: string, src: string, name: string, mode: number): void {
  const file = join(dir, `${name}-${mode.toString(8)}`);
  copyFileSync(src, file);
  chmodSync(file, mode);
  const d = elfDeps(readElfDynamic(file)!, (mode & 0o111) !== 0, `/usr/lib/x/${name}`);
  // elfdeps fakes a missing soname from the file name it was given; ours from the packaged path.
  const fake = (deps: string[]) => deps.map((x) => x.replace(`${name}-${mode.toString(8)}`, name));
  assert.deepEqual([...new Set(d.requires)].sort(), rpmElfdeps(file, '--requires'), `requires of ${name} (mode ${mode.toString(8)})`);
  assert.deepEqual([...new Set(d.provides)].sort(), fake(rpmElfdeps(file, '--provides')).sort(), `provides of ${name} (mode ${mode.toString(8)})`);
}

describe('distro/rpm-elfdeps: requires and provides as rpm\'s elfdeps writes them', function () {
  let dir: string;
  before(function () {
    this.timeout(120_000);
    requireTools(this, 'gcc', 'g++', 'rpm');
    if (!existsSync(ELFDEPS)) {
      if (process.env.CI === 'true') throw new Error(`${ELFDEPS} is missing (package rpm)`);
      this.skip();
    }
    dir = scratch('elfdeps-');
  });

  it('gcc/g++ programs, a versioned library and system binaries: the same lists, executable or not', function () {
    this.timeout(120_000);
    const progs = buildPrograms();
    writeFileSync(join(dir, 'lib.c'), 'int demo_old(void){return 1;}\nint demo_new(void){return 2;}\n');
    writeFileSync(join(dir, 'lib.map'), 'DEMO_1.0 { global: demo_old; local: *; };\nDEMO_1.1 { global: demo_new; } DEMO_1.0;\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(dir, 'libdemo.so.1'), join(dir, 'lib.c'), '-Wl,-soname,libdemo.so.1', `-Wl,--version-script=${join(dir, 'lib.map')}`]);
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(dir, 'plugin.so'), join(dir, 'lib.c')]);
    const files: Record<string, string> = {
      ...progs, libdemo: join(dir, 'libdemo.so.1'), plugin: join(dir, 'plugin.so'),
      ls: '/bin/ls', libc: execFileSync('gcc', ['-print-file-name=libc.so.6'], { encoding: 'utf8' }).trim(),
      libstdcxx: execFileSync('g++', ['-print-file-name=libstdc++.so.6'], { encoding: 'utf8' }).trim(),
    };
    for (const [name, file] of Object.entries(files)) for (const mode of [0o755, 0o644]) compare(dir, file, name, mode);
    const cxx = elfDeps(readElfDynamic(progs.cxx)!, true, '/usr/bin/cxx');
    assert.ok(cxx.requires.includes('libstdc++.so.6()(64bit)') && cxx.requires.some((r) => /^libstdc\+\+\.so\.6\(GLIBCXX_3\.4(\.\d+)?\)\(64bit\)$/.test(r)), cxx.requires.join(' '));
  });

  it('synthetic 32/64-bit little- and big-endian executables and libraries: the same lists (no (64bit) marker on 32-bit)', () => {
    for (const spec of VARIANTS) {
      const file = join(dir, `synth-${spec.bits}-${spec.littleEndian ? 'le' : 'be'}-${spec.type}`);
      writeFileSync(file, synthElf(spec));
      for (const mode of [0o755, 0o644]) compare(dir, file, `synth${spec.bits}${spec.littleEndian ? 'le' : 'be'}${spec.type}`, mode);
    }
    const d32 = elfDeps(readElfDynamic(join(dir, 'synth-32-be-3'))!, true, '/usr/lib/libdemo.so.1');
    assert.ok(d32.requires.includes('libc.so.6') && d32.requires.includes('libc.so.6(GLIBC_2.0)'), d32.requires.join(' '));
  });
});
