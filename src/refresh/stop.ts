// Used by the post step: stops the refresh helper, checks that it is gone, and prints its log (redacted).

import { readFileSync } from 'node:fs';
import { redact } from '../redact.js';
import { isRunning } from './process.js';
import { HELPER_FLAG } from './protocol.js';

export interface StopReport {
  readonly stopped: boolean;
  readonly message: string;
  readonly log: string;
}

const GRACE_MS = 3_000;

export async function stopRefreshHelper(pid: number, logFile: string): Promise<StopReport> {
  let message: string;
  let stopped = true;
  if (!isOurHelper(pid)) {
    message = `The refresh helper (process ${pid}) had already ended.`;
  } else {
    signal(pid, 'SIGTERM');
    if (!(await gone(pid, GRACE_MS))) signal(pid, 'SIGKILL');
    stopped = await gone(pid, GRACE_MS);
    message = stopped ? `Stopped the refresh helper (process ${pid}).` : `The refresh helper (process ${pid}) is still running.`;
  }
  let log = '';
  try {
    log = redact(readFileSync(logFile, 'utf8'));
  } catch {
    log = '(no log)';
  }
  return { stopped, message, log };
}

/** The process exists and (where /proc tells) is our helper, not another process that got its ID. */
function isOurHelper(pid: number): boolean {
  if (!isRunning(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(HELPER_FLAG);
  } catch {
    return true;
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** The helper may end on its own between the check and the signal; that is no failure. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
