/** Last-resort cleanup of containers and mounts: the process-wide one in src/proc/exit.ts. */
export { onExitCleanup } from '../proc/exit.js';
