/**
 * Real-tool gates for tests. A missing tool skips the test with the reason printed,
 * except under CI (CI=true), where it fails the test.
 */
import { spawnSync } from 'node:child_process';

const cache = new Map<string, boolean>();

/** True when `cmd` is on PATH. */
export function hasTool(cmd: string): boolean {
  if (!cache.has(cmd)) cache.set(cmd, spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0);
  return cache.get(cmd)!;
}

export const isCI = process.env.CI === 'true';

/** Skip (locally) or fail (CI) unless every tool is present. Call at the top of a test or `before`. */
export function requireTools(ctx: Mocha.Context, ...tools: string[]): void {
  const missing = tools.filter((t) => !hasTool(t));
  requireThat(ctx, missing.length === 0, `missing tool(s): ${missing.join(', ')}`, 'a missing tool is a failure; .ci/run must install it');
}

/** Skip (locally) or fail (CI) unless running as root. */
export function requireRoot(ctx: Mocha.Context): void {
  requireThat(ctx, process.getuid?.() === 0, 'needs root');
}

/**
 * Skip (locally, printing `reason`) or fail (CI) unless `ok`: the one gate behind requireTools and
 * requireRoot, for conditions of the host that are not a tool (its architecture, say).
 */
export function requireThat(ctx: Mocha.Context, ok: boolean, reason: string, ciHint?: string): void {
  if (ok) return;
  if (isCI) throw new Error(`${reason} (CI=true${ciHint ? `: ${ciHint}` : ''})`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}
