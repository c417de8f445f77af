// The network side of the performance budget (docs/ARCHITECTURE.md), as a test: the BUILT action makes the minimum of
// requests of §1 for each flow, the post step makes none and does not carry the STS SDK, and the main step
// exits on its own. No timings here: `npm run bench` measures those.
// Nothing is mocked: dist/ runs as a child process against the loopback emulator.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { DIST, findLeaks, newJob, ROOT, runNode, type Job, type StepResult, oidcJobEnv } from './runner.js';
import { readStep, stepEnv } from '../../emulator/step.mjs';

const ACCOUNT = '1234567890123456';
// Strings only Alibaba's STS SDK (or its base package) brings into a bundle; the action signs its own calls.
const SDK_MARKERS = ['AssumeRoleWithOIDCRequest', 'GetCallerIdentityResponseBody', 'doRPCRequest'];
// The action's own STS signer.
const SIGNER_MARKER = 'ACS3-HMAC-SHA256';

let em: Emulator;
let user: AccessKey;
let oidcRole: { arn: string };
let keyRole: { arn: string };
let providerArn: string;

beforeAll(async () => {
  // Idle keep-alive connections stay open far longer than a test may take: a step that kept one (or any other
  // handle) would never exit, and its test would fail on Jest's timeout rather than pass slowly.
  em = await startEmulator({ keepAliveTimeoutMs: 10 * 60 * 1000 });
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  oidcRole = await em.addRole({ accountId: ACCOUNT, name: 'requests-oidc', oidc: { providerArn } });
  user = await em.addUser({ accountId: ACCOUNT, name: 'requests-ci' });
  keyRole = await em.addRole({ accountId: ACCOUNT, name: 'requests-deploy' });
});

afterAll(async () => {
  await em?.close();
});

const endpoint = () => `http://${em.stsHost}`;
const oidcEnv = () => oidcJobEnv(em);

/** Runs one step with a clean request log and returns what it did and the requests the emulator saw. */
async function step(run: () => Promise<StepResult>, inputSecrets: string[] = []): Promise<{ result: StepResult; targets: string[] }> {
  await em.resetRequests();
  const result = await run();
  const targets = (await em.requests()).map((r) => `${r.target} ${r.status}`);
  expect(findLeaks(result, [...(await em.secrets()), ...inputSecrets])).toEqual([]);
  return { result, targets };
}

/** A later step of the job: @alicloud/credentials' default chain + GetCallerIdentity, with the job's env only. */
async function laterStepSees(j: Job): Promise<{ accountId: string; arn: string }> {
  const { code, stdout, stderr } = await runNode(join(ROOT, '__tests__/e2e/consumer.mjs'), j.laterStepEnv(), [em.stsHost]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const seen = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; error?: string; calls?: Array<{ accountId: string; arn: string }> };
  expect(seen.error).toBeUndefined();
  expect(seen.ok).toBe(true);
  return seen.calls?.[0] ?? { accountId: '', arn: '' };
}

/** The post step of a job whose main step left nothing to undo: no request, nothing but its one line. */
async function expectQuietPost(j: Job): Promise<void> {
  const { result, targets } = await step(() => j.post());
  expect(result.code).toBe(0);
  expect(targets).toEqual([]);
  expect(result.stdout).toBe('Nothing to clean up.\n');
  expect(result.stderr).toBe('');
}

describe('each flow makes the minimum of requests (README, "Credential sources") and exits on its own', () => {
  it('GitHub OIDC: one token request, one AssumeRoleWithOIDC, nothing else', async () => {
    const j = newJob(oidcEnv());
    const { result, targets } = await step(() => j.main({ 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': providerArn, 'sts-endpoint': endpoint() }));
    // The step's exit is awaited above: reaching this line is the "exits on its own" check (see beforeAll).
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200']);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT, arn: expect.stringMatching(/:assumed-role\/requests-oidc\//) });
    await expectQuietPost(j);
  });

  it('OIDC token file: one AssumeRoleWithOIDC, no token request', async () => {
    const j = newJob();
    const tokenFile = join(j.dir, 'token');
    writeFileSync(tokenFile, await em.mintToken({}));
    const { result, targets } = await step(() =>
      j.main({ 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': providerArn, 'oidc-token-file': tokenFile, 'sts-endpoint': endpoint() }),
    );
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['AssumeRoleWithOIDC 200']);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT, arn: expect.stringMatching(/:assumed-role\/requests-oidc\//) });
  });

  it('AccessKey + role-to-assume: one AssumeRole, and no GetCallerIdentity after it', async () => {
    const j = newJob();
    const { result, targets } = await step(
      () => j.main({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'role-to-assume': keyRole.arn, 'sts-endpoint': endpoint() }),
      [user.accessKeySecret],
    );
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['AssumeRole 200']);
    expect(result.outputs['account-id']).toBe(ACCOUNT);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT, arn: expect.stringMatching(/:assumed-role\/requests-deploy\//) });
    await expectQuietPost(j);
  });

  it('static AccessKey, no role: one GetCallerIdentity, which proves the keys and names the account', async () => {
    const j = newJob();
    const { result, targets } = await step(
      () => j.main({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'sts-endpoint': endpoint() }),
      [user.accessKeySecret],
    );
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['GetCallerIdentity 200']);
    expect(result.outputs['account-id']).toBe(ACCOUNT);
    expect(await laterStepSees(j)).toEqual(expect.objectContaining({ accountId: ACCOUNT, arn: user.arn }));
    await expectQuietPost(j);
  });

  it('role chaining: one AssumeRole with the ALIBABA_CLOUD_* credentials of an earlier step', async () => {
    const j = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret });
    const { result, targets } = await step(
      () => j.main({ 'role-chaining': 'true', 'role-to-assume': keyRole.arn, 'sts-endpoint': endpoint() }),
      [user.accessKeySecret],
    );
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['AssumeRole 200']);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT, arn: expect.stringMatching(/:assumed-role\/requests-deploy\//) });
  });

  it('credentials URI + role-to-assume: one GET of the URI, one AssumeRole', async () => {
    const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'requests-source' });
    const j = newJob();
    const { result, targets } = await step(() => j.main({ 'credentials-uri': url, 'role-to-assume': keyRole.arn, 'sts-endpoint': endpoint() }));
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);
    expect(targets).toEqual(['credentials-uri 200', 'AssumeRole 200']);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT, arn: expect.stringMatching(/:assumed-role\/requests-deploy\//) });
  });
});

describe('once its work is done, nothing keeps the main step alive', () => {
  // The bundle is imported by a wrapper: its top-level await ends when the step's work is done, and the wrapper
  // then lists what the step left that keeps the event loop alive (process.getActiveResourcesInfo lists referenced
  // handles and requests only), less what was there before (the stdout and stderr pipes). A timer or a pooled
  // connection would show as Timeout or TCPSocketWrap; one-shot requests that finish by themselves (a socket
  // being closed, a file write) are all that may remain.
  const TRANSIENT = new Set(['CloseReq', 'ShutdownWrap', 'WriteWrap', 'FSReqCallback', 'FSReqPromise']);
  const WRAPPER = [
    'void process.stdout, process.stderr;',
    'const before = process.getActiveResourcesInfo();',
    'await import(process.env.STEP_ENTRY);',
    'const left = process.getActiveResourcesInfo();',
    'for (const resource of before) left.splice(left.indexOf(resource), left.includes(resource) ? 1 : 0);',
    'process.stderr.write(`ALIVE ${JSON.stringify(left)}\\n`);',
  ].join('\n');

  async function aliveAfterWork(j: Job, inputs: Record<string, string>, name: string): Promise<string[]> {
    const wrapper = join(j.dir, 'after-work.mjs');
    writeFileSync(wrapper, WRAPPER);
    const { env, files } = stepEnv({ dir: j.dir, step: name, entry: 'main', env: j.env, inputs });
    const { code, stdout, stderr } = await runNode(wrapper, { ...env, STEP_ENTRY: join(DIST, 'main', 'index.js') });
    expect(findLeaks({ stdout, stderr, summary: readStep(files).summary }, [...(await em.secrets()), user.accessKeySecret])).toEqual([]);
    expect(code).toBe(0);
    expect(readStep(files).exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toMatch(/^STS\./);
    const line = /^ALIVE (.*)$/m.exec(stderr);
    expect(line).not.toBeNull();
    return JSON.parse(line?.[1] ?? '[]') as string[];
  }

  it('GitHub OIDC flow: no timer, no socket', async () => {
    const alive = await aliveAfterWork(
      newJob(oidcEnv()),
      { 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': providerArn, 'sts-endpoint': endpoint() },
      'oidc',
    );
    expect(alive.filter((resource) => !TRANSIENT.has(resource))).toEqual([]);
  });

  it('AccessKey + role-to-assume flow: no timer, no socket', async () => {
    const inputs = { 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'role-to-assume': keyRole.arn, 'sts-endpoint': endpoint() };
    const alive = await aliveAfterWork(newJob(), inputs, 'accesskey');
    expect(alive.filter((resource) => !TRANSIENT.has(resource))).toEqual([]);
  });
});

describe('the post step', () => {
  it('removes the aliyun CLI profile without a single request', async () => {
    const j = newJob(oidcEnv());
    const main = await step(() =>
      j.main({ 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': providerArn, 'sts-endpoint': endpoint(), 'aliyun-profile': 'requests' }),
    );
    expect(main.result.code).toBe(0);
    expect(main.targets).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200']);
    const config = join(j.env.HOME, '.aliyun', 'config.json');
    expect(JSON.parse(readFileSync(config, 'utf8')).profiles.map((p: { name: string }) => p.name)).toEqual(['requests']);
    expect(await laterStepSees(j)).toMatchObject({ accountId: ACCOUNT });

    const { result, targets } = await step(() => j.post());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(targets).toEqual([]);
    expect(result.stdout).toContain(`Removed ${config}, which the action had created.`);
    expect(existsSync(config)).toBe(false);
  });

  it('neither bundle carries the STS SDK, and the post bundle carries no STS client (the main one does, so the marker is real)', () => {
    const text = (dir: string) =>
      readdirSync(join(DIST, dir))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(DIST, dir, f), 'utf8'))
        .join('\n');
    const main = text('main');
    const post = text('post');
    for (const marker of SDK_MARKERS)
      expect({ marker, inMain: main.includes(marker), inPost: post.includes(marker) }).toEqual({ marker, inMain: false, inPost: false });
    expect({ inMain: main.includes(SIGNER_MARKER), inPost: post.includes(SIGNER_MARKER) }).toEqual({ inMain: true, inPost: false });
  });
});
