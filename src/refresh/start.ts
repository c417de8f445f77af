// Starts the refresh helper as a detached process that outlives the main step, hands it what it needs over
// an IPC channel (never argv or files: the source keys and OIDC request token are in there), and waits until
// it listens.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { pickSet } from '../inputs.js';
import { HELPER_FLAG, type HelperReply, type HelperStart, type HelperState, LOG_DIR_PREFIX } from './protocol.js';

const READY_TIMEOUT_MS = 10_000;
// The network settings of the job: the CAs the main step trusted (a private CA, a TLS-inspecting proxy; Node reads
// these at start only) and the proxy its requests went through. The credentials go over the IPC channel.
const NETWORK_VARS = ['NODE_EXTRA_CA_CERTS', 'NODE_USE_SYSTEM_CA', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
// The runner's mark on the job's processes: when the job completes, it ends every process it did not start before
// the job whose environment holds the job's RUNNER_TRACKING_ID (actions/runner, src/Runner.Worker/JobExtension.cs,
// FinalizeJob). Kept, so that a helper left behind (its post step never ran, or could not stop it) is ended too.
const RUNNER_VARS = ['RUNNER_TRACKING_ID'];
// GitHub ends a job after 6 hours by default; the helper does not outlive that.
const MAX_LIFETIME_MS = 6 * 60 * 60_000;

/** `runnerTemp` is RUNNER_TEMP, where the log goes. */
export async function startRefreshHelper(
  init: Omit<HelperStart, 'path' | 'stopToken' | 'watchPid' | 'exitBy'>,
  runnerTemp: string | undefined,
): Promise<HelperState> {
  const path = `/${randomBytes(32).toString('hex')}`;
  const stopToken = randomBytes(32).toString('hex');
  // RUNNER_TEMP may not exist yet (self-hosted runners, `env:` overrides): a missing directory must not fail the step.
  if (runnerTemp) mkdirSync(runnerTemp, { recursive: true, mode: 0o700 });
  if (runnerTemp && lstatSync(runnerTemp).isSymbolicLink()) {
    throw new ActionError(
      'input',
      `RUNNER_TEMP (${runnerTemp}) is a symbolic link; the refresh helper does not write its log through links.`,
      'Point RUNNER_TEMP at a real directory of the runner, or turn off `refresh-credentials`.',
    );
  }
  const logDir = runnerTemp || mkdtempSync(join(tmpdir(), LOG_DIR_PREFIX));
  const logFile = join(logDir, `alibabacloud-credentials-refresh-${randomBytes(8).toString('hex')}.log`);
  // 'wx': never append to, or through, a file someone else put there.
  const logFd = openSync(logFile, 'wx', 0o600);
  // process.argv[1] is this bundle (dist/main/index.js); the flag makes it the helper.
  const child = spawn(process.execPath, [process.argv[1], HELPER_FLAG], {
    detached: true,
    windowsHide: true,
    // Only the log (as stdout and stderr) and the IPC channel, which is closed once the helper listens.
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { PATH: process.env.PATH ?? '', ...pickSet(process.env, [...NETWORK_VARS, ...RUNNER_VARS]) },
  });
  closeSync(logFd);
  const start: HelperStart = { ...init, path, stopToken, watchPid: process.ppid, exitBy: Date.now() + MAX_LIFETIME_MS };
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
  return { pid: child.pid, url: `http://127.0.0.1:${reply.port}${path}`, stopToken, logFile };
}
