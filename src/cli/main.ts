/** The mkpkg command line: argument parsing and dispatch only; the work is in the library. */
import { readFileSync } from 'node:fs';
import { killDescendantsAtExit } from '../proc/children.js';
import { providePublicApi } from '../config/user-modules.js';
import { parseCommandLine } from './args/parse.js';
import { COMMANDS } from './command-table.js';
import { cliPublicApi } from './public-api.js';
import { isVersionRequest, mkpkgVersion } from './version.js';
import { EXIT, printError } from './output.js';

/**
 * This process's own peak RSS in KiB (VmHWM), undefined where /proc is not there. Not ru_maxrss:
 * spawned from a mocha process that had grown, it read 126 MB for a run whose VmHWM was 52 MB.
 */
function peakRssKib(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // The CLI owns its process: nothing it started (compressors, npm, plugins' processes) outlives it.
  killDescendantsAtExit();
  providePublicApi(cliPublicApi);
  // For the benchmark (bench/run.mjs) and the memory tests: node's own peak RSS and CPU time, apart from the compressor processes.
  if (process.env.MKPKG_REPORT_RSS) {
    process.once('exit', () => {
      const u = process.resourceUsage();
      process.stderr.write(`mkpkg-maxrss-kib ${peakRssKib() ?? u.maxRSS}\nmkpkg-cpu-ms ${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
    });
  }
  // `mkpkg inspect X | head`: a closed pipe ends the output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
    throw e;
  });
  if (isVersionRequest(argv)) {
    process.stdout.write(`${await mkpkgVersion()}\n`);
    return EXIT.OK;
  }
  // With --json, an error is also a JSON object on stdout (scripts read stdout only).
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    if (parsed.kind === 'help') {
      const { commandHelp, programHelp } = await import('./args/help.js');
      process.stdout.write(parsed.command ? commandHelp(parsed.command) : programHelp(COMMANDS));
      return EXIT.OK;
    }
    return await parsed.command.run(parsed.args);
  } catch (e) {
    return printError(e, process.stderr, json);
  }
}
