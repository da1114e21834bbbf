/** Processes the tests start: whether one is still running. */

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
