/**
 * Free TCP ports for services the tests start. Containers share the host network, so a fixed port
 * clashes with anything else on the host (another suite, a second checkout): every service a test
 * starts listens on a port found free just before, passed to the fixture through its environment or
 * config.
 *
 * The suite runs as two mocha processes at once (test/run.mjs). The host group takes the kernel's
 * pick (port 0), which comes from the ephemeral range (net.ipv4.ip_local_port_range). The container
 * group, whose services are started seconds after their port is picked, takes ports just below
 * that range, one after another from a random start: the other group's picks (and every outgoing
 * connection's local port) can never be one of them, and no port is handed out twice in a process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** How many ports below the ephemeral range the container group cycles through. */
const SPAN = 8000;

/** [first, end) of the container group's ports, or undefined in the host group (and when the range cannot be read). */
function ownRange(): [number, number] | undefined {
  if (process.env.MKPKG_TEST_GROUP !== 'container') return undefined;
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low - SPAN >= 1024 ? [low - SPAN, low] : undefined;
  } catch {
    return undefined;
  }
}

const range = ownRange();
let next = range ? range[0] + Math.floor(Math.random() * SPAN) : 0;

/** The next `count` ports of this process's range from `next` (wrapping); none without a range. */
function candidates(count: number): number[] {
  if (!range) return [];
  return Array.from({ length: count }, (_, i) => range[0] + ((next - range[0] + i) % SPAN));
}

/** `port` was handed out: the next pick starts after it. */
function taken(port: number): number {
  if (range) next = port + 1 >= range[1] ? range[0] : port + 1;
  return port;
}

/** Resolves to `port` when it can be bound on 127.0.0.1 now (the kernel's pick for 0), else to 0. */
function tryListen(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(0));
    s.listen(port, '127.0.0.1', () => {
      const got = (s.address() as { port: number }).port;
      s.close(() => resolve(got));
    });
  });
}

/** A port nothing listens on right now on 127.0.0.1 (see the module comment for which). */
export async function freePort(): Promise<number> {
  for (const port of candidates(64)) {
    const got = await tryListen(port);
    if (got) return taken(got);
  }
  // The whole stretch tried is busy: the kernel's pick, as in the host group.
  const got = await tryListen(0);
  if (!got) throw new Error('no free port on 127.0.0.1');
  return got;
}

const PROBE = `const net = require('net');
const ports = process.argv.slice(1).map(Number);
const next = () => {
  const port = ports.shift();
  if (port === undefined) process.exit(1);
  const s = net.createServer();
  s.once('error', next);
  s.listen(port, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });
};
next();`;

/** {@link freePort} for module-level constants: probed in a child process. */
export function freePortSync(): number {
  const tried = candidates(64);
  const r = spawnSync(process.execPath, ['-e', PROBE, ...tried.map(String), '0'], { encoding: 'utf8' });
  const port = Number(r.stdout);
  if (r.status !== 0 || !Number.isInteger(port) || port <= 0) throw new Error(`probing a free port failed: ${r.stderr}`);
  return tried.includes(port) ? taken(port) : port;
}

let hello: number | undefined;

/**
 * The port of the hello-service fixture in this test process: the lifecycle packages are built
 * with it (HELLO_SERVICE_PORT, read by fixtures/hello-service/mkpkg.config.ts) and the flows ask it.
 */
export function helloServicePort(): number {
  return (hello ??= freePortSync());
}
