// The refresh helper: a detached process that serves the job's current credentials on a loopback credentials URI
// and runs the plan again before they expire. Started by start.ts; the post step asks it to stop (stop.ts); it also
// leaves on its own when the runner is gone or the job's time is up. It logs no secrets, one line per event.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readConfig } from '../config.js';
import { type Credentials, deserializeCredentials, isoSeconds } from '../credentials.js';
import { formatFailure } from '../errors.js';
import { flowSettings, runPlan } from '../flow.js';
import { makePlan } from '../plan.js';
import { jobContext } from '../sources/source.js';
import { oneLine } from '../text.js';
import { isRunning } from './process.js';
import { type HelperReply, type HelperStart, STOP_HEADER } from './protocol.js';

const WATCH_INTERVAL_MS = 5_000;
// Renew once this share of the session has passed, so consumers that fetch near expiry get fresh credentials.
const RENEW_AT = 0.7;
const MIN_DELAY_MS = 1_000;
// setTimeout fires at once for delays past 2^31-1 ms; far-off expirations are checked again within the hour.
const MAX_DELAY_MS = 60 * 60_000;
// Credentials whose expiry the source does not tell (the default chain's) are fetched again this often; the SDK's
// own providers renew 15 minutes before expiry, so these are never stale.
const UNKNOWN_EXPIRY_DELAY_MS = 5 * 60_000;
// Failed renewals are tried again after 1 s, 2 s, 4 s … up to this.
const MAX_BACKOFF_MS = 60_000;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${oneLine(message)}\n`);
}

export function serveRefreshes(): void {
  process.once('message', (message: HelperStart) => {
    start(message).catch((error: unknown) => {
      reply({ ready: false, error: formatFailure(error) });
      process.exit(1);
    });
  });
}

function reply(message: HelperReply): void {
  process.send?.(message);
  process.disconnect?.();
}

async function start(init: HelperStart): Promise<void> {
  const input = (name: string) => init.inputs[name] ?? '';
  const config = readConfig(input, init.env);
  const plan = makePlan(config, input, jobContext(init.env));
  let current: Credentials = deserializeCredentials(init.credentials);
  let port = 0;
  const server = createServer((req, res) =>
    answer(req, res, { path: init.path, port, stopToken: init.stopToken, current: () => current, stop: () => stop('asked to by the post step') }),
  );
  port = await listen(server);
  log(`Serving credentials on 127.0.0.1:${port} until ${new Date(init.exitBy).toISOString()}; credentials expire ${describeExpiry(current)}.`);
  reply({ ready: true, port });

  const stop = (why: string) => {
    log(`Stopping: ${why}.`);
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('terminated'));
  process.on('SIGINT', () => stop('interrupted'));
  // Under `docker exec` (container jobs) the parent is PID 0 or 1: nothing to watch, the post step and the
  // time limit stop the helper.
  const watch = init.watchPid > 1;
  if (!watch) log(`No runner process to watch (parent PID ${init.watchPid}); relying on the post step and the time limit.`);
  setInterval(() => {
    if (watch && !isRunning(init.watchPid)) stop(`the runner process ${init.watchPid} is gone`);
    if (Date.now() >= init.exitBy) stop("the job's time is up");
  }, WATCH_INTERVAL_MS);

  let failures = 0;
  const renew = async (): Promise<void> => {
    try {
      const result = await runPlan(plan, { ...flowSettings(config), env: init.env, onSecret: () => {}, log });
      current = result.credentials;
      failures = 0;
      log(`Renewed the credentials; they expire ${describeExpiry(current)}.`);
      schedule(renewalDelay(current));
    } catch (error) {
      // Keep serving the last good credentials (until they expire) and try again, backing off.
      failures++;
      const wait = retryDelay(failures);
      log(`Renewal failed, serving the previous credentials; next try in ${Math.round(wait)} ms. ${formatFailure(error).split('\n')[0]}`);
      schedule(wait);
    }
  };
  const schedule = (ms: number) => setTimeout(() => void renew(), ms);
  schedule(renewalDelay(current));
}

interface Served {
  readonly path: string;
  readonly port: number;
  readonly stopToken: string;
  current(): Credentials;
  stop(): void;
}

/**
 * One request to the helper. Only this machine's clients by name (127.0.0.1 or localhost, with the helper's port or
 * without a port: Alibaba's Python SDK, and so Prowler, sends the host name alone) and never a browser (no Origin):
 * a web page on a developer's machine cannot read the credentials by rebinding DNS, since its requests name the
 * page's host.
 */
export function answer(req: IncomingMessage, res: ServerResponse, served: Served): void {
  const hosts = ['127.0.0.1', 'localhost'].flatMap((name) => [name, `${name}:${served.port}`]);
  if (!hosts.includes(String(req.headers.host ?? '').toLowerCase()) || req.headers.origin !== undefined) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden\n');
    return;
  }
  if (req.url !== served.path) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    return;
  }
  if (req.method === 'DELETE' && req.headers[STOP_HEADER] === served.stopToken) {
    res.writeHead(202, { 'content-type': 'text/plain' }).end('Stopping\n', () => served.stop());
    return;
  }
  if (req.method !== 'GET') {
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET' }).end('Method not allowed\n');
    return;
  }
  const current = served.current();
  // Expired credentials would fail later, far from the cause; an error here names it.
  if (current.expiration && current.expiration.getTime() <= Date.now()) {
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ Code: 'Expired', Message: 'The credentials expired and every renewal since has failed; see the refresh helper log.' }));
    return;
  }
  // The shape every consumer of a credentials URI accepts: Code "Success", Expiration to the second (docs/CONSUMERS.md).
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
    JSON.stringify({
      Code: 'Success',
      AccessKeyId: current.accessKeyId,
      AccessKeySecret: current.accessKeySecret,
      SecurityToken: current.securityToken,
      Expiration: current.expiration ? isoSeconds(current.expiration) : undefined,
    }),
  );
}

/** When to renew credentials that were just obtained. */
export function renewalDelay(credentials: Credentials, now = Date.now()): number {
  if (!credentials.expiration) return credentials.securityToken ? UNKNOWN_EXPIRY_DELAY_MS : MAX_DELAY_MS;
  return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, (credentials.expiration.getTime() - now) * RENEW_AT));
}

/** When to try again after the n-th failed renewal in a row: 1 s, 2 s, 4 s … up to a minute. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, MIN_DELAY_MS * 2 ** (failures - 1));
}

function describeExpiry(credentials: Credentials): string {
  return credentials.expiration ? `at ${isoSeconds(credentials.expiration)}` : 'at a time the source does not tell';
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
