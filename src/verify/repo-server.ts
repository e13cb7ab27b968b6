/** A tiny static HTTP server on 127.0.0.1 for apt/dnf repositories used inside containers. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

/** A running server; `url` has no trailing slash. */
export interface ServedDirectory {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Map a request path to a file under `root`, or undefined if it escapes it. */
export function resolveRequestPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!); } catch { return undefined; }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const full = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (code: number, body: string) => {
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
  const file = resolveRequestPath(root, req.url ?? '/');
  if (!file) return send(404, 'not found\n');
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) return send(404, 'not found\n');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': st.size,
    'Last-Modified': st.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** Serve `dir` on a random free port of 127.0.0.1 (static files, 404 for anything else). */
export function serveDirectory(dir: string): Promise<ServedDirectory> {
  const server = createServer((req, res) => {
    handle(dir, req, res).catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); });
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
