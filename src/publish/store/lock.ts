/**
 * One lock protocol for every store: create the lock atomically if absent; while another live
 * publisher holds it, wait (up to the timeout, then E_PUBLISH_LOCKED naming the holder); a lock
 * whose holder is gone (its process died on this host, or its lease expired without renewal) is
 * removed and reported. The holder renews its lease while it works.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MkpkgError } from '../../errors.js';
import { pidAlive } from '../../verify/lock.js';
import type { HeldLock, LockHolder, LockOptions } from './types.js';

/** How a store keeps its lock. */
export interface LockBackend {
  /** For messages: the lock file or object. */
  readonly where: string;
  /** Create the lock if there is none; false when one exists. */
  create(holder: LockHolder): Promise<boolean>;
  /** The current holder, `undefined` when there is no lock, `'unreadable'` when it cannot be parsed. */
  read(): Promise<LockHolder | undefined | 'unreadable'>;
  /** Extend the lease of a lock we hold. */
  renew(holder: LockHolder): Promise<void>;
  /** Remove the lock if `holder` still holds it. */
  remove(holder: LockHolder): Promise<void>;
}

/** A lease lasts this long unless renewed; the holder renews it every third of it. */
export const LEASE_MS = 60_000;
const POLL_MS = 250;

function newHolder(now = Date.now()): LockHolder {
  return {
    owner: randomBytes(8).toString('hex'), pid: process.pid, host: hostname(),
    acquired: new Date(now).toISOString(), expires: new Date(now + LEASE_MS).toISOString(),
  };
}

/** Parse a lock file's text; undefined when it is not a lock mkpkg wrote. */
export function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.owner === 'string' && typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.expires === 'string' && typeof h.acquired === 'string') {
      return { owner: h.owner, pid: h.pid, host: h.host, acquired: h.acquired, expires: h.expires };
    }
  } catch { /* not JSON */ }
  return undefined;
}

/** Why `holder` counts as gone: its process died on this machine, or its lease expired (undefined: it may be alive). */
function staleReason(holder: LockHolder, now: number): string | undefined {
  if (holder.host === hostname() && !pidAlive(holder.pid)) return `process ${holder.pid} is gone`;
  if (Date.parse(holder.expires) < now) return `its lease expired at ${holder.expires}`;
  return undefined;
}

/** `pid 123 on host build-1 since 2026-…` */
export const describeHolder = (h: LockHolder): string => `pid ${h.pid} on host ${h.host} since ${h.acquired}`;

/** Acquire the lock through `backend`. */
export async function acquireLock(backend: LockBackend, opts: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const start = Date.now();
  let unreadableSince: number | undefined;
  for (;;) {
    const holder = newHolder();
    if (await backend.create(holder)) return held(backend, holder, Date.now() - start);
    const current = await backend.read();
    const now = Date.now();
    if (current === 'unreadable') {
      // Being written right now, or garbage: give a writer a lease's time to finish.
      unreadableSince ??= now;
      if (now - unreadableSince > LEASE_MS) {
        throw new MkpkgError('E_PUBLISH_LOCKED', `the repository lock ${backend.where} exists but is not a lock mkpkg wrote`, {
          hint: `if no publisher is running, delete ${backend.where}`,
        });
      }
    } else if (current) {
      unreadableSince = undefined;
      const why = staleReason(current, now);
      if (why) {
        await backend.remove(current);
        opts.onStaleLock?.(current, why);
        continue;
      }
      if (now - start >= timeoutMs) {
        throw new MkpkgError('E_PUBLISH_LOCKED', `another publisher holds the repository lock ${backend.where}: ${describeHolder(current)}`, {
          hint: `wait for it to finish, or give it longer with --lock-timeout (waited ${Math.round((now - start) / 1000)} s); a lock of a dead process is removed by itself once its lease expires (${current.expires})`,
          details: { holder: current },
        });
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function held(backend: LockBackend, holder: LockHolder, waitedMs: number): HeldLock {
  let current = holder;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    current = { ...current, expires: new Date(Date.now() + LEASE_MS).toISOString() };
    renewing = backend.renew(current).catch(() => undefined);
  }, LEASE_MS / 3);
  timer.unref();
  return {
    holder,
    waitedMs,
    async release() {
      clearInterval(timer);
      await renewing;
      await backend.remove(current);
    },
  };
}
