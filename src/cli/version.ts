/**
 * `mkpkg --version` (top level only: `mkpkg deb --version X` sets the package's version). Its own
 * module without dependencies, so bin/mkpkg.js answers it before loading the CLI bundle.
 */
import { readFile } from 'node:fs/promises';

/** True when `argv` (without node and script) asks for mkpkg's own version. */
export function isVersionRequest(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}

/** mkpkg's version, from its package.json (dist/cli/, dist/bundle/ and src/cli/ all sit two levels below the package root). */
export async function mkpkgVersion(): Promise<string> {
  return (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
