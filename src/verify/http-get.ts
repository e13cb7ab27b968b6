/** HTTP GET from inside a container, with whatever client the container has. */
import { MkpkgError } from '../errors.js';
import type { RunResult } from './proc.js';
import { tail } from './proc.js';

/** The part of a container {@link httpGetInside} needs. */
export interface Execer {
  readonly name: string;
  exec(argv: readonly string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
}

const NODE_GET = `
const url = process.argv[1];
require('http').get(url, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    process.stdout.write(Buffer.concat(chunks));
    process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 22);
  });
}).on('error', (e) => { console.error(e.message); process.exit(7); });
`;

// Plain bash: HTTP/1.0 over /dev/tcp, headers stripped. "$1" is the port, "$2" the path.
const BASH_GET = `exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 7
printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' "$2" >&3
IFS= read -r status <&3
case "$status" in *" 2"[0-9][0-9]*) ;; *) echo "$status" >&2; exit 22;; esac
while IFS= read -r line <&3 && [ "\${line%$'\\r'}" != "" ]; do :; done
cat <&3`;

const clients = new WeakMap<Execer, 'curl' | 'node' | 'bash'>();

async function client(c: Execer): Promise<'curl' | 'node' | 'bash'> {
  let k = clients.get(c);
  if (!k) {
    const probe = await c.exec(['sh', '-c', 'command -v curl || command -v node || true']);
    k = probe.stdout.includes('curl') ? 'curl' : probe.stdout.includes('node') ? 'node' : 'bash';
    clients.set(c, k);
  }
  return k;
}

/** GET http://127.0.0.1:PORT/PATH inside `c` (curl, else node, else bash /dev/tcp); returns the body. */
export async function httpGetInside(c: Execer, port: number, path = '/'): Promise<string> {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new MkpkgError('E_USAGE', `httpGet: port must be 1–65535, got ${port}`);
  const p = path.startsWith('/') ? path : `/${path}`;
  const url = `http://127.0.0.1:${port}${p}`;
  const kind = await client(c);
  const argv = kind === 'curl' ? ['curl', '-fsS', '--max-time', '10', url]
    : kind === 'node' ? ['node', '-e', NODE_GET, url]
      : ['bash', '-c', BASH_GET, 'bash', String(port), p];
  const r = await c.exec(argv, { timeoutMs: 15_000 });
  if (r.code !== 0) {
    throw new MkpkgError('E_VERIFY_FAILED', `GET ${url} inside container ${c.name} failed (${kind} exit ${r.code}): ${tail(r.stderr, 400)}`, {
      hint: 'is the service listening on that port? check `systemctl status` and `journalctl -u` inside the container',
    });
  }
  return r.stdout;
}
