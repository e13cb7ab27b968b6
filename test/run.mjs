// Runs the whole suite with mocha; the reporter prints the closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const mocha = require.resolve('mocha/bin/mocha.js');
const r = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
