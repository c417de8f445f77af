// Starts the refresh helper as a detached process that outlives the main step, hands it what it needs over
// an IPC channel (never argv or files: the source keys and OIDC request token are in there), and waits until
// it listens.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { HELPER_FLAG, type HelperReply, type HelperStart } from './protocol.js';

export interface HelperHandle {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
}

const READY_TIMEOUT_MS = 10_000;
// GitHub ends a job after 6 hours by default; the helper does not outlive that.
const MAX_LIFETIME_MS = 6 * 60 * 60_000;

export async function startRefreshHelper(init: Omit<HelperStart, 'path' | 'watchPid' | 'exitBy'>, logDir: string): Promise<HelperHandle> {
  const path = `/${randomBytes(32).toString('hex')}`;
  const logFile = join(logDir, `alibabacloud-credentials-refresh-${process.pid}.log`);
  const logFd = openSync(logFile, 'a', 0o600);
  // process.argv[1] is this bundle (dist/main/index.js); the flag makes it the helper.
  const child = spawn(process.execPath, [process.argv[1], HELPER_FLAG], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { PATH: process.env.PATH ?? '' },
  });
  closeSync(logFd);
  const start: HelperStart = { ...init, path, watchPid: process.ppid, exitBy: Date.now() + MAX_LIFETIME_MS };
  const reply = await new Promise<HelperReply>((resolve) => {
    const timer = setTimeout(() => resolve({ ready: false, error: `no answer within ${READY_TIMEOUT_MS} ms` }), READY_TIMEOUT_MS);
    child.once('message', (message: HelperReply) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ready: false, error: `it exited with code ${code}` });
    });
    child.send(start);
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (!reply.ready || child.pid === undefined) {
    child.kill();
    throw new ActionError('server', `The refresh helper did not start: ${reply.ready ? 'no process ID' : reply.error}.`, `Its log is ${logFile}. Turn off \`refresh-credentials\` to go on without it.`);
  }
  return { pid: child.pid, url: `http://127.0.0.1:${reply.port}${path}`, logFile };
}
