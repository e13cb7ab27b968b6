/** Shared by the distro tests: small C/C++ programs built with the host's compilers, and dpkg-shlibdeps run for real. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { REPO } from '../support/dist.js';
import { scratch } from '../support/tmp.js';

/** Programs that exercise different libraries and symbol versions. */
export const PROGRAMS: Record<string, { lang: 'c' | 'c++'; source: string; libs: string[] }> = {
  'libc-only': { lang: 'c', source: '#include <stdio.h>\nint main(void){ puts("hi"); return 0; }\n', libs: [] },
  'libc-newer': {
    lang: 'c',
    source: '#include <stdio.h>\n#include <sys/random.h>\n#include <string.h>\nint main(int c, char **v){ unsigned char b[8]; getrandom(b, sizeof b, 0); char s[16]; strncpy(s, v[0], sizeof s - 1); s[15] = 0; printf("%s %d\\n", s, b[0] + c); return 0; }\n',
    libs: [],
  },
  'with-libm': { lang: 'c', source: '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v){ (void)v; printf("%f\\n", exp2((double)c) + lgamma((double)c)); return 0; }\n', libs: ['-lm'] },
  'cxx': { lang: 'c++', source: '#include <iostream>\n#include <string>\n#include <vector>\nint main(int c, char **v){ std::vector<std::string> a(v, v + c); for (auto &s : a) std::cout << s << std::endl; return 0; }\n', libs: [] },
};

/** Build every program of {@link PROGRAMS} into a fresh directory; returns name → path. */
export function buildPrograms(): Record<string, string> {
  const dir = scratch('distro-progs-');
  const out: Record<string, string> = {};
  for (const [name, p] of Object.entries(PROGRAMS)) {
    const src = join(dir, `${name}.${p.lang === 'c' ? 'c' : 'cc'}`);
    writeFileSync(src, p.source);
    const bin = join(dir, name);
    execFileSync(p.lang === 'c' ? 'gcc' : 'g++', ['-O2', '-g', '-o', bin, src, ...p.libs]);
    out[name] = bin;
  }
  return out;
}

/** `dpkg-shlibdeps -O` on `files` from a minimal debian/control skeleton: the shlibs:Depends items. */
export function dpkgShlibdeps(files: string[]): string[] {
  const dir = scratch('shlibdeps-');
  mkdirSync(join(dir, 'debian'));
  writeFileSync(join(dir, 'debian', 'control'), 'Source: probe\nMaintainer: Probe <probe@example.org>\n\nPackage: probe\nArchitecture: any\nDescription: probe\n');
  const r = spawnSync('dpkg-shlibdeps', ['-O', ...files], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg-shlibdeps failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('shlibs:Depends='));
  return line ? line.slice('shlibs:Depends='.length).split(', ').filter(Boolean) : [];
}

/** A copy of fixtures/c-daemon with `make` run in it (the build products never land in the repository). */
export function builtCDaemon(): string {
  const dir = join(scratch('c-daemon-'), 'c-daemon');
  cpSync(join(REPO, 'fixtures', 'c-daemon'), dir, { recursive: true, filter: (p) => basename(p) !== 'build' });
  execFileSync('make', ['-s', '-C', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}

/** A scratch project from file texts (`{ text, mode }` for executables); returns its directory. */
export function writeProject(files: Record<string, string | { text: string; mode: number }>): string {
  const dir = scratch('distro-project-');
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    const { text, mode } = typeof content === 'string' ? { text: content, mode: 0o644 } : content;
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
  }
  return dir;
}

/** The metadata every scratch project shares. */
export const META = {
  version: '1.0.0',
  maintainer: 'Acme Ops <ops@acme.example>',
  description: 'A scratch project of the mkpkg tests.\nIt exercises one packager step.',
  license: 'MIT',
  homepage: 'https://acme.example/demo',
};
