// Used by the post step: asks the refresh helper to stop over its loopback port, waits until it is gone, and reads
// its log. Nothing here trusts the state more than it can check: the stop request goes only to a loopback URL of
// the helper's shape, no process is ever signalled by ID, and the log is read only from the file name and folder
// the main step uses, as a regular file that is not a link.

import { lstatSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { redact } from '../redact.js';
import { type HelperState, LOG_DIR_PREFIX, LOG_FILE_NAME, STOP_HEADER } from './protocol.js';

export interface StopReport {
  readonly stopped: boolean;
  readonly message: string;
  readonly log: string;
}

const GRACE_MS = 3_000;
// What ends a helper the post step could not stop: the runner's clean-up of the job's processes (start.ts passes the
// job's RUNNER_TRACKING_ID on for it), and the helper itself (helper.ts watches the runner process and its time limit).
const LEFT_RUNNING =
  "the runner ends it when the job completes (it carries the job's RUNNER_TRACKING_ID), and it stops by itself when the runner process ends or at its six-hour limit.";

export async function stopRefreshHelper(state: HelperState, runnerTemp: string | undefined): Promise<StopReport> {
  const asked = await send(state.url, { method: 'DELETE', headers: { [STOP_HEADER]: state.stopToken } });
  let stopped = true;
  let message: string;
  if (asked === 'unreachable') {
    message = `The refresh helper (process ${state.pid}) had already ended.`;
  } else if (asked === 0) {
    stopped = false;
    message = `The refresh helper (process ${state.pid}) did not answer the request to stop; ${LEFT_RUNNING}`;
  } else if (asked !== 202) {
    stopped = false;
    message = `The process on ${new URL(state.url).host} is not the refresh helper this job started (it answered HTTP ${asked}); nothing was stopped.`;
  } else {
    stopped = await gone(state.url, GRACE_MS);
    message = stopped ? `Stopped the refresh helper (process ${state.pid}).` : `The refresh helper (process ${state.pid}) is still running; ${LEFT_RUNNING}`;
  }
  return { stopped, message, log: readLog(state.logFile, runnerTemp) };
}

/** The helper's log, redacted; only from where the main step puts it. */
function readLog(logFile: string, runnerTemp: string | undefined): string {
  const dir = dirname(logFile);
  const expected = runnerTemp ? dir === runnerTemp : dirname(dir) === tmpdir() && basename(dir).startsWith(LOG_DIR_PREFIX);
  if (!expected || !LOG_FILE_NAME.test(basename(logFile)) || join(dir, basename(logFile)) !== logFile)
    return '(no log: its path is not where this action writes it)';
  try {
    if (!lstatSync(logFile).isFile()) return '(no log: not a regular file)';
    return redact(readFileSync(logFile, 'utf8'));
  } catch {
    return '(no log)';
  }
}

async function gone(url: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if ((await send(url, { method: 'HEAD' })) === 'unreachable') return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** One request to the helper's loopback URL: its status, or 'unreachable' when nothing listens there. */
async function send(url: string, init: { method: string; headers?: Record<string, string> }): Promise<number | 'unreachable'> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request(url, { ...init, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? 'unreachable' : 0));
    req.end();
  });
}
