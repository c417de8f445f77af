// src/flow.ts runPlan: the modules together, in-process. Inputs go through readConfig and makePlan as the main step
// reads them; the source and STS are the emulator's. Retries are the flow's own, with millisecond delays.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { readConfig } from '../../src/config.js';
import type { Env } from '../../src/inputs.js';
import { type FlowResult, flowSettings, runPlan } from '../../src/flow.js';
import { makePlan } from '../../src/plan.js';
import { jobContext } from '../../src/sources/source.js';
import { ACCOUNT, actionError, FAST_RETRY, inputs, tempDir } from './helpers.js';

let em: Emulator;
let user: AccessKey;
let roleArn: string;
let providerArn: string;
let dir: string;

beforeAll(async () => {
  em = await startEmulator();
  user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  roleArn = (await em.addRole({ accountId: ACCOUNT, name: 'deploy', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  dir = tempDir('flow');
});
afterAll(async () => {
  await em.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await em.clearFaults();
  await em.resetRequests();
});

/** Reads the inputs, makes the plan and runs it as the main step does; what it logged and reported as secret. */
async function run(values: Record<string, string>, env: Env = {}) {
  const input = inputs({ 'sts-endpoint': `http://${em.stsHost}`, ...values });
  const config = readConfig(input, env);
  const plan = makePlan(config, input, jobContext(env));
  const logs: string[] = [];
  const secrets: string[] = [];
  const outcome: Promise<FlowResult> = runPlan(plan, {
    ...flowSettings(config),
    retry: FAST_RETRY,
    env,
    onSecret: (s) => secrets.push(s),
    log: (m) => logs.push(m),
  });
  return { outcome, logs, secrets };
}

const githubEnv = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken, GITHUB_RUN_ID: '42' });

describe('runPlan', () => {
  it('OIDC: a GitHub token, exchanged for the role; token and credentials reported as secrets', async () => {
    const { outcome, secrets } = await run({ 'role-to-assume': roleArn, 'oidc-provider-arn': providerArn }, githubEnv());
    const { credentials, identity } = await outcome;
    expect(identity).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:assumed-role/deploy/gha-42` });
    expect((await em.requests()).map((r) => [r.target, r.status])).toEqual([
      ['oidc-token', 200],
      ['AssumeRoleWithOIDC', 200],
    ]);
    expect(secrets[0]).toMatch(/^ey/);
    expect(secrets).toEqual(expect.arrayContaining([credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken]));
  });

  it('OIDC: a trust failure shows the claims the trust policy was compared with, never the token', async () => {
    const strict = (await em.addRole({ accountId: ACCOUNT, name: 'strict', oidc: { providerArn, sub: ['repo:other-org/*'] } })).arn;
    const { outcome, secrets } = await run({ 'role-to-assume': strict, 'oidc-provider-arn': providerArn }, githubEnv());
    const error = await actionError(outcome);
    expect(error.kind).toBe('trust');
    expect(error.message).toMatch(/\nClaims of the OIDC token:\n( {2}.+\n)* {2}sub: repo:octo-org\/octo-repo:ref:refs\/heads\/main\n/);
    expect(error.message).not.toContain(secrets[0]);
  });

  it('token file: every attempt reads the file again, so a token replaced between attempts is used', async () => {
    const path = join(dir, 'token');
    writeFileSync(path, await em.mintToken({ expiresInSeconds: -60 }));
    const fresh = await em.mintToken();
    em.onceRequested('AssumeRoleWithOIDC', () => writeFileSync(path, fresh));
    const { outcome, logs, secrets } = await run({ 'role-to-assume': roleArn, 'oidc-provider-arn': providerArn, 'oidc-token-file': path });
    expect((await outcome).identity?.accountId).toBe(ACCOUNT);
    expect((await em.requests()).map((r) => r.code ?? r.status)).toEqual(['AuthenticationFail.OIDCToken.Expired', 200]);
    expect(logs[0]).toMatch(
      /^AssumeRoleWithOIDC: attempt 1\/3 failed \(AuthenticationFail\.OIDCToken\.Expired, RequestId [0-9A-F-]{36}\); retrying in \d+ ms\.$/,
    );
    expect(secrets).toContain(fresh);
  });

  it('access keys without a role: proven with GetCallerIdentity', async () => {
    const { outcome } = await run({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret });
    expect(await outcome).toEqual({
      credentials: { accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret, securityToken: undefined },
      identity: { accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:user/ci` },
    });
    expect((await em.requests()).map((r) => r.target)).toEqual(['GetCallerIdentity']);
  });

  it('access keys with a role: AssumeRole, tried again after Throttling.User', async () => {
    await em.queueFault('AssumeRole', { kind: 'throttle' });
    const { outcome, logs } = await run({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': roleArn,
      'role-session-name': 'keys',
    });
    expect((await outcome).identity?.arn).toBe(`acs:ram::${ACCOUNT}:assumed-role/deploy/keys`);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^AssumeRole: throttled attempt 1 \(Throttling\.User, RequestId [0-9A-F-]{36}\); retrying in \d+ ms\.$/);
  });

  it('a non-retryable STS error ends the flow at once', async () => {
    const { outcome } = await run({ 'access-key-id': user.accessKeyId, 'access-key-secret': 'WrongSecret000', 'role-to-assume': roleArn });
    const error = await actionError(outcome);
    expect(error.details.code).toBe('SignatureDoesNotMatch');
    expect(await em.requests()).toHaveLength(1);
  });

  it('a credentials URI without a role: used as it is, no STS request, no identity', async () => {
    const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker' });
    const { outcome } = await run({ 'credentials-uri': url });
    const result = await outcome;
    expect(result.identity).toBeUndefined();
    expect(result.credentials.accessKeyId).toMatch(/^STS\./);
    expect((await em.requests()).map((r) => r.target)).toEqual(['credentials-uri']);
  });

  it('a credentials URI with allowed-account-ids: looked up with GetCallerIdentity', async () => {
    const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker2' });
    const { outcome } = await run({ 'credentials-uri': url, 'allowed-account-ids': ACCOUNT });
    const { identity } = await outcome;
    expect(identity?.accountId).toBe(ACCOUNT);
    expect(identity?.arn).toMatch(new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/broker2/`));
    expect((await em.requests()).map((r) => r.target)).toEqual(['credentials-uri', 'GetCallerIdentity']);
  });
});
