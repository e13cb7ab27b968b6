/** Finding programs on PATH without running them. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The absolute path of the executable file `cmd` on `path` (default: this process's PATH), or
 * undefined. Looked up, not run: spawning `cmd --version` forks this process, which costs ~10 ms
 * once the plan of a large tree is in memory.
 */
export function which(cmd: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, cmd);
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return file;
      }
    } catch {
      // not here: try the next directory
    }
  }
  return undefined;
}
