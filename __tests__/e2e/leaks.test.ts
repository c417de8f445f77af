// Leak sweep: the flows and options of the action that faults.test.ts does not cover (it scans its own fault
// scenarios the same way), each run twice — normally and with RUNNER_DEBUG=1, as a re-run with debug logging
// does, both with DEBUG=* (runner.ts LOG_MODES) — through main and, where the job would run it, the post step. A secret may appear in stdout, stderr or
// the job summary only in its own ::add-mask:: line (findLeaks), and everything the action holds as a secret
// (its secret inputs, the keys it exports or sets as outputs) must have been masked in that step.
// Secrets: everything the emulator issued (em.secrets()), the secret inputs, the exported and output credentials,
// the refresh helper's URL path, and values made up by a scenario (a wrong secret, a wrong bearer token).
// Nothing is mocked: dist/main and dist/post run as child processes against the loopback emulator.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { DIST, findLeaks, newJob, type Job, type StepResult, LOG_MODES, type LogMode, oidcJobEnv, expectMode } from './runner.js';

const ACCOUNT = '1234567890123456';
const OTHER_ACCOUNT = '6543210987654321';
const MODES = LOG_MODES;
type Mode = LogMode;
type Inputs = Record<string, string>;
// credentials-uri too: a broker's URI may carry a token (its path is checked as a secret of its own below).
const SECRET_INPUTS = ['access-key-id', 'access-key-secret', 'security-token', 'credentials-uri'];
/**
 * A credentials URI's path: the emulator's carry a 32-character token, so the action masks them on its own
 * (redact.ts secretValues masks a path alone only when it looks like a token); long enough to scan for.
 */
function uriPath(inputs: Inputs): string | undefined {
  try {
    const path = new URL(inputs['credentials-uri'] ?? '').pathname;
    return path.length >= 4 ? path : undefined;
  } catch {
    return undefined;
  }
}
// What a step holds as a secret once it has succeeded (outputs only with output-credentials).
const SECRET_EXPORTS = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'];
const SECRET_OUTPUTS = ['aliyun-access-key-id', 'aliyun-access-key-secret', 'aliyun-security-token'];

interface World {
  readonly em: Emulator;
  readonly provider: string;
  readonly oidcRole: string;
  readonly akRole: string;
  readonly chainedRole: string;
  readonly externalIdRole: string;
  readonly user: AccessKey;
  readonly credentialsUri: string;
}

/** What a scenario does in one job; every step it runs is scanned. */
interface Ctx {
  readonly w: World;
  readonly job: Job;
  main(inputs: Inputs, env?: Inputs): Promise<StepResult>;
  post(): Promise<StepResult>;
  /** A secret the emulator did not issue (a made-up wrong value). */
  secret(value: string): void;
}

const worlds = new Map<Mode['name'], World>();
const scanned = { scenarios: new Set<string>(), runs: 0, steps: 0 };

beforeAll(async () => {
  for (const mode of MODES) {
    const em = await startEmulator();
    const provider = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
    worlds.set(mode.name, {
      em,
      provider,
      oidcRole: (await em.addRole({ accountId: ACCOUNT, name: 'oidc-role', oidc: { providerArn: provider, sub: ['repo:octo-org/*'] } })).arn,
      akRole: (await em.addRole({ accountId: ACCOUNT, name: 'ak-role', maxSessionDuration: 43200 })).arn,
      chainedRole: (await em.addRole({ accountId: OTHER_ACCOUNT, name: 'chained-role', trustedAccounts: [ACCOUNT] })).arn,
      externalIdRole: (await em.addRole({ accountId: ACCOUNT, name: 'external-id-role', externalId: 'leak-test-external-id' })).arn,
      user: await em.addUser({ accountId: ACCOUNT, name: 'ci' }),
      credentialsUri: (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'uri-role' })).url,
    });
  }
});

afterAll(async () => {
  for (const world of worlds.values()) await world.em.close();
  console.log(
    `leaks.test.ts: ${scanned.scenarios.size} scenarios passed, ${scanned.runs} runs (plain and RUNNER_DEBUG=1, both with DEBUG=*), ${scanned.steps} steps leak-scanned.`,
  );
});

/** Runs `body` in a job of each mode, side by side (one emulator each), then scans every step it ran. */
function scenario(name: string, body: (ctx: Ctx) => Promise<void>, timeout?: number): void {
  it(
    name,
    async () => {
      const settled = await Promise.allSettled(MODES.map((mode) => runScenario(mode, body)));
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
      scanned.scenarios.add(name);
    },
    timeout,
  );
}

async function runScenario(mode: Mode, body: (ctx: Ctx) => Promise<void>): Promise<void> {
  const w = worlds.get(mode.name);
  if (!w) throw new Error('no emulator');
  await w.em.clearFaults();
  const job = newJob(oidcJobEnv(w.em));
  const steps: Array<{ label: string; result: StepResult; inputs: Inputs }> = [];
  const made: string[] = [];
  const ctx: Ctx = {
    w,
    job,
    main: async (inputs, env = {}) => {
      const result = await job.main(inputs, { ...env, ...mode.env });
      steps.push({ label: `main #${steps.length + 1}`, result, inputs });
      return result;
    },
    post: async () => {
      const result = await job.post({ ...mode.env });
      steps.push({ label: `post #${steps.length + 1}`, result, inputs: {} });
      return result;
    },
    secret: (value) => void made.push(value),
  };
  try {
    await body(ctx);
  } catch (error) {
    if (error instanceof Error)
      error.message = `[${mode.name}] ${error.message}\n${steps.map((s) => `--- ${s.label} stdout ---\n${s.result.stdout}\n--- stderr ---\n${s.result.stderr}`).join('\n')}`;
    throw error;
  }

  const secrets = new Set([...(await w.em.secrets()), ...made]);
  for (const { result, inputs } of steps) {
    for (const name of SECRET_INPUTS) if (inputs[name]) secrets.add(inputs[name]);
    const path = uriPath(inputs);
    if (path) secrets.add(path);
    for (const name of SECRET_EXPORTS) if (result.exported[name]) secrets.add(result.exported[name]);
    for (const name of SECRET_OUTPUTS) if (result.outputs[name]) secrets.add(result.outputs[name]);
    const refresh = result.exported.ALIBABA_CLOUD_CREDENTIALS_URI;
    if (refresh) secrets.add(new URL(refresh).pathname.slice(1));
  }
  for (const { label, result, inputs } of steps) {
    expect({ mode: mode.name, step: label, leaks: findLeaks(result, secrets) }).toEqual({ mode: mode.name, step: label, leaks: [] });
    // What the step held as a secret, it masked.
    if (label.startsWith('main')) {
      const held = [
        ...SECRET_INPUTS.map((name) => inputs[name]),
        uriPath(inputs),
        ...SECRET_EXPORTS.map((name) => result.exported[name]),
        ...SECRET_OUTPUTS.map((name) => result.outputs[name]),
      ].filter((value): value is string => Boolean(value));
      expect({ mode: mode.name, step: label, unmasked: held.filter((value) => !result.masks.includes(value)) }).toEqual({
        mode: mode.name,
        step: label,
        unmasked: [],
      });
    }
    scanned.steps++;
  }
  scanned.runs++;
}

// ---------------------------------------------------------------------------------------------

const oidc = (w: World, extra: Inputs = {}): Inputs => ({ 'role-to-assume': w.oidcRole, 'oidc-provider-arn': w.provider, 'sts-endpoint': w.em.url, ...extra });
const keys = (w: World, extra: Inputs = {}): Inputs => ({
  'access-key-id': w.user.accessKeyId,
  'access-key-secret': w.user.accessKeySecret,
  'sts-endpoint': w.em.url,
  ...extra,
});
const stsSession = async (w: World) => {
  const body = (await (await fetch(w.credentialsUri)).json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
  return { 'access-key-id': body.AccessKeyId, 'access-key-secret': body.AccessKeySecret, 'security-token': body.SecurityToken };
};

function expectOk(result: StepResult): void {
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(0);
}

function expectFailed(result: StepResult, says: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.error).toMatch(says);
  expect(result.exported).toEqual({});
}

describe('successful flows, then the post step', () => {
  scenario('GitHub OIDC -> AssumeRoleWithOIDC', async ({ w, main, post }) => {
    expectOk(await main(oidc(w)));
    expectOk(await post());
  });

  scenario('OIDC token file -> AssumeRoleWithOIDC, with region and output-credentials', async ({ w, job, main, post }) => {
    const path = join(job.dir, 'token');
    writeFileSync(path, await w.em.mintToken());
    const result = await main(oidc(w, { 'oidc-token-file': path, region: 'cn-hangzhou', 'output-credentials': 'true' }));
    expectOk(result);
    expect(result.outputs['aliyun-security-token']).toBeTruthy();
    expectOk(await post());
  });

  scenario('AccessKey only -> GetCallerIdentity, with output-credentials and aliyun-profile', async ({ w, main, post }) => {
    const result = await main(keys(w, { 'output-credentials': 'true', 'aliyun-profile': 'leaks' }));
    expectOk(result);
    expect(result.outputs['aliyun-access-key-secret']).toBe(w.user.accessKeySecret);
    expectOk(await post());
  });

  scenario('AccessKey -> AssumeRole with external id, inline policy, expiration, region and mask-account-id', async ({ w, main, post }) => {
    const result = await main(
      keys(w, {
        'role-to-assume': w.externalIdRole,
        'role-external-id': 'leak-test-external-id',
        'inline-session-policy': '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}',
        'role-session-expiration': '900',
        region: 'cn-shanghai',
        'mask-account-id': 'true',
      }),
    );
    expectOk(result);
    expect(result.masks).toContain(ACCOUNT);
    expectOk(await post());
  });

  scenario('STS credentials (with security-token) -> AssumeRole, written to an aliyun-profile', async ({ w, main, post }) => {
    expectOk(await main({ ...(await stsSession(w)), 'role-to-assume': w.akRole, 'aliyun-profile': 'chained', 'sts-endpoint': w.em.url }));
    expectOk(await post());
  });

  scenario('role chaining: an OIDC session, then role-chaining to a role of another account', async ({ w, main, post }) => {
    expectOk(await main(oidc(w)));
    const chained = await main({ 'role-chaining': 'true', 'role-to-assume': w.chainedRole, 'sts-endpoint': w.em.url });
    expectOk(chained);
    expect(chained.outputs['account-id']).toBe(OTHER_ACCOUNT);
    expectOk(await post());
  });

  scenario('credentials URI alone, checked against allowed-account-ids', async ({ w, main }) => {
    expectOk(await main({ 'credentials-uri': w.credentialsUri, 'allowed-account-ids': ACCOUNT, 'sts-endpoint': w.em.url }));
  });

  scenario('credentials URI -> AssumeRole, export-env false and output-credentials true', async ({ w, main }) => {
    const result = await main({
      'credentials-uri': w.credentialsUri,
      'role-to-assume': w.akRole,
      'export-env': 'false',
      'output-credentials': 'true',
      'sts-endpoint': w.em.url,
    });
    expectOk(result);
    expect(result.exported).toEqual({});
    expect(result.outputs['aliyun-access-key-secret']).toBeTruthy();
  });

  scenario(
    'refresh-credentials: the helper starts, and the post step stops it and prints its log',
    async ({ w, main, post }) => {
      const result = await main(keys(w, { 'role-to-assume': w.akRole, 'refresh-credentials': 'true' }));
      expectOk(result);
      expect(result.exported.ALIBABA_CLOUD_CREDENTIALS_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const stopped = await post();
      expectOk(stopped);
      expect(stopped.stdout).toContain('Refresh helper log');
    },
    60_000,
  );
});

describe('the default chain, whose SDK logs response bodies through the `debug` package', () => {
  // DEBUG=* is set for every scenario (runner.ts LOG_MODES); @alicloud/credentials' HTTP client (httpx) would print
  // the broker's answer, AccessKeySecret and SecurityToken in clear, to stderr (before any mask) under httpx:body.
  const chain = (w: World) => ({ ALIBABA_CLOUD_CREDENTIALS_URI: w.credentialsUri, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });

  scenario('default chain -> its URI provider, used as it is', async ({ w, main }) => {
    const result = await main({ 'default-chain': 'true', 'sts-endpoint': w.em.url }, chain(w));
    expectOk(result);
    expect(result.stdout).toContain('The default credential chain answered through its credential_uri provider.');
  });

  scenario('default chain -> its URI provider -> AssumeRole, then the post step', async ({ w, main, post }) => {
    expectOk(await main({ 'default-chain': 'true', 'role-to-assume': w.akRole, 'sts-endpoint': w.em.url }, chain(w)));
    expectOk(await post());
  });

  scenario('default chain whose broker answers an error body holding keys: no provider had credentials', async ({ w, main }) => {
    const session = await stsSession(w);
    await w.em.queueFault('credentials-uri', {
      kind: 'answer',
      status: 500,
      body: { Code: 'Failed', AccessKeyId: session['access-key-id'], AccessKeySecret: session['access-key-secret'], SecurityToken: session['security-token'] },
    });
    expectFailed(await main({ 'default-chain': 'true', 'sts-endpoint': w.em.url }, chain(w)), /^Input default-chain: no provider/);
  });

  it('the bundle carries no `debug` package: what it holds of it is a no-op (scripts/package.mjs)', () => {
    const licenses = readFileSync(join(DIST, 'main', 'licenses.txt'), 'utf8');
    expect(licenses).toMatch(/^@alicloud\/credentials@/m);
    expect(licenses).not.toMatch(/^debug@/m);
  });
});

describe('failures that happen while secrets are at hand', () => {
  scenario('a credentials URI that fails twice (503, cut body), then answers', async ({ w, main }) => {
    await w.em.queueFault('credentials-uri', { kind: 'status', status: 503 });
    await w.em.queueFault('credentials-uri', { kind: 'truncated' });
    const result = await main({ 'credentials-uri': w.credentialsUri, 'sts-endpoint': w.em.url });
    expectOk(result);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('credentials URI: attempt '))).toHaveLength(2);
  });

  scenario('a credentials URI that resets on every attempt', async ({ w, main }) => {
    await w.em.queueFault('credentials-uri', { kind: 'reset' }, 2);
    expectFailed(await main({ 'credentials-uri': w.credentialsUri, 'retry-max-attempts': '2', 'sts-endpoint': w.em.url }), /credentials URI|ECONNRESET/i);
  });

  scenario('credentials of an account outside allowed-account-ids: fetched, masked, looked up, not exported', async ({ w, main }) => {
    const result = await main({ 'credentials-uri': w.credentialsUri, 'allowed-account-ids': OTHER_ACCOUNT, 'sts-endpoint': w.em.url });
    expectFailed(result, /not in `allowed-account-ids`/);
    expect(result.masks.length).toBeGreaterThanOrEqual(3);
  });

  scenario('AccessKey ID and secret swapped', async ({ w, main }) => {
    expectFailed(
      await main({ 'access-key-id': w.user.accessKeySecret, 'access-key-secret': w.user.accessKeyId, 'sts-endpoint': w.em.url }),
      /InvalidAccessKeyId\.NotFound/,
    );
  });

  scenario('a secret with white space in it', async ({ w, main, secret }) => {
    // Made up, so that no real secret is part of it (its own ::add-mask:: line would show that one).
    const spaced = 'aB3dE5gH7jK9mN1pQ3 sT5vW7yZ9bC1dE3f';
    secret(spaced);
    expectFailed(await main({ 'access-key-id': w.user.accessKeyId, 'access-key-secret': spaced, 'sts-endpoint': w.em.url }), /^Input access-key-secret/);
  });

  scenario('STS keys without their security token', async ({ w, main }) => {
    const session = await stsSession(w);
    expectFailed(
      await main({ 'access-key-id': session['access-key-id'], 'access-key-secret': session['access-key-secret'], 'sts-endpoint': w.em.url }),
      /^Input security-token/,
    );
  });

  scenario('a wrong ACTIONS_ID_TOKEN_REQUEST_TOKEN: GitHub refuses the token request', async ({ w, main, secret }) => {
    const bearer = 'wrong-bearer-token-of-the-leak-test-0123456789';
    secret(bearer);
    expectFailed(await main(oidc(w), { ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer }), /answered HTTP 401/);
  });

  scenario('no id-token permission, with keys of an earlier step in the environment', async ({ w, main }) => {
    const session = await stsSession(w);
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: '',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: '',
      ALIBABA_CLOUD_ACCESS_KEY_ID: session['access-key-id'],
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: session['access-key-secret'],
      ALIBABA_CLOUD_SECURITY_TOKEN: session['security-token'],
    };
    expectFailed(await main(oidc(w), env), /id-token|OIDC/);
  });
});
// The ECS RAM role flow is swept by ecs-netns.test.ts: its metadata service must sit at 100.100.100.200, which only
// a network namespace provides.

// ---------------------------------------------------------------------------------------------

/**
 * The workflow commands a step wrote, read the way the runner reads them (actions/runner,
 * src/Runner.Common/ActionCommand.cs): a line that starts with `::name::` after white space, else the older form
 * `##[name]` anywhere in the line. Older-form commands are named with their `##[` (the action writes none).
 */
function commandsOf(stdout: string): string[] {
  return stdout.split(/\r?\n/).flatMap((line) => {
    const current = /^::([^:\s]+)[^:]*::/.exec(line.trimStart())?.[1];
    if (current !== undefined) return [current];
    const older = /##\[([^\]\s]*)[^\]]*\]/.exec(line)?.[1];
    return older === undefined ? [] : [`##[${older}`];
  });
}

/** The main step wrote only its own commands: masks, the failure, warnings, debug lines. Nothing a value started. */
function expectOwnCommandsOnly(result: StepResult): void {
  expect(commandsOf(result.stdout).filter((name) => !['add-mask', 'error', 'warning', 'debug'].includes(name))).toEqual([]);
}

// Both command forms: a line of its own for the current one, anywhere in a line for the older one.
const HOSTILE = '\n::stop-commands::pwned\n::add-mask::%\nx##[stop-commands]zz ##[add-mask]%';
// For values that may hold no white space (audience): the older form, and the current one where a line break was.
const HOSTILE_WORD = 'x##[stop-commands]zz##[add-mask]%::add-mask::%';

describe('values from inputs, files and servers never start a workflow command, and servers are checked', () => {
  scenario('an OIDC token file whose path holds a line break and a command', async ({ w, job, main }) => {
    const dir = join(job.dir, `tokens${HOSTILE}`);
    mkdirSync(dir);
    const path = join(dir, 'token');
    writeFileSync(path, await w.em.mintToken());
    const result = await main(oidc(w, { 'oidc-token-file': path }));
    expectOk(result);
    expectOwnCommandsOnly(result);
    expect(result.stdout).toContain('Credentials from OIDC token file');
    // The job summary keeps the value in one cell of one row.
    expect(result.summary.split('\n').filter((line) => line.startsWith('| Source |'))).toHaveLength(1);
    expect(result.summary).not.toMatch(/^::/m);
  });

  scenario('an audience with Markdown and HTML reaches the job summary as code, on one line', async ({ w, main }) => {
    const audience = 'x|y<img/src=//evil.example/p.png>*_[z](//evil.example)`';
    const provider = (await w.em.addOidcProvider({ accountId: ACCOUNT, name: 'markup', clientIds: [audience] })).arn;
    const role = (await w.em.addRole({ accountId: ACCOUNT, name: 'markup-role', oidc: { providerArn: provider } })).arn;
    const result = await main({ 'role-to-assume': role, 'oidc-provider-arn': provider, audience, 'sts-endpoint': w.em.url });
    expectOk(result);
    const rows = result.summary.split('\n').filter((line) => line.startsWith('| '));
    const source = rows.find((line) => line.startsWith('| Source |')) ?? '';
    // One code span, the pipe escaped, no backtick of the value left to end the span early.
    expect(source).toBe("| Source | `GitHub OIDC (audience x\\|y<img/src=//evil.example/p.png>*_[z](//evil.example)')` |");
    // Every row still has exactly its two cells.
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
  });

  scenario('an audience holding commands of both forms: printed on one line, starting none', async ({ w, main }) => {
    const provider = (await w.em.addOidcProvider({ accountId: ACCOUNT, name: 'commands', clientIds: [HOSTILE_WORD] })).arn;
    const role = (await w.em.addRole({ accountId: ACCOUNT, name: 'commands-role', oidc: { providerArn: provider } })).arn;
    const result = await main({ 'role-to-assume': role, 'oidc-provider-arn': provider, audience: HOSTILE_WORD, 'sts-endpoint': w.em.url });
    expectOk(result);
    expectOwnCommandsOnly(result);
    expect(result.stdout).toContain('Credentials from GitHub OIDC (audience x## [stop-commands]zz## [add-mask]%::add-mask::%)');
  });

  // Inputs checked against a grammar are refused, and quoted only in the ::error:: line (whose data the runner
  // does not read for commands); each is run to prove that no value they hold reaches the log another way.
  const REFUSED_INPUTS: Array<[string, (w: World) => Inputs]> = [
    ['role-session-name', (w) => keys(w, { 'role-to-assume': w.akRole, 'role-session-name': HOSTILE_WORD })],
    ['role-to-assume', (w) => keys(w, { 'role-to-assume': `acs:ram::${ACCOUNT}:role/${HOSTILE_WORD}` })],
    ['aliyun-profile', (w) => keys(w, { 'aliyun-profile': HOSTILE_WORD })],
    ['region', (w) => keys(w, { region: HOSTILE_WORD })],
    ['audience with white space', (w) => oidc(w, { audience: HOSTILE })],
    ['credentials-uri', () => ({ 'credentials-uri': `ftp://${HOSTILE_WORD}/` })],
  ];
  for (const [name, inputs] of REFUSED_INPUTS) {
    scenario(`a ${name} holding commands of both forms: refused, no command started`, async ({ w, main }) => {
      const result = await main(inputs(w));
      expect(result.code).toBe(1);
      expect(result.exported).toEqual({});
      expectOwnCommandsOnly(result);
    });
  }

  scenario('AssumeRoleWithOIDC answers an AssumedRoleUser.Arn with a command in it: refused, nothing printed from it', async ({ w, main }) => {
    const session = await stsSession(w);
    await w.em.queueFault('AssumeRoleWithOIDC', {
      kind: 'answer',
      body: {
        RequestId: 'A1B2',
        AssumedRoleUser: { Arn: `acs:ram::${ACCOUNT}:role/oidc-role/s${HOSTILE}`, AssumedRoleId: 'x' },
        Credentials: {
          AccessKeyId: session['access-key-id'],
          AccessKeySecret: session['access-key-secret'],
          SecurityToken: session['security-token'],
          Expiration: '2099-01-01T00:00:00Z',
        },
      },
    });
    const result = await main(oidc(w, { 'retry-max-attempts': '1' }));
    expectFailed(result, /^AssumeRoleWithOIDC answered with an AssumedRoleUser\.Arn that is not the ARN of a role session\./);
    expectOwnCommandsOnly(result);
  });

  scenario('GetCallerIdentity answers an account ID with a command in it: refused', async ({ w, main }) => {
    await w.em.queueFault('GetCallerIdentity', { kind: 'answer', body: { RequestId: 'A1', AccountId: `1${HOSTILE}`, Arn: `acs:ram::${ACCOUNT}:user/ci` } });
    const result = await main(keys(w, { 'retry-max-attempts': '1' }));
    expectFailed(result, /^GetCallerIdentity answered with an AccountId and Arn that are not/);
    expectOwnCommandsOnly(result);
  });

  scenario('a retried STS error whose Code and RequestId hold commands: the retry line quotes neither', async ({ w, main }) => {
    await w.em.queueFault('AssumeRole', { kind: 'answer', status: 503, body: { Code: `Busy${HOSTILE}`, RequestId: HOSTILE, Message: `m${HOSTILE}` } });
    const result = await main(keys(w, { 'role-to-assume': w.akRole }));
    expectOk(result);
    expectOwnCommandsOnly(result);
    expect(result.stdout).toMatch(/^AssumeRole: attempt 1\/5 failed \(server\); retrying in \d+ ms\.$/m);
  });

  scenario(
    'an STS error that quotes the secret in lower case and the source token URL-encoded twice: the secret redacted, the token cut off',
    async ({ w, main }) => {
      const session = await stsSession(w);
      const token = session['security-token'];
      expect(encodeURIComponent(token)).not.toBe(token); // base64: '+', '/' and '=' are encoded, and %2B again as %252B
      const twice = encodeURIComponent(encodeURIComponent(token));
      const echoed = `Not allowed for ${session['access-key-secret'].toLowerCase()} at https://sts.example/?next=${twice} (sic)`;
      await w.em.queueFault('AssumeRole', { kind: 'answer', status: 400, body: { Code: 'InvalidParameter', RequestId: 'A1', Message: echoed } });
      const result = await main({ ...session, 'role-to-assume': w.akRole, 'sts-endpoint': w.em.url });
      // The quote ends before the word that passes 300 characters (text.ts clip): the token goes whole, never half.
      expectFailed(result, /^AssumeRole failed: InvalidParameter: Not allowed for \*\*\* at \[…\] \(RequestId: A1\)$/m);
    },
  );

  const BAD_CREDENTIALS: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a secret of one colon', { AccessKeySecret: ':' }, /AccessKeySecret that is not 8-256 printable characters/],
    ['an object as AccessKeyId', { AccessKeyId: { id: 'STS.x' } }, /AccessKeyId that is not 8-128 letters, digits or dots/],
    ['a NUL byte in the security token', { SecurityToken: `CAIS${'a'.repeat(40)}\u0000b` }, /SecurityToken that is not 16-16384 printable/],
    ['an Expiration in the past', { Expiration: '2020-01-01T00:00:00Z' }, /expired at 2020-01-01T00:00:00Z/],
    ['an Expiration that is no time', { Expiration: 'tomorrow' }, /Expiration that is not an ISO 8601 UTC time/],
    ['an Expiration 30 s away', { Expiration: new Date(Date.now() + 30_000).toISOString().replace(/\.\d+Z$/, 'Z') }, /in less than a minute/],
  ];
  for (const [name, override, says] of BAD_CREDENTIALS) {
    scenario(`AssumeRole answers credentials with ${name}: refused as a malformed answer, nothing masked or exported from it`, async ({ w, main }) => {
      const session = await stsSession(w);
      const credentials = {
        AccessKeyId: session['access-key-id'],
        AccessKeySecret: session['access-key-secret'],
        SecurityToken: session['security-token'],
        Expiration: '2099-01-01T00:00:00Z',
        ...override,
      };
      await w.em.queueFault('AssumeRole', {
        kind: 'answer',
        body: { RequestId: 'A1', AssumedRoleUser: { Arn: `acs:ram::${ACCOUNT}:role/ak-role/s` }, Credentials: credentials },
      });
      const result = await main(keys(w, { 'role-to-assume': w.akRole, 'retry-max-attempts': '1' }));
      expectFailed(result, new RegExp(`^AssumeRole answered with credentials that .*${says.source}`));
      expectOwnCommandsOnly(result);
      // A ':' mask would hide every colon of the job's log.
      expect(result.masks.filter((mask) => mask.length < 8)).toEqual([]);
    });
  }

  scenario('a credentials URI that answers credentials expiring in 30 s: refused (every source is checked)', async ({ w, main }) => {
    const session = await stsSession(w);
    await w.em.queueFault('credentials-uri', {
      kind: 'answer',
      body: {
        Code: 'Success',
        AccessKeyId: session['access-key-id'],
        AccessKeySecret: session['access-key-secret'],
        SecurityToken: session['security-token'],
        Expiration: new Date(Date.now() + 30_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    });
    expectFailed(await main({ 'credentials-uri': w.credentialsUri, 'retry-max-attempts': '1', 'sts-endpoint': w.em.url }), /in less than a minute/);
  });

  scenario('an STS answer of 300 MiB: cut off at 1 MiB, not read in full', async ({ w, main }) => {
    await w.em.queueFault('AssumeRole', { kind: 'oversized', bytes: 300 * 1024 * 1024 });
    const result = await main(keys(w, { 'role-to-assume': w.akRole, 'retry-max-attempts': '1' }));
    expectFailed(result, /the answer is larger than 1048576 bytes/);
    const [record] = (await w.em.requests()).filter((r) => r.fault === 'oversized');
    // What the kernel's socket buffers took on top of the 1 MiB read: far less than 300 MiB.
    expect(record.bytesSent).toBeLessThan(32 * 1024 * 1024);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the post step acts only on state it can check', () => {
  it('a forged profile state naming the user’s own profile (or an old-style path) removes and rewrites nothing', async () => {
    const w = worlds.get('plain') as World;
    const job = newJob();
    const config = join(job.env.HOME, '.aliyun', 'config.json');
    mkdirSync(join(job.env.HOME, '.aliyun'), { mode: 0o700 });
    const personal = `${JSON.stringify({ current: 'personal', profiles: [{ name: 'personal', mode: 'AK', access_key_id: 'LTAIpersonal0000000001', access_key_secret: 'personal-secret-0000000000001', region_id: 'cn-beijing' }] })}\n`;
    writeFileSync(config, personal, { mode: 0o640 });
    const victim = join(job.dir, 'victim.json');
    writeFileSync(victim, '{"profiles":[{"name":"personal"}]}', { mode: 0o644 });
    const forged = [
      { name: 'personal', marker: 'configure-alibabacloud-credentials.000000000000000000000000', createdFile: true, createdDir: true },
      { path: victim, name: 'personal', createdFile: true, createdDir: true },
    ];
    for (const state of forged) {
      const post = await job.post({ 'STATE_aliyun-profile': JSON.stringify(state) });
      expect(post.code).toBe(0);
      expect(readFileSync(config, 'utf8')).toBe(personal);
      expectMode(config, 0o640);
      expect(readFileSync(victim, 'utf8')).toBe('{"profiles":[{"name":"personal"}]}');
      expectMode(victim, 0o644);
      expect(findLeaks(post, await w.em.secrets())).toEqual([]);
    }
  });

  it('a forged helper state: no process is signalled, no other file is printed, a foreign port only gets a refused request', async () => {
    const job = newJob();
    // A process whose command line merely contains the helper's flag, and a server that is not the helper.
    const decoy = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '--refresh-helper'], { stdio: 'ignore' });
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const path = 'a'.repeat(64);
      const states = [
        { pid: decoy.pid, url: `http://127.0.0.1:${port}/${path}`, stopToken: 'b'.repeat(64), logFile: '/etc/passwd' },
        { pid: decoy.pid, url: `http://10.0.0.1:${port}/${path}`, stopToken: 'b'.repeat(64), logFile: join(job.env.RUNNER_TEMP, 'x.log') },
        { pid: decoy.pid, logFile: '/etc/passwd' },
      ];
      for (const state of states) {
        const post = await job.post({ 'STATE_refresh-helper': JSON.stringify(state) });
        expect(post.code).toBe(0);
        expect(post.stdout).not.toMatch(/root:x?:0:0/);
        expect(post.stdout).toMatch(/^::warning::/m);
      }
      // Only the loopback URL of the helper's shape was asked, once, to stop; nothing else reached anything.
      expect(seen).toEqual([`DELETE /${path}`]);
      expect(decoy.exitCode).toBeNull();
      expect(decoy.signalCode).toBeNull();
      expect(() => process.kill(decoy.pid as number, 0)).not.toThrow();
    } finally {
      decoy.kill('SIGKILL');
      server.close();
    }
  });
});

describe("the refresh helper and the runner's orphan-process clean-up", () => {
  // At the end of a job the runner kills every process it did not start before the job whose environment holds the
  // job's RUNNER_TRACKING_ID (actions/runner, src/Runner.Worker/JobExtension.cs, FinalizeJob). Modelled here as the
  // runner does it on Linux: by reading /proc/<pid>/environ of every process.
  it('the helper carries RUNNER_TRACKING_ID, so that the clean-up finds it', async () => {
    if (process.platform !== 'linux') return void console.warn('no /proc: the helper environment is checked on Linux only');
    const w = worlds.get('plain') as World;
    const tracking = `github_${randomUUID()}`;
    const job = newJob({ ...oidcJobEnv(w.em), RUNNER_TRACKING_ID: tracking });
    const main = await job.main(keys(w, { 'role-to-assume': w.akRole, 'refresh-credentials': 'true' }));
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const pid = (JSON.parse(main.state['refresh-helper']) as { pid: number }).pid;
    try {
      const environ = (id: string) => {
        try {
          return readFileSync(`/proc/${id}/environ`, 'utf8').split('\0');
        } catch {
          return [];
        }
      };
      expect(environ(String(pid))).toContain(`RUNNER_TRACKING_ID=${tracking}`);
      const found = readdirSync('/proc').filter((id) => /^\d+$/.test(id) && environ(id).includes(`RUNNER_TRACKING_ID=${tracking}`));
      expect(found).toEqual([String(pid)]);
      // Nothing else of the job's environment: the helper gets its credentials over IPC.
      expect(environ(String(pid)).filter((line) => line.startsWith('ALIBABA_CLOUD_') || line.startsWith('ACTIONS_ID_TOKEN'))).toEqual([]);
    } finally {
      const post = await job.post();
      expect(post.stdout).toContain(`Stopped the refresh helper (process ${pid}).`);
    }
  }, 60_000);
});

describe('a HOME shared by parallel jobs', () => {
  it('eight jobs write and remove their profiles at once, three rounds: all written, all removed, the user’s profile untouched', async () => {
    const w = worlds.get('plain') as World;
    const home = mkdtempSync(join(tmpdir(), 'cac-shared-home-'));
    try {
      const config = join(home, '.aliyun', 'config.json');
      mkdirSync(join(home, '.aliyun'), { mode: 0o700 });
      const personal = {
        current: 'personal',
        profiles: [
          {
            name: 'personal',
            mode: 'AK',
            access_key_id: 'LTAIpersonal0000000002',
            access_key_secret: 'personal-secret-0000000000002',
            region_id: 'cn-beijing',
          },
        ],
      };
      writeFileSync(config, JSON.stringify(personal), { mode: 0o600 });
      for (let round = 0; round < 3; round++) {
        const jobs = Array.from({ length: 8 }, () => newJob({ ...oidcJobEnv(w.em), HOME: home }));
        const mains = await Promise.all(jobs.map((job, i) => job.main(oidc(w, { 'aliyun-profile': `job-${i}` }))));
        for (const main of mains) expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
        const written = JSON.parse(readFileSync(config, 'utf8')) as { current: string; profiles: Array<{ name: string; sts_token?: string }> };
        expect(written.profiles.map((p) => p.name).sort()).toEqual(['personal', ...jobs.map((_, i) => `job-${i}`)].sort());
        expect(written.current).toBe('personal');
        const posts = await Promise.all(jobs.map((job) => job.post()));
        for (const post of posts) expect(post.code).toBe(0);
        expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual(personal);
        // No secret of any job is left in the file or beside it (temporary files, locks).
        const left = readFileSync(config, 'utf8');
        for (const main of mains) expect(left).not.toContain(main.exported.ALIBABA_CLOUD_SECURITY_TOKEN);
        expect(readdirSync(join(home, '.aliyun'))).toEqual(['config.json']);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('a config.json whose "profiles" is not an array is refused and left byte-identical', async () => {
    const w = worlds.get('plain') as World;
    const job = newJob(oidcJobEnv(w.em));
    const config = join(job.env.HOME, '.aliyun', 'config.json');
    mkdirSync(join(job.env.HOME, '.aliyun'), { mode: 0o700 });
    const text = '{"current":"x","profiles":{"name":"x","mode":"AK"},"meta_path":""}';
    writeFileSync(config, text, { mode: 0o600 });
    const main = await job.main(oidc(w, { 'aliyun-profile': 'ci' }));
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/is not an aliyun CLI configuration \(an object with a "profiles" array\); it was left as it is\./);
    expect(main.exported).toEqual({});
    expect(readFileSync(config, 'utf8')).toBe(text);
    expect(findLeaks(main, await w.em.secrets())).toEqual([]);
  });
});
