/** `mkpkg verify PKG [--upgrade-from OLD]`: the lifecycle scenario in a booted systemd container. */
import { resolve as resolvePath } from 'node:path';
import { formatTable, runScenario } from '../../verify/index.js';
import { printJson } from '../output.js';
import { safeLine, safeText } from '../../terminal.js';

/** `--settle`, `--health-cmd`, `--health-url`. */
export interface VerifyCliOptions {
  settle?: number;
  healthCmd?: string;
  healthUrl?: string;
}

export async function runVerify(pkg: string, upgradeFrom: string | undefined, json: boolean, timeoutSeconds?: number, more: VerifyCliOptions = {}): Promise<number> {
  const result = await runScenario({
    pkg: resolvePath(pkg),
    upgradeFrom: upgradeFrom ? resolvePath(upgradeFrom) : undefined,
    serviceTimeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined,
    settleMs: more.settle !== undefined ? more.settle * 1000 : undefined,
    healthCommand: more.healthCmd,
    healthUrl: more.healthUrl,
    onStep: json ? undefined : (s) => process.stderr.write(`${s.ok ? 'ok  ' : 'FAIL'} ${safeLine(s.step)}\n`),
  });
  if (json) printJson(result);
  else process.stdout.write(`${safeText(formatTable(result.steps))}\n${result.ok ? 'PASS' : 'FAIL'}\n`);
  return result.ok ? 0 : 1;
}
