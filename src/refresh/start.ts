// Starts the refresh helper as a detached process that outlives the main step, hands it what it needs over
// an IPC channel (never argv or files: the source keys and OIDC request token are in there), and waits until
// it listens.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { HELPER_FLAG, type HelperReply, type HelperStart } from './protocol.js';

export interface HelperHandle {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
}

const READY_TIMEOUT_MS = 10_000;
// Node reads these at start only: the CAs the main step trusted (a private CA, a TLS-inspecting proxy) must be
// trusted by the helper's renewals too. No secrets: those go over the IPC channel.
const TRUST_VARS = ['NODE_EXTRA_CA_CERTS', 'NODE_USE_SYSTEM_CA'];
// GitHub ends a job after 6 hours by default; the helper does not outlive that.
const MAX_LIFETIME_MS = 6 * 60 * 60_000;

/** `runnerTemp` is RUNNER_TEMP, where the log goes; without it, a fresh private directory of the system's. */
export async function startRefreshHelper(init: Omit<HelperStart, 'path' | 'watchPid' | 'exitBy'>, runnerTemp: string | undefined): Promise<HelperHandle> {
  const path = `/${randomBytes(32).toString('hex')}`;
  // RUNNER_TEMP may not exist yet (self-hosted runners, `env:` overrides): a missing directory must not fail the step.
  if (runnerTemp) mkdirSync(runnerTemp, { recursive: true, mode: 0o700 });
  const logDir = runnerTemp || mkdtempSync(join(tmpdir(), 'alibabacloud-credentials-'));
  const logFile = join(logDir, `alibabacloud-credentials-refresh-${process.pid}.log`);
  // 'wx': never append to, or through, a file someone else put there.
  const logFd = openSync(logFile, 'wx', 0o600);
  // process.argv[1] is this bundle (dist/main/index.js); the flag makes it the helper.
  const child = spawn(process.execPath, [process.argv[1], HELPER_FLAG], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { PATH: process.env.PATH ?? '', ...trustSettings(process.env) },
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
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ready: false, error: error.message });
    });
    child.send(start, (error) => {
      if (error) resolve({ ready: false, error: `it could not be given its work (${error.message})` });
    });
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (!reply.ready || child.pid === undefined) {
    child.kill();
    throw new ActionError(
      'server',
      `The refresh helper did not start: ${reply.ready ? 'no process ID' : reply.error}.`,
      `Its log is ${logFile}. Turn off \`refresh-credentials\` to go on without it.`,
    );
  }
  return { pid: child.pid, url: `http://127.0.0.1:${reply.port}${path}`, logFile };
}

function trustSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(TRUST_VARS.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}
