// Whether a process is still running, for the helper (its runner) and the post step (the helper).

import { readFileSync } from 'node:fs';

/** A zombie has ended; it only waits for a parent that may never reap it (PID 1 in some containers). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
