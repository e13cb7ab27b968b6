/** A real HTTP webhook receiver on loopback (port 0) that records every request and answers as told. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One recorded request. */
export interface Received {
  /** Milliseconds since the receiver started. */
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * How to answer request number `n` (0-based): a status (headers, a body where `{url}` is the
 * receiver's URL), `hang` to never answer, or `endless`: a 500 whose body of `x` never ends.
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'endless';

/** A running receiver. The secret path stands for a Slack-style webhook token. */
export interface Receiver {
  url: string;
  /** The parts of the URL that must never be printed. */
  secrets: string[];
  requests: Received[];
  close(): Promise<void>;
}

export const SECRET_PATH = '/services/T0SECRET01/B0SECRET02/zXq9TokenOfTheHook4242abcd';

/** Start a receiver answering with `answers[n]` (the last one repeats). */
export async function startReceiver(answers: Answer[]): Promise<Receiver> {
  const started = Date.now();
  const requests: Received[] = [];
  let url = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ at: Date.now() - started, method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      if (a === 'hang') return;
      if (a === 'endless') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end((a.body ?? (a.status < 300 ? 'ok' : 'error')).replace('{url}', url));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  url = `http://127.0.0.1:${port}${SECRET_PATH}`;
  return {
    url,
    secrets: [url, SECRET_PATH, 'T0SECRET01', 'B0SECRET02', 'zXq9TokenOfTheHook4242abcd', `127.0.0.1:${port}`],
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
