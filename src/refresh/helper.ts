// The refresh helper: a detached process that serves the job's current credentials on a loopback
// credentials URI and assumes the role again before they expire. Started by start.ts, stopped by the post
// step; it also leaves on its own when the runner is gone or the job's time is up. It logs no secrets.

import { createServer, type Server } from 'node:http';
import { readConfig } from '../config.js';
import { deserializeCredentials, isoSeconds, type Credentials } from '../credentials.js';
import { formatFailure } from '../errors.js';
import { flowSettings, runPlan } from '../flow.js';
import { makePlan } from '../plan.js';
import { jobContext } from '../sources/source.js';
import { isRunning } from './process.js';
import type { HelperReply, HelperStart } from './protocol.js';

const WATCH_INTERVAL_MS = 5_000;
// Renew once this share of the session has passed, so consumers that fetch near expiry get fresh credentials.
const RENEW_AT = 0.7;
const MIN_RETRY_MS = 1_000;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
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
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== init.path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    // Expired credentials would fail later, far from the cause; an error here names it.
    if (current.expiration && current.expiration.getTime() <= Date.now()) {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Code: 'Expired', Message: 'The credentials expired and every renewal since has failed; see the refresh helper log.' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: current.accessKeyId,
        AccessKeySecret: current.accessKeySecret,
        SecurityToken: current.securityToken,
        Expiration: current.expiration ? isoSeconds(current.expiration) : undefined,
      }),
    );
  });
  const port = await listen(server);
  log(`Serving credentials on 127.0.0.1:${port} until ${new Date(init.exitBy).toISOString()}; credentials expire ${describeExpiry(current)}.`);
  reply({ ready: true, port });

  const stop = (why: string) => {
    log(`Stopping: ${why}.`);
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('asked to by the post step'));
  process.on('SIGINT', () => stop('interrupted'));
  // Under `docker exec` (container jobs) the parent is PID 0 or 1: nothing to watch, the post step and the
  // time limit stop the helper.
  const watch = init.watchPid > 1;
  if (!watch) log(`No runner process to watch (parent PID ${init.watchPid}); relying on the post step and the time limit.`);
  setInterval(() => {
    if (watch && !isRunning(init.watchPid)) stop(`the runner process ${init.watchPid} is gone`);
    if (Date.now() >= init.exitBy) stop("the job's time is up");
  }, WATCH_INTERVAL_MS);

  const renew = async (): Promise<void> => {
    try {
      const result = await runPlan(plan, { ...flowSettings(config), env: init.env, onSecret: () => {}, log: (message) => log(printable(message)) });
      current = result.credentials;
      log(`Renewed the credentials; they expire ${describeExpiry(current)}.`);
      schedule(renewDelay(current));
    } catch (error) {
      // Keep serving the last good credentials; try again well before they run out.
      const left = (current.expiration?.getTime() ?? Date.now()) - Date.now();
      const wait = Math.max(MIN_RETRY_MS, Math.min(30_000, left / 4));
      log(`Renewal failed, serving the previous credentials; next try in ${Math.round(wait)} ms. ${printable(formatFailure(error).split('\n')[0])}`);
      schedule(wait);
    }
  };
  const schedule = (ms: number) => setTimeout(() => void renew(), ms);
  schedule(renewDelay(current));
}

// setTimeout fires at once for delays past 2^31-1 ms; far-off expirations are checked again within the hour.
const MAX_DELAY_MS = 60 * 60_000;

function renewDelay(credentials: Credentials, now = Date.now()): number {
  if (!credentials.expiration) return MAX_DELAY_MS;
  return Math.min(MAX_DELAY_MS, Math.max(MIN_RETRY_MS, (credentials.expiration.getTime() - now) * RENEW_AT));
}

/** Text from STS or a broker goes into the log on one line without control characters. */
function printable(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ');
}

function describeExpiry(credentials: Credentials): string {
  return credentials.expiration ? `at ${isoSeconds(credentials.expiration)}` : 'never';
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
