// Whether a process is still running: the refresh helper watches the runner process that started the job.

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
