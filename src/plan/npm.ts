/** Running npm for the Node.js app layout: the production install. */
import { MkpkgError } from '../errors.js';
import { spawnOwned } from '../proc/children.js';

/** Result of one finished npm run. */
export interface NpmRun {
  stdout: string;
  stderr: string;
}

/** The informative part of npm's output: short output whole, long output (usage text) head and tail. */
function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  if (all.length <= lines) return all.join('\n');
  return [...all.slice(0, lines - 4), '…', ...all.slice(-3)].join('\n');
}

/** Run `npm args…` in `cwd`; a non-zero exit or a missing npm → E_NPM with the tail of npm's stderr. */
export function runNpm(args: readonly string[], cwd: string, options: { npm?: string; signal?: AbortSignal } = {}): Promise<NpmRun> {
  const npm = options.npm ?? 'npm';
  const shown = `${npm} ${args.join(' ')}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawnOwned(npm, args, {
      cwd,
      signal: options.signal,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
    child.stdin.end(); // npm reads nothing; the pipe only ties it to mkpkg's life
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const missing = e.code === 'ENOENT';
      reject(new MkpkgError('E_NPM', missing ? `${npm} was not found while running "${shown}" in ${cwd}` : `"${shown}" in ${cwd} failed: ${e.message}`, {
        hint: missing ? 'install Node.js with npm, or set app: false / app.nodeModules: "none"' : 'run the command yourself in that directory to see what npm reports',
        details: { command: shown, cwd }, cause: e,
      }));
    });
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) return resolvePromise({ stdout, stderr });
      reject(new MkpkgError('E_NPM', `"${shown}" in ${cwd} exited with status ${String(code)}:\n${tail(stderr || stdout)}`, {
        hint: 'fix the problem npm reports (a lock file out of sync with package.json: run "npm install" and commit package-lock.json)',
        details: { command: shown, cwd, status: code, stderr: tail(stderr, 50) },
      }));
    });
  });
}
