/**
 * Free TCP ports for services the tests start. Containers share the host network, so a fixed port
 * clashes with anything else on the host (another suite, a second checkout): every service a test
 * starts listens on a port the kernel just handed out (port 0), passed to the fixture through its
 * environment or config.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on right now on 127.0.0.1 (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const PROBE = "const s = require('net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";

/** {@link freePort} for module-level constants: probed in a child process. */
export function freePortSync(): number {
  const r = spawnSync(process.execPath, ['-e', PROBE], { encoding: 'utf8' });
  const port = Number(r.stdout);
  if (r.status !== 0 || !Number.isInteger(port) || port <= 0) throw new Error(`probing a free port failed: ${r.stderr}`);
  return port;
}

let hello: number | undefined;

/**
 * The port of the hello-service fixture in this test process: the lifecycle packages are built
 * with it (HELLO_SERVICE_PORT, read by fixtures/hello-service/mkpkg.config.ts) and the flows ask it.
 */
export function helloServicePort(): number {
  return (hello ??= freePortSync());
}
