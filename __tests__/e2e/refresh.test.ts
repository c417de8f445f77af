// e2e of `refresh-credentials`: the built bundle leaves a detached helper that serves the job's credentials on a
// loopback credentials URI and renews them before they expire. Nothing is mocked: dist/main and dist/post run as
// the runner runs them, the helper is the real detached process, STS and GitHub's token endpoint are the loopback
// emulator, and the later steps are real consumers (__tests__/consumers/consumers.ts): Alibaba's Node SDK with
// nothing but ALIBABA_CLOUD_CREDENTIALS_URI, its Python (Prowler's pin and newest) and Go SDKs built from that URI,
// and Prowler started with --credentials-uri.
//
// The emulator runs at timeScale 1/13: a 900 s session lasts 70 s of real time (the action refuses credentials that
// expire within a minute, so sessions cannot be shorter), and the helper renews at 70% of it. Every test is
// concurrent, each against an emulator of its own so that their faults and requests do not mix, and all are in one
// describe block: jest runs the concurrent tests of one block together, and blocks one after another.

import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator, RequestRecord } from '../../emulator/types.js';
import { goConsumer, nodeConsumer, type PythonCase, prowlerCli, prowlerProxy, pythonConsumers, reachEmulator } from '../consumers/consumers.js';
import { findLeaks, newJob, oidcJobEnv, ROOT, runNode, type Job, type StepResult } from './runner.js';

const ACCOUNT = '1234567890123456';
const SESSION = 'refresh-e2e';
const CONSUMER = join(ROOT, '__tests__', 'e2e', 'consumer.mjs');
const STATE_REFRESH = 'refresh-helper';
const HELPER_FLAG = '--refresh-helper';
const TIME_SCALE = 1 / 13;
/** A 900 s session, in real milliseconds. */
const SESSION_MS = Math.ceil(900 * TIME_SCALE) * 1000;

/** Every helper any test started: killed at the end if a failing test left it behind. */
const helperPids = new Set<number>();
const worlds: World[] = [];

afterAll(async () => {
  for (const pid of helperPids) if (isOurHelper(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(worlds.map((w) => w.em.close()));
});

interface World {
  readonly em: Emulator;
  readonly user: AccessKey;
  readonly providerArn: string;
  readonly oidcRoleArn: string;
  readonly akRoleArn: string;
}

/** An emulator of the test's own, with an OIDC provider, a role for each flow and a RAM user. */
async function newWorld(options: { tls?: boolean } = {}): Promise<World> {
  const em = await startEmulator({ timeScale: TIME_SCALE, ...options });
  const providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  const w: World = {
    em,
    user: await em.addUser({ accountId: ACCOUNT, name: 'ci' }),
    providerArn,
    oidcRoleArn: (await em.addRole({ accountId: ACCOUNT, name: 'gha-refresh', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn,
    akRoleArn: (await em.addRole({ accountId: ACCOUNT, name: 'ak-refresh' })).arn,
  };
  worlds.push(w);
  return w;
}

function oidcInputs(w: World, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'role-to-assume': w.oidcRoleArn,
    'oidc-provider-arn': w.providerArn,
    'role-session-name': SESSION,
    'role-session-expiration': '900',
    'sts-endpoint': `${w.em.url.startsWith('https') ? 'https' : 'http'}://${w.em.stsHost}`,
    'refresh-credentials': 'true',
    ...extra,
  };
}

function akInputs(w: World, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'access-key-id': w.user.accessKeyId,
    'access-key-secret': w.user.accessKeySecret,
    'role-to-assume': w.akRoleArn,
    'role-session-name': SESSION,
    'role-session-expiration': '900',
    'sts-endpoint': `${w.em.url.startsWith('https') ? 'https' : 'http'}://${w.em.stsHost}`,
    'refresh-credentials': 'true',
    ...extra,
  };
}

interface Helper {
  readonly pid: number;
  readonly logFile: string;
  readonly uri: string;
  /** The random path segment: a secret like the credentials it guards. */
  readonly pathSecret: string;
  /** What lets the post step stop it: a secret too. */
  readonly stopToken: string;
}

/** The helper a successful main step left: its state for the post step and the URI exported to later steps. */
function helperOf(result: StepResult, exported: Record<string, string>): Helper {
  const raw = result.state[STATE_REFRESH];
  expect(raw).toBeDefined();
  const { pid, logFile, url, stopToken } = JSON.parse(raw) as { pid: number; logFile: string; url: string; stopToken: string };
  expect(Number.isInteger(pid)).toBe(true);
  helperPids.add(pid);
  const uri = exported.ALIBABA_CLOUD_CREDENTIALS_URI;
  expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{64}$/);
  expect(url).toBe(uri);
  expect(stopToken).toMatch(/^[0-9a-f]{64}$/);
  return { pid, logFile, uri, pathSecret: new URL(uri).pathname.slice(1), stopToken };
}

/**
 * The OIDC flow from a token file (as on ACK RRSA runners) whose token outlives the test, with retries off: only
 * the faults a test queues can fail an attempt, and each fails a whole renewal.
 */
async function runWithFaultsOnly(w: World, j: Job): Promise<{ main: StepResult; helper: Helper }> {
  const tokenFile = join(j.dir, 'oidc-token');
  writeFileSync(tokenFile, await w.em.mintToken({ expiresInSeconds: 3600 }));
  return runMain(w, j, oidcInputs(w, { 'oidc-token-file': tokenFile, 'retry-max-attempts': '1' }));
}

async function runMain(w: World, j: Job, inputs: Record<string, string>): Promise<{ main: StepResult; helper: Helper }> {
  const main = await j.main(inputs);
  expect(main.error).toBeUndefined();
  expect(main.code).toBe(0);
  const helper = helperOf(main, j.laterStepEnv());
  expect(isOurHelper(helper.pid)).toBe(true);
  // The path is masked (it is what keeps other local processes out), and nothing secret reached the log.
  expect(main.masks).toContain(helper.pathSecret);
  expect(main.masks).toContain(helper.stopToken);
  expect(findLeaks(main, [...(await w.em.secrets()), w.user.accessKeySecret, helper.pathSecret, helper.stopToken])).toEqual([]);
  // The helper got its secrets (source keys, the OIDC request token, the path) over IPC: none is in its argv or
  // environment, which other processes of the same user can read.
  const own = readProc(helper.pid);
  if (own === undefined) console.warn("no /proc here: the helper's argv and environment are not checked");
  else
    expect(
      findLeaks({ stdout: own, stderr: '', summary: '' }, [...(await w.em.secrets()), w.user.accessKeySecret, helper.pathSecret, helper.stopToken]),
    ).toEqual([]);
  return { main, helper };
}

/** A later step's environment with ONLY the credentials URI: every key, secret and token variable is gone. */
function uriOnlyEnv(j: Job): Record<string, string> {
  const later = j.laterStepEnv();
  expect(later.ALIBABA_CLOUD_ACCESS_KEY_ID).toBeTruthy(); // exported too, for consumers that do not read the URI
  return { PATH: later.PATH, HOME: later.HOME, ALIBABA_CLOUD_CREDENTIALS_URI: later.ALIBABA_CLOUD_CREDENTIALS_URI };
}

interface ConsumerCall {
  accountId: string;
  arn: string;
  identityType: string;
  accessKeyId: string;
}
interface ConsumerOutput {
  ok: boolean;
  provider?: string;
  accessKeyId?: string;
  calls?: ConsumerCall[];
  error?: string;
}

async function consume(w: World, env: Record<string, string>, calls: number, pauseMs: number): Promise<ConsumerOutput> {
  const { code, stdout, stderr } = await runNode(CONSUMER, env, [w.em.stsHost, String(calls), String(pauseMs)]);
  const line = stdout.trim().split('\n').pop() ?? '';
  let out: ConsumerOutput;
  try {
    out = JSON.parse(line) as ConsumerOutput;
  } catch {
    throw new Error(`consumer printed no JSON (exit ${code}): ${stdout} ${stderr}`);
  }
  return out;
}

/** Every call of the consumer worked, as the assumed role, and it saw renewed AccessKeys on the way. */
function expectWorkedAcrossRenewals(out: ConsumerOutput, arn: string, calls: number): Set<string> {
  expect(out.error).toBeUndefined();
  expect(out.ok).toBe(true);
  expect(out.provider).toMatch(/credentials?_uri/);
  expect(out.calls).toHaveLength(calls);
  for (const call of out.calls ?? []) {
    expect(call.accountId).toBe(ACCOUNT);
    expect(call.arn).toBe(arn);
    expect(call.identityType).toBe('AssumedRoleUser');
  }
  const ids = new Set((out.calls ?? []).map((c) => c.accessKeyId));
  expect(ids.size).toBeGreaterThanOrEqual(2);
  return ids;
}

function helperLog(helper: Helper): string {
  return readFileSync(helper.logFile, 'utf8');
}

/** The helper's own log holds no secret, no AccessKey ID and not the random path. */
async function expectCleanLog(w: World, helper: Helper, extra: string[] = []): Promise<string> {
  const log = helperLog(helper);
  expect(log).toContain('Serving credentials on 127.0.0.1:');
  const secrets = [...(await w.em.secrets()), w.user.accessKeySecret, w.user.accessKeyId, helper.pathSecret, helper.stopToken, ...extra];
  expect(findLeaks({ stdout: log, stderr: '', summary: '' }, secrets)).toEqual([]);
  expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
  return log;
}

/** The post step stops the helper, shows its log in a group and leaks nothing; the URI is dead afterwards. */
async function expectPostStops(w: World, j: Job, helper: Helper): Promise<StepResult> {
  const post = await j.post();
  expect(post.code).toBe(0);
  expect(post.stdout).not.toMatch(/^::warning::/m);
  expect(post.stdout).toContain(`Stopped the refresh helper (process ${helper.pid}).`);
  const group = /^::group::Refresh helper log\n([\s\S]*?)^::endgroup::$/m.exec(post.stdout);
  expect(group).not.toBeNull();
  expect(group?.[1]).toContain('Serving credentials on 127.0.0.1:');
  expect(group?.[1]).toContain('Stopping: asked to by the post step.');
  expect(findLeaks(post, [...(await w.em.secrets()), w.user.accessKeySecret, helper.pathSecret, helper.stopToken])).toEqual([]);
  // The helper closes its port, then exits: the post step sees the first, and under load the exit follows a moment later.
  expect(await waitUntilGone(helper.pid, 5_000)).toBe(true);
  const after = await get(helper.uri);
  expect(after.status).toBe(0);
  expect(after.error).toMatch(/ECONNREFUSED|ECONNRESET/);
  return post;
}

// --- processes and raw HTTP -------------------------------------------------------------------------------------

function readProc(pid: number): string | undefined {
  try {
    return ['cmdline', 'environ'].map((name) => readFileSync(`/proc/${pid}/${name}`, 'utf8').replace(/\0/g, '\n')).join('\n');
  } catch {
    return undefined;
  }
}

/** Gone: no such process, or a zombie (it has ended; PID 1 of a container may never reap it). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function isOurHelper(pid: number): boolean {
  if (isGone(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(HELPER_FLAG);
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (isGone(pid)) return true;
    await sleep(100);
  }
  return isGone(pid);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  status: number;
  body: string;
  error?: string;
}

function get(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers, agent: false, timeout: 3000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: error.code ?? error.message }));
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Local addresses of the sockets listening on `port`, from /proc/net/tcp{,6} (hex, as the kernel writes them). */
function listeningAddresses(port: number): string[] | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      if (file === '/proc/net/tcp') return undefined;
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) found.push(local.slice(0, local.lastIndexOf(':')));
    }
  }
  return found;
}

function stsRequests(records: RequestRecord[], target: RequestRecord['target']): RequestRecord[] {
  return records.filter((r) => r.target === target).sort((a, b) => a.time - b.time);
}

// ---------------------------------------------------------------------------------------------------------------

// One describe block: jest runs the concurrent tests of a block together, and the blocks one after the other.
describe('refresh-credentials', () => {
  it.concurrent(
    'OIDC flow: every real consumer built from ALIBABA_CLOUD_CREDENTIALS_URI keeps working across two expiries, Prowler started with --credentials-uri gets current credentials whenever it starts, each renewal with a fresh OIDC token',
    async () => {
      // Over HTTPS, with the emulator's CA trusted by the job, so that Prowler can reach STS and RAM at their names.
      const w = await newWorld({ tls: true });
      const proxy = await prowlerProxy(w.em.stsHost);
      try {
        const ca = w.em.caFile ?? '';
        const j = newJob({ ...oidcJobEnv(w.em), NODE_EXTRA_CA_CERTS: ca });
        const { main, helper } = await runMain(w, j, oidcInputs(w));
        const arn = `acs:ram::${ACCOUNT}:assumed-role/gha-refresh/${SESSION}`;
        expect(main.outputs['assumed-role-arn']).toBe(arn);
        expect(main.summary).toMatch(/Refresh/);

        // The SDKs: 4 calls each, spread over a little more than two sessions, so the last comes after the second
        // expiry. Node walks its default chain with nothing but the URI in the environment; Python and Go build their
        // client from the URI (docs/CONSUMERS.md) in the later step's whole environment, exported keys included.
        const pause = Math.ceil((2 * SESSION_MS + 5_000) / 3);
        const later = reachEmulator(j.laterStepEnv(), ca);
        const sdk = (id: string): PythonCase => ({ id, kind: 'sdk', env: later, stsHost: w.em.stsHost, uri: true, calls: 4, pauseMs: pause });
        // Prowler reads its credentials once, when it starts: it is started at the beginning, after the first and
        // after the second expiry, and must get the credentials the helper serves then (its AlibabacloudProvider
        // built as `--credentials-uri` builds it, and the whole CLI once).
        const prowlerEnv = { ...later, HTTPS_PROXY: proxy.url };
        const prowlerAt = (id: string, startAfterMs: number): PythonCase => ({
          id,
          kind: 'prowler',
          env: prowlerEnv,
          startAfterMs,
          prowler: { credentials_uri: helper.uri },
        });
        const [node, go, pinned, newest, cli] = await Promise.all([
          nodeConsumer(reachEmulator(uriOnlyEnv(j), ca), w.em.stsHost, { calls: 4, pauseMs: pause }),
          goConsumer(later, w.em.stsHost, { uri: true, calls: 4, pauseMs: pause }),
          pythonConsumers('prowler', [
            sdk('python'),
            prowlerAt('prowler at the start', 0),
            prowlerAt('prowler after one expiry', SESSION_MS + 3_000),
            prowlerAt('prowler after two expiries', 2 * SESSION_MS + 5_000),
          ]),
          pythonConsumers('python-sdk', [sdk('python')]),
          sleep(SESSION_MS + 6_000).then(() =>
            prowlerCli(['alibabacloud', '--credentials-uri', helper.uri, '--region', 'cn-hangzhou', '--checks', 'ram_no_root_access_key'], prowlerEnv, j.dir),
          ),
        ]);
        const ids = new Set<string>();
        for (const [name, out] of [
          ['Node', node],
          ['Go', go],
          ['Python at Prowler’s pin', pinned.get('python')],
          ['Python, newest', newest.get('python')],
        ] as const) {
          expect([name, out?.error]).toEqual([name, undefined]);
          expect([name, out?.provider]).toEqual([name, expect.stringMatching(/credentials?_uri/)]);
          for (const id of expectWorkedAcrossRenewals(out as ConsumerOutput, arn, 4)) ids.add(id);
        }
        // Each Prowler start got the credentials served at that time: three different, valid keys of the role.
        const starts = ['prowler at the start', 'prowler after one expiry', 'prowler after two expiries'].map((id) => pinned.get(id));
        for (const [index, out] of starts.entries()) {
          expect([index, out?.error]).toEqual([index, undefined]);
          expect(out).toMatchObject({ ok: true, provider: 'URLCredentialsProvider', hasSecurityToken: true });
          expect(out?.calls?.[0]).toMatchObject({ accountId: ACCOUNT, arn });
          ids.add(out?.accessKeyId ?? '');
        }
        expect(new Set(starts.map((out) => out?.accessKeyId)).size).toBe(3);
        // The CLI, started after the first expiry, scanned with the helper's credentials.
        expect({ code: cli.code, stderr: cli.stderr.slice(-2000) }).toMatchObject({ code: 0 });
        const cliOut = stripVTControlCharacters(cli.stdout); // without its colours
        expect(cliOut).toContain(`Alibaba Cloud Account: ${ACCOUNT}`);
        expect(cliOut).toMatch(/Executing 1 checks?/);

        const records = await w.em.requests();
        const assumes = stsRequests(records, 'AssumeRoleWithOIDC');
        const tokens = stsRequests(records, 'oidc-token');
        expect(assumes.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
        for (const r of [...assumes, ...tokens]) expect(r.status).toBe(200);
        // A fresh token for every assume: between two assumes there is a token request of its own.
        for (let i = 0; i < assumes.length; i++) {
          const after = i === 0 ? 0 : assumes[i - 1].time;
          expect(tokens.some((t) => t.time >= after && t.time <= assumes[i].time)).toBe(true);
        }
        // The helper never signs anything itself: every GetCallerIdentity came from a consumer, with served keys (all
        // but the CLI's, which may have had a key of its own generation, are among those the consumers reported).
        const calls = stsRequests(records, 'GetCallerIdentity');
        for (const r of calls) expect([r.status, r.accessKeyId?.startsWith('STS.')]).toEqual([200, true]);
        expect(calls.filter((r) => !ids.has(r.accessKeyId ?? '')).length).toBeLessThanOrEqual(1);

        const log = await expectCleanLog(w, helper, [...ids]);
        expect(log).toContain('Renewed the credentials');
        await expectPostStops(w, j, helper);
      } finally {
        await proxy.close();
      }
    },
    4 * SESSION_MS,
  );

  it.concurrent(
    'AccessKey + role-to-assume: renewals are AssumeRole calls signed by the same source key',
    async () => {
      const w = await newWorld();
      const j = newJob();
      const { main, helper } = await runMain(w, j, akInputs(w));
      const arn = `acs:ram::${ACCOUNT}:assumed-role/ak-refresh/${SESSION}`;
      expect(main.outputs['assumed-role-arn']).toBe(arn);

      const out = await consume(w, uriOnlyEnv(j), 3, Math.ceil(SESSION_MS * 0.6));
      const ids = expectWorkedAcrossRenewals(out, arn, 3);
      // The consumer never saw the source key: only assumed-role keys were served.
      expect(ids.has(w.user.accessKeyId)).toBe(false);

      const assumes = stsRequests(await w.em.requests(), 'AssumeRole');
      expect(assumes.length).toBeGreaterThanOrEqual(2);
      for (const r of assumes) {
        expect(r.status).toBe(200);
        expect(r.accessKeyId).toBe(w.user.accessKeyId);
        expect(r.params?.RoleArn).toBe(w.akRoleArn);
      }

      await expectCleanLog(w, helper, [...ids]);
      await expectPostStops(w, j, helper);
    },
    3 * SESSION_MS,
  );

  it.concurrent(
    'a failing renewal is survived: the last good credentials are served, tries back off (1 s, 2 s), a later try succeeds',
    async () => {
      const w = await newWorld();
      const j = newJob();
      const { helper } = await runWithFaultsOnly(w, j);
      const arn = `acs:ram::${ACCOUNT}:assumed-role/gha-refresh/${SESSION}`;
      // The main step is done: these faults can only hit the helper's renewals.
      await w.em.queueFault('AssumeRoleWithOIDC', { kind: 'status', status: 503 });
      await w.em.queueFault('AssumeRoleWithOIDC', { kind: 'reset' });

      // Watch what the URI serves while a consumer works through the failures.
      const served: { at: number; id: string; expiration: number }[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const reply = await get(helper.uri);
          if (reply.status === 200) {
            const body = JSON.parse(reply.body) as { AccessKeyId: string; Expiration: string };
            served.push({ at: Date.now(), id: body.AccessKeyId, expiration: Date.parse(body.Expiration) });
          }
          await sleep(250);
        }
      })();
      const out = await consume(w, uriOnlyEnv(j), 4, Math.ceil(SESSION_MS / 3));
      watching = false;
      await watcher;
      const ids = expectWorkedAcrossRenewals(out, arn, 4);

      const records = await w.em.requests();
      expect(stsRequests(records, 'oidc-token')).toEqual([]);
      const assumes = stsRequests(records, 'AssumeRoleWithOIDC');
      const failed = assumes.filter((r) => r.status !== 200);
      expect(failed.map((r) => r.fault)).toEqual(['status', 'reset']);
      const recovered = assumes.find((r) => r.status === 200 && r.time > failed[1].time);
      expect(recovered).toBeDefined();
      // Backing off: about 1 s between the first two tries, about 2 s before the third.
      expect(failed[1].time - failed[0].time).toBeGreaterThanOrEqual(900);
      expect((recovered?.time ?? 0) - failed[1].time).toBeGreaterThanOrEqual(1_900);
      // From the first failure until the renewal that worked, the URI served one and the same, still valid, key.
      const during = served.filter((s) => s.at > failed[0].time && s.at < (recovered?.time ?? 0));
      expect(during.length).toBeGreaterThan(0);
      expect(new Set(during.map((s) => s.id)).size).toBe(1);
      for (const s of during) expect(s.expiration).toBeGreaterThan(s.at);
      // ...and new credentials after it.
      expect(served.some((s) => s.at > (recovered?.time ?? 0) + 500 && s.id !== during[0].id)).toBe(true);

      const log = await expectCleanLog(w, helper, [...ids, ...served.map((s) => s.id)]);
      expect(log.match(/Renewal failed, serving the previous credentials; next try in (\d+) ms/g)).toEqual([
        'Renewal failed, serving the previous credentials; next try in 1000 ms',
        'Renewal failed, serving the previous credentials; next try in 2000 ms',
      ]);
      expect(log).toMatch(/Renewal failed[^\n]*\n[\s\S]*Renewed the credentials/);
      await expectPostStops(w, j, helper);
    },
    3 * SESSION_MS,
  );

  it.concurrent(
    'when every renewal fails until the credentials expire, it answers 503 instead of serving expired keys',
    async () => {
      const w = await newWorld();
      const j = newJob();
      const { helper } = await runWithFaultsOnly(w, j);
      await w.em.queueFault('AssumeRoleWithOIDC', { kind: 'status', status: 503 }, 500);
      const first = await get(helper.uri);
      expect(first.status).toBe(200);
      const { Expiration } = JSON.parse(first.body) as { Expiration: string };
      await sleep(Math.max(0, Date.parse(Expiration) - Date.now()) + 500);
      const late = await get(helper.uri);
      expect(late.status).toBe(503);
      expect(JSON.parse(late.body)).toMatchObject({ Code: 'Expired' });
      expect(late.body).not.toMatch(/AccessKey|SecurityToken/);
      const log = await expectCleanLog(w, helper);
      // Backing off, never faster than once a second, and never more than a minute apart.
      const waits = [...log.matchAll(/next try in (\d+) ms/g)].map((m) => Number(m[1]));
      expect(waits.length).toBeGreaterThanOrEqual(3);
      expect(waits.slice(0, 4)).toEqual([1000, 2000, 4000, 8000].slice(0, Math.min(4, waits.length)));
      for (const wait of waits) expect(wait).toBeLessThanOrEqual(60_000);
      await expectPostStops(w, j, helper);
    },
    2 * SESSION_MS,
  );

  it.concurrent('answers only GET on its random path, on 127.0.0.1, to clients that name it 127.0.0.1 or localhost (with its port or, as Alibaba’s Python SDK does, without), and never to a browser', async () => {
    const w = await newWorld();
    const j = newJob();
    const { main, helper } = await runMain(w, j, akInputs(w));
    const url = new URL(helper.uri);
    const port = Number(url.port);
    const servedSecret = j.laterStepEnv().ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    expect(servedSecret).toBeTruthy();

    const good = await get(helper.uri);
    expect(good.status).toBe(200);
    const body = JSON.parse(good.body) as Record<string, string>;
    expect(body.Code).toBe('Success');
    expect(body.AccessKeyId).toBe(j.laterStepEnv().ALIBABA_CLOUD_ACCESS_KEY_ID);
    expect(body.AccessKeySecret).toBe(servedSecret);
    expect(body.SecurityToken).toBe(j.laterStepEnv().ALIBABA_CLOUD_SECURITY_TOKEN);
    expect(body.Expiration).toBe(main.outputs.expiration);
    expect((await get(helper.uri, 'GET', { host: `localhost:${port}` })).status).toBe(200);
    // alibabacloud_credentials/provider/uri.py sets the host header to urlparse(uri).hostname: no port.
    for (const host of ['127.0.0.1', 'localhost']) expect([host, (await get(helper.uri, 'GET', { host })).status]).toEqual([host, 200]);

    const refused: Array<[string, string, Record<string, string>, number[]]> = [
      ['root', `${url.origin}/`, {}, [404]],
      ['short path', `${url.origin}/${helper.pathSecret.slice(0, -1)}`, {}, [404]],
      ['trailing slash', `${url.origin}/${helper.pathSecret}/`, {}, [404]],
      ['upper case', `${url.origin}/${helper.pathSecret.toUpperCase()}`, {}, [404]],
      ['zeros', `${url.origin}/${'0'.repeat(64)}`, {}, [404]],
      ['another path', `${url.origin}/credentials`, {}, [404]],
      // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
      ['foreign Host', helper.uri, { host: `evil.example:${port}` }, [403]],
      ['foreign Host without a port', helper.uri, { host: 'evil.example' }, [403]],
      ['another port', helper.uri, { host: `127.0.0.1:${port + 1}` }, [403]],
      ['a browser (Origin)', helper.uri, { origin: 'http://localhost:3000' }, [403]],
      ['a browser (Origin null)', helper.uri, { origin: 'null' }, [403]],
    ];
    for (const [name, target, headers, statuses] of refused) {
      const reply = await get(target, 'GET', headers);
      expect([name, statuses.includes(reply.status)]).toEqual([name, true]);
      expect(reply.body).not.toContain(body.AccessKeyId);
      expect(reply.body).not.toContain(servedSecret);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const reply = await get(helper.uri, method);
      expect([method, reply.status]).toEqual([method, 405]);
      expect(reply.body).not.toContain(body.AccessKeyId);
    }
    // A DELETE with a wrong stop token stops nothing.
    expect((await get(helper.uri, 'DELETE', { 'x-refresh-helper-stop': '0'.repeat(64) })).status).toBe(405);
    expect((await get(helper.uri)).status).toBe(200);

    // Listening on 127.0.0.1 only: the kernel's socket table, where Linux has one, and no other address connects.
    const listening = listeningAddresses(port);
    if (listening === undefined) console.warn('no /proc/net/tcp here: the listen address is checked by connecting only');
    else expect(listening).toEqual(['0100007F']);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) expect([address, await tryConnect(address, port)]).not.toEqual([address, 'connected']);

    // It holds no file of the job open: only its log (as stdout and stderr), /dev/null, and its own sockets.
    const fds = openFiles(helper.pid);
    if (fds === undefined) console.warn("no /proc/<pid>/fd here: the helper's open files are not checked");
    else {
      const files = fds.filter((target) => target.startsWith('/'));
      expect(files.filter((target) => target !== helper.logFile && target !== '/dev/null')).toEqual([]);
      expect(files.filter((target) => target === helper.logFile)).toHaveLength(2);
    }

    await expectCleanLog(w, helper);
    await expectPostStops(w, j, helper);
  }, 60_000);
  it.concurrent(
    'default-chain: the runner’s credentials file signs each renewal (the Python SDK’s credentials.ini: the helper walks the chain again)',
    async () => {
      const w = await newWorld();
      const j = newJob({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });
      mkdirSync(join(j.env.HOME, '.alibabacloud'), { mode: 0o700 });
      writeFileSync(
        join(j.env.HOME, '.alibabacloud', 'credentials.ini'),
        `[default]\ntype = access_key\naccess_key_id = ${w.user.accessKeyId}\naccess_key_secret = ${w.user.accessKeySecret}\n`,
        { mode: 0o600 },
      );
      const { helper } = await runMain(w, j, {
        'default-chain': 'true',
        'role-to-assume': w.akRoleArn,
        'role-session-expiration': '900',
        'sts-endpoint': `http://${w.em.stsHost}`,
        'refresh-credentials': 'true',
      });
      const first = JSON.parse((await get(helper.uri)).body) as { AccessKeyId: string };
      await sleep(SESSION_MS * 0.8);
      const later = JSON.parse((await get(helper.uri)).body) as { AccessKeyId: string };
      expect(later.AccessKeyId).not.toBe(first.AccessKeyId);
      const log = await expectCleanLog(w, helper, [first.AccessKeyId, later.AccessKeyId]);
      expect(log).toContain(
        `The default credential chain answered through its profile provider. It read the credentials file ${join(j.env.HOME, '.alibabacloud', 'credentials.ini')}.`,
      );
      const assumes = stsRequests(await w.em.requests(), 'AssumeRole');
      expect(assumes.length).toBeGreaterThanOrEqual(2);
      for (const r of assumes) expect([r.status, r.accessKeyId]).toEqual([200, w.user.accessKeyId]);
      await expectPostStops(w, j, helper);
    },
    2 * SESSION_MS,
  );
  // Self-hosted runners behind a TLS-inspecting proxy, or an STS endpoint with a private CA, trust it through
  // NODE_EXTRA_CA_CERTS. The main step does; the helper it starts must too, or every renewal fails.
  it.concurrent(
    'over HTTPS with a CA the job trusts through NODE_EXTRA_CA_CERTS: the helper renews against that endpoint',
    async () => {
      const w = await newWorld({ tls: true });
      const j = newJob({ NODE_EXTRA_CA_CERTS: w.em.caFile ?? '' });
      const { helper } = await runMain(w, j, akInputs(w));
      const first = JSON.parse((await get(helper.uri)).body) as { AccessKeyId: string };

      // Past the first renewal (70% of the session): the served key must change, by AssumeRole calls STS answered.
      await sleep(SESSION_MS * 0.8);
      const later = await get(helper.uri);
      expect(later.status).toBe(200);
      const body = JSON.parse(later.body) as { AccessKeyId: string; Expiration: string };
      expect(body.AccessKeyId).not.toBe(first.AccessKeyId);
      expect(Date.parse(body.Expiration)).toBeGreaterThan(Date.now());
      const assumes = stsRequests(await w.em.requests(), 'AssumeRole');
      expect(assumes.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
      const log = helperLog(helper);
      expect(log).not.toContain('Renewal failed');
      await expectCleanLog(w, helper, [first.AccessKeyId, body.AccessKeyId]);
      await expectPostStops(w, j, helper);
    },
    2 * SESSION_MS,
  );
  // The main step's parent is what the helper watches (on GitHub, the runner's worker process). Here each step
  // runs under a short-lived intermediate parent that prints its PID, runs the step and exits right after it:
  // the helper must notice within its watch interval (5 s). The intermediate is node, not `sh -c`: dash drops
  // variables whose names are not shell names, such as INPUT_ROLE-TO-ASSUME.
  const PARENT = [
    process.execPath,
    '-e',
    "console.log('parent-pid=' + process.pid); require('node:child_process').spawn(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 1));",
  ];

  it.concurrent('the helper does not outlive the runner: it exits when the process it watches is gone; the post step then finds it ended', async () => {
    const w = await newWorld();
    const j = newJob({}, { wrap: PARENT });
    const main = await j.main(akInputs(w));
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);
    const parentPid = Number(/^parent-pid=(\d+)$/m.exec(main.stdout)?.[1]);
    expect(parentPid).toBeGreaterThan(0);
    const helper = helperOf(main, j.laterStepEnv());
    expect(findLeaks(main, [...(await w.em.secrets()), w.user.accessKeySecret, helper.pathSecret, helper.stopToken])).toEqual([]);

    // A liveness check, not a performance figure: 5 s watch interval plus generous slack.
    expect(await waitUntilGone(helper.pid, 15_000)).toBe(true);
    const log = await expectCleanLog(w, helper);
    expect(log).toContain(`Stopping: the runner process ${parentPid} is gone.`);
    // Later steps of such a job find nothing behind the URI...
    expect((await get(helper.uri)).status).toBe(0);

    // ...and the post step copes: it reports the helper as ended and still shows its log.
    const post = await j.post();
    expect(post.code).toBe(0);
    expect(post.stdout).not.toMatch(/^::warning::/m);
    expect(post.stdout).toContain(`The refresh helper (process ${helper.pid}) had already ended.`);
    expect(post.stdout).toMatch(/^::group::Refresh helper log\n[\s\S]*the runner process \d+ is gone[\s\S]*^::endgroup::$/m);
    expect(findLeaks(post, [...(await w.em.secrets()), w.user.accessKeySecret, helper.pathSecret, helper.stopToken])).toEqual([]);
  }, 60_000);
  it.concurrent('input error before any request: static AccessKeys without role-to-assume have nothing to refresh', async () => {
    const w = await newWorld();
    const j = newJob();
    const result = await j.main({
      'access-key-id': w.user.accessKeyId,
      'access-key-secret': w.user.accessKeySecret,
      'sts-endpoint': `http://${w.em.stsHost}`,
      'refresh-credentials': 'true',
    });
    expect(result.code).toBe(1);
    expect(result.error).toMatch(/refresh-credentials/);
    expect(result.error).toMatch(/role-to-assume/);
    expect(result.state[STATE_REFRESH]).toBeUndefined();
    expect(result.exported).toEqual({});
    expect(await w.em.requests()).toEqual([]);
    expect(findLeaks(result, [...(await w.em.secrets()), w.user.accessKeySecret])).toEqual([]);
  });

  it.concurrent('input error before any request: export-env: false leaves later steps no way to find the URI', async () => {
    const w = await newWorld();
    const j = newJob(oidcJobEnv(w.em));
    const result = await j.main(oidcInputs(w, { 'export-env': 'false' }));
    expect(result.code).toBe(1);
    expect(result.error).toMatch(/refresh-credentials/);
    expect(result.error).toMatch(/export-env/);
    expect(result.state[STATE_REFRESH]).toBeUndefined();
    expect(result.exported).toEqual({});
    expect(await w.em.requests()).toEqual([]);
    expect(findLeaks(result, await w.em.secrets())).toEqual([]);
  });

  it.concurrent('input error before any request: a RUNNER_TEMP that is a symbolic link is refused, and nothing is exported', async () => {
    const w = await newWorld();
    const j = newJob();
    const real = join(j.dir, 'elsewhere');
    mkdirSync(real);
    const link = join(j.dir, 'temp-link');
    symlinkSync(real, link);
    const result = await j.main(akInputs(w), { RUNNER_TEMP: link });
    expect(result.code).toBe(1);
    expect(result.error).toMatch(/^RUNNER_TEMP \(.*temp-link\) is a symbolic link/);
    expect(result.state[STATE_REFRESH]).toBeUndefined();
    expect(result.exported).toEqual({});
    expect(readdirSync(real)).toEqual([]);
    expect(findLeaks(result, [...(await w.em.secrets()), w.user.accessKeySecret])).toEqual([]);
  });
});

/** Where the process's file descriptors point (Linux), or undefined without /proc. */
function openFiles(pid: number): string[] | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return undefined;
  }
}
