// Runs the suite with mocha; the reporter prints the closing "N passed, N failed" line.
// `node test/run.mjs` runs every test file; `node test/run.mjs FILE…` only those. The spec is not in
// .mocharc.json, where mocha would add it to the files given (`npx mocha FILE` would run everything).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const mocha = require.resolve('mocha/bin/mocha.js');
const args = process.argv.slice(2);
const hasSpec = args.some((a) => /\.test\.ts$|\*|\/$/.test(a));
const r = spawnSync(process.execPath, [mocha, ...args, ...(hasSpec ? [] : ['test/**/*.test.ts'])], { stdio: 'inherit' });
process.exit(r.status ?? 1);
