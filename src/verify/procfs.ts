/** Moved to src/proc/procfs.ts (shared with the child-process cleanup); re-exported for the verify harness. */
export { childNamed, liveProcess, waitGoneSync } from '../proc/procfs.js';
