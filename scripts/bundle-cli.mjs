#!/usr/bin/env node
// Bundle the compiled CLI (dist/cli/main.js, from tsc) and its dependencies into dist/bundle/,
// which bin/mkpkg.js runs (dist/bundle/mkpkg.js). Loading ~150 separate ES modules cost about
// 0.15 s of every `mkpkg deb` (resolution, file reads, URL handling per module). Code split:
// what the CLI imports on demand (inspect, verify, templates, init, the rpm reader) stays in
// chunks loaded only when used. The library (`import 'mkpkg'`) stays unbundled in dist/.
//
// jiti (TypeScript configs and plugins), openpgp (signing), the AWS SDK (s3:// repositories) and ssh2 (deploy; it probes for optional
// native addons) stay external: they are large and loaded on demand only. dist/bundle/ sits at the same depth as dist/config/ and the other
// layers, so paths found from import.meta.url (the built-in templates, ../index.js) resolve the same.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { mkpkg: join(root, 'dist', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['jiti', 'openpgp', 'ssh2', '@aws-sdk/client-s3'],
  // CommonJS dependencies (ejs, tar-stream's helpers) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __mkpkgRequire } from 'node:module'; const require = __mkpkgRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
