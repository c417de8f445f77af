// End-to-end tests of the credential flows: the BUILT action (dist/main, dist/post) runs as a child process, the
// way the GitHub runner runs it, against the loopback emulator. Each scenario checks what the step reports
// (exit code, outputs, log), what a later step of the job sees (the exported variables, proved by
// consumer.mjs — @alicloud/credentials' default chain + STS GetCallerIdentity — run with nothing but those
// variables), the exact requests the emulator received, the post step, and that no secret leaked.
// Nothing is mocked, except DNS in the VPC-endpoint scenario (see there why).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import StsModule from '@alicloud/sts20150401';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator, RequestRecord } from '../../emulator/types.js';
import { findLeaks, newJob, ROOT, runNode, type Job, type StepResult, oidcJobEnv } from './runner.js';

const ACCOUNT_A = '1234567890123456';
const ACCOUNT_B = '6543210987654321';
const ACCOUNT_C = '1111222233334444';
const RUN_ID = '1234567890';
const DEFAULT_SESSION = `gha-${RUN_ID}-octo-org-octo-repo`;

// docs/CONSUMERS.md, "What the action sets and clears": the contract, written out here rather than imported from src/.
const KEY_ID_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY', 'ALIYUN_ACCESS_KEY_ID'];
const SECRET_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY', 'ALIYUN_ACCESS_KEY_SECRET'];
const TOKEN_VARS = ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'];
const REGION_VARS = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION'];
const DIVERTING_VARS = [
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_ECS_METADATA',
];
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface Keys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

interface ConsumerResult {
  ok: boolean;
  error?: string;
  provider?: string;
  accessKeyId?: string;
  calls?: Array<{ accountId: string; arn: string; identityType: string; accessKeyId: string }>;
}

let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
});

afterAll(async () => {
  await em?.close();
});

const oidcEnv = () => oidcJobEnv(em);

/** A later step of the job: only the environment it would get, no ~/.aliyun in its HOME. */
async function consumer(env: Record<string, string>): Promise<ConsumerResult> {
  expect(existsSync(join(env.HOME, '.aliyun'))).toBe(false);
  const { code, stdout, stderr } = await runNode(join(ROOT, '__tests__/e2e/consumer.mjs'), env, [em.stsHost]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ConsumerResult;
}

/** Runs the consumer as a later step and checks it is the expected identity with the exported keys. */
async function expectLaterStepIs(j: Job, arn: string, accountId: string, identityType: string): Promise<void> {
  const env = j.laterStepEnv();
  await em.resetRequests();
  const seen = await consumer(env);
  expect(seen).toMatchObject({ ok: true, accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID });
  expect(seen.calls).toEqual([{ accountId, arn, identityType, accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID }]);
  // The consumer's one call was signed with the exported key, not with anything else it could have found.
  const requests = await em.requests();
  expect(requests.map((r) => [r.target, r.status, r.accessKeyId])).toEqual([['GetCallerIdentity', 200, env.ALIBABA_CLOUD_ACCESS_KEY_ID]]);
}

/** The secrets a scenario must not print: everything the emulator issued, the inputs and the exported keys. */
async function secretsOf(...extra: Array<string | undefined>): Promise<string[]> {
  return [...(await em.secrets()), ...extra.filter((value): value is string => Boolean(value))];
}

async function expectNoLeaks(result: StepResult, ...extra: Array<string | undefined>): Promise<void> {
  expect(findLeaks(result, await secretsOf(...extra))).toEqual([]);
}

/** The first log line that shows the secret is its own ::add-mask:: line. */
function expectMaskedFirst(result: StepResult, secret: string): void {
  expect(result.masks).toContain(secret);
  const lines = result.stdout.split('\n');
  const first = lines.findIndex((line) => line.includes(secret));
  expect(lines[first]).toBe(`::add-mask::${secret}`);
}

/** Every variable of a family holds one value; returns the exported credentials. */
function exportedKeys(exported: Record<string, string>, withToken: boolean): Keys {
  const one = (names: string[]) => {
    const values = new Set(names.map((name) => exported[name]));
    expect(values.size).toBe(1);
    const [value] = values;
    return value;
  };
  const keys: Keys = { accessKeyId: one(KEY_ID_VARS), accessKeySecret: one(SECRET_VARS) };
  expect(keys.accessKeyId).toBeTruthy();
  expect(keys.accessKeySecret).toBeTruthy();
  if (withToken) {
    keys.securityToken = one(TOKEN_VARS);
    expect(keys.securityToken).toBeTruthy();
  }
  return keys;
}

function expectExpiresIn(expiration: string | undefined, seconds: number): void {
  expect(expiration).toMatch(ISO_SECONDS);
  const lifetime = (Date.parse(expiration ?? '') - Date.now()) / 1000;
  // A window, not a speed test: it only has to tell 900 from 3600 and the default from a given value.
  expect(lifetime).toBeGreaterThan(seconds - 120);
  expect(lifetime).toBeLessThanOrEqual(seconds + 1);
}

function targets(requests: RequestRecord[]): string[] {
  return requests.map((r) => `${r.target} ${r.status}`);
}

async function expectPostClean(j: Job, ...secrets: Array<string | undefined>): Promise<void> {
  const post = await j.post();
  expect(post.code).toBe(0);
  expect(post.error).toBeUndefined();
  await expectNoLeaks(post, ...secrets);
}

/** STS credentials straight from the emulator, through the real SDK (a source some earlier tool produced). */
async function stsSession(user: AccessKey, roleArn: string, sessionName: string): Promise<Keys> {
  const client = new StsModule.default(
    new $OpenApiUtil.Config({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret, endpoint: em.stsHost, protocol: 'http' }),
  );
  const { body } = await client.assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: sessionName, durationSeconds: 3600 }));
  const credentials = body?.credentials;
  if (!credentials?.accessKeyId || !credentials.accessKeySecret || !credentials.securityToken) throw new Error('AssumeRole gave no credentials');
  return { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret, securityToken: credentials.securityToken };
}

describe('GitHub OIDC -> AssumeRoleWithOIDC', () => {
  let providerArn: string;
  let roleArn: string;

  beforeAll(async () => {
    providerArn = (await em.addOidcProvider({ accountId: ACCOUNT_A, name: 'github' })).arn;
    roleArn = (await em.addRole({ accountId: ACCOUNT_A, name: 'GhaDeploy', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  });

  it.each([
    ['without credential outputs', false],
    ['with output-credentials: true', true],
  ])('exports the session to later steps, %s', async (_name, outputCredentials) => {
    const j = newJob(oidcEnv());
    await em.resetRequests();
    const inputs: Record<string, string> = { 'role-to-assume': roleArn, 'oidc-provider-arn': providerArn, 'sts-endpoint': `http://${em.stsHost}` };
    if (outputCredentials) inputs['output-credentials'] = 'true';
    const main = await j.main(inputs);
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);

    // Exactly two round trips: one token from GitHub (for the default audience), one AssumeRoleWithOIDC.
    const requests = await em.requests();
    expect(targets(requests)).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200']);
    expect(requests[0].params).toEqual({ audience: 'sts.aliyuncs.com' });
    expect(requests[1].params).toMatchObject({ RoleArn: roleArn, OIDCProviderArn: providerArn, RoleSessionName: DEFAULT_SESSION, DurationSeconds: '3600' });

    // Every family of exported names holds the same STS session, and nothing else is exported.
    expect(Object.keys(main.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS].sort());
    const keys = exportedKeys(main.exported, true);
    expect(keys.accessKeyId).toMatch(/^STS\./);
    const issued = await em.secrets();
    expect(issued).toContain(keys.accessKeySecret);
    expect(issued).toContain(keys.securityToken);

    const sessionArn = `acs:ram::${ACCOUNT_A}:assumed-role/GhaDeploy/${DEFAULT_SESSION}`;
    const expected: Record<string, string> = {
      'account-id': ACCOUNT_A,
      'assumed-role-arn': sessionArn,
      'role-session-name': DEFAULT_SESSION,
      expiration: main.outputs.expiration,
    };
    if (outputCredentials) {
      expected['aliyun-access-key-id'] = keys.accessKeyId;
      expected['aliyun-access-key-secret'] = keys.accessKeySecret;
      expected['aliyun-security-token'] = keys.securityToken ?? '';
    }
    expect(main.outputs).toEqual(expected);
    expectExpiresIn(main.outputs.expiration, 3600);

    // The STS credentials (and the OIDC request bearer) are masked before any other line could show them.
    for (const secret of [keys.accessKeyId, keys.accessKeySecret, keys.securityToken ?? '']) expectMaskedFirst(main, secret);
    expect(main.masks).toContain(em.oidcRequestToken);
    await expectNoLeaks(main, keys.accessKeyId);

    await expectLaterStepIs(j, sessionArn, ACCOUNT_A, 'AssumedRoleUser');
    await expectPostClean(j, keys.accessKeyId);
  });
});

describe('AccessKey + role-to-assume -> AssumeRole', () => {
  it('passes the external id, the compact inline policy, the expiration and the session name', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_A, name: 'deployer' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_A, name: 'ExternalAudit', externalId: 'ext-1234:audit', maxSessionDuration: 3600 })).arn;
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'oss:List*'], Resource: '*' }] };
    const j = newJob();
    await em.resetRequests();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': roleArn,
      'role-external-id': 'ext-1234:audit',
      'inline-session-policy': JSON.stringify(policy, null, 2),
      'role-session-expiration': '900',
      'role-session-name': 'audit.run-42@ci',
      'sts-endpoint': `http://${em.stsHost}`,
    });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);

    const requests = await em.requests();
    expect(targets(requests)).toEqual(['AssumeRole 200']);
    expect(requests[0].accessKeyId).toBe(user.accessKeyId);
    // The policy reaches STS without the white space of the input (STS counts its length).
    expect(requests[0].params).toMatchObject({
      RoleArn: roleArn,
      ExternalId: 'ext-1234:audit',
      Policy: JSON.stringify(policy),
      DurationSeconds: '900',
      RoleSessionName: 'audit.run-42@ci',
    });

    const keys = exportedKeys(main.exported, true);
    expect(Object.keys(main.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS].sort());
    expect(keys.accessKeyId).not.toBe(user.accessKeyId);
    const sessionArn = `acs:ram::${ACCOUNT_A}:assumed-role/ExternalAudit/audit.run-42@ci`;
    expect(main.outputs).toEqual({
      'account-id': ACCOUNT_A,
      'assumed-role-arn': sessionArn,
      'role-session-name': 'audit.run-42@ci',
      expiration: main.outputs.expiration,
    });
    expectExpiresIn(main.outputs.expiration, 900);
    for (const secret of [user.accessKeyId, user.accessKeySecret]) expectMaskedFirst(main, secret);
    for (const secret of [keys.accessKeyId, keys.accessKeySecret, keys.securityToken ?? '']) expectMaskedFirst(main, secret);
    await expectNoLeaks(main, user.accessKeyId, keys.accessKeyId);

    await expectLaterStepIs(j, sessionArn, ACCOUNT_A, 'AssumedRoleUser');
    await expectPostClean(j, user.accessKeyId, keys.accessKeyId);
  });
});

describe('STS credentials as the source -> AssumeRole', () => {
  it('assumes the role with access-key-id STS.…, access-key-secret and security-token', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_A, name: 'bootstrap' });
    const firstRole = (await em.addRole({ accountId: ACCOUNT_A, name: 'Bootstrap' })).arn;
    const targetRole = (await em.addRole({ accountId: ACCOUNT_A, name: 'Scanner' })).arn;
    const source = await stsSession(user, firstRole, 'earlier-tool');
    expect(source.accessKeyId).toMatch(/^STS\./);

    const j = newJob();
    await em.resetRequests();
    const main = await j.main({
      'access-key-id': source.accessKeyId,
      'access-key-secret': source.accessKeySecret,
      'security-token': source.securityToken ?? '',
      'role-to-assume': targetRole,
      'sts-endpoint': `http://${em.stsHost}`,
    });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);

    const requests = await em.requests();
    expect(targets(requests)).toEqual(['AssumeRole 200']);
    expect(requests[0].accessKeyId).toBe(source.accessKeyId);
    expect(requests[0].params).toMatchObject({ RoleArn: targetRole, RoleSessionName: DEFAULT_SESSION, DurationSeconds: '3600' });

    const keys = exportedKeys(main.exported, true);
    expect(keys.accessKeyId).not.toBe(source.accessKeyId);
    expect(keys.securityToken).not.toBe(source.securityToken);
    const sessionArn = `acs:ram::${ACCOUNT_A}:assumed-role/Scanner/${DEFAULT_SESSION}`;
    expect(main.outputs).toEqual({
      'account-id': ACCOUNT_A,
      'assumed-role-arn': sessionArn,
      'role-session-name': DEFAULT_SESSION,
      expiration: main.outputs.expiration,
    });
    expectExpiresIn(main.outputs.expiration, 3600);
    for (const secret of [source.accessKeyId, source.accessKeySecret, source.securityToken ?? '']) expectMaskedFirst(main, secret);
    await expectNoLeaks(main, source.accessKeyId, keys.accessKeyId);

    await expectLaterStepIs(j, sessionArn, ACCOUNT_A, 'AssumedRoleUser');
    await expectPostClean(j, source.accessKeyId, keys.accessKeyId);
  });
});

describe('static AccessKeys without a role', () => {
  it('exports them as they are after one GetCallerIdentity', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_B, name: 'static-ci' });
    const j = newJob();
    await em.resetRequests();
    const main = await j.main({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'sts-endpoint': `http://${em.stsHost}` });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);

    const requests = await em.requests();
    expect(targets(requests)).toEqual(['GetCallerIdentity 200']);
    expect(requests[0].accessKeyId).toBe(user.accessKeyId);

    // No security token variables at all: the keys are permanent.
    expect(Object.keys(main.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS].sort());
    expect(exportedKeys(main.exported, false)).toEqual({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret });
    expect(main.outputs).toEqual({ 'account-id': ACCOUNT_B });
    for (const secret of [user.accessKeyId, user.accessKeySecret]) expectMaskedFirst(main, secret);
    await expectNoLeaks(main, user.accessKeyId);

    await expectLaterStepIs(j, `acs:ram::${ACCOUNT_B}:user/static-ci`, ACCOUNT_B, 'RAMUser');
    await expectPostClean(j, user.accessKeyId);
  });
});

describe('role chaining and stale tokens', () => {
  it('chains from an OIDC session in account A to a role in account B in the same job', async () => {
    const providerArn = (await em.addOidcProvider({ accountId: ACCOUNT_A, name: 'github-chain' })).arn;
    const roleA = (await em.addRole({ accountId: ACCOUNT_A, name: 'Hub', oidc: { providerArn, sub: ['repo:octo-org/*'] } })).arn;
    const roleB = (await em.addRole({ accountId: ACCOUNT_B, name: 'Spoke', trustedAccounts: [ACCOUNT_A] })).arn;
    const j = newJob(oidcEnv());
    const endpoint = `http://${em.stsHost}`;

    const first = await j.main({ 'role-to-assume': roleA, 'oidc-provider-arn': providerArn, 'sts-endpoint': endpoint, 'role-session-name': 'hub-session' });
    expect(first.error).toBeUndefined();
    expect(first.code).toBe(0);
    const keysA = exportedKeys(first.exported, true);

    await em.resetRequests();
    const second = await j.main({ 'role-chaining': 'true', 'role-to-assume': roleB, 'sts-endpoint': endpoint });
    expect(second.error).toBeUndefined();
    expect(second.code).toBe(0);

    // One AssumeRole, signed with the session the first step exported; no OIDC token this time.
    const requests = await em.requests();
    expect(targets(requests)).toEqual(['AssumeRole 200']);
    expect(requests[0].accessKeyId).toBe(keysA.accessKeyId);
    expect(requests[0].params).toMatchObject({ RoleArn: roleB, RoleSessionName: DEFAULT_SESSION });

    const keysB = exportedKeys(second.exported, true);
    expect(Object.keys(second.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS].sort());
    expect(keysB.accessKeyId).not.toBe(keysA.accessKeyId);
    const sessionArn = `acs:ram::${ACCOUNT_B}:assumed-role/Spoke/${DEFAULT_SESSION}`;
    expect(second.outputs).toEqual({
      'account-id': ACCOUNT_B,
      'assumed-role-arn': sessionArn,
      'role-session-name': DEFAULT_SESSION,
      expiration: second.outputs.expiration,
    });
    // The source keys came from the environment: masked in this step too, before anything else.
    for (const secret of [keysA.accessKeyId, keysA.accessKeySecret, keysA.securityToken ?? '']) expectMaskedFirst(second, secret);
    for (const secret of [keysB.accessKeyId, keysB.accessKeySecret, keysB.securityToken ?? '']) expectMaskedFirst(second, secret);
    await expectNoLeaks(first, keysA.accessKeyId);
    await expectNoLeaks(second, keysA.accessKeyId, keysB.accessKeyId);

    await expectLaterStepIs(j, sessionArn, ACCOUNT_B, 'AssumedRoleUser');
    await expectPostClean(j, keysA.accessKeyId, keysB.accessKeyId);
  });

  it('blanks the security token of an earlier step when the new keys are permanent', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_A, name: 'sts-maker' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_A, name: 'Earlier' })).arn;
    const other = await em.addUser({ accountId: ACCOUNT_C, name: 'other-user' });
    const session = await stsSession(user, roleArn, 'earlier');
    const j = newJob();
    const endpoint = `http://${em.stsHost}`;

    const first = await j.main({
      'access-key-id': session.accessKeyId,
      'access-key-secret': session.accessKeySecret,
      'security-token': session.securityToken ?? '',
      'sts-endpoint': endpoint,
    });
    expect(first.error).toBeUndefined();
    expect(first.code).toBe(0);
    expect(exportedKeys(first.exported, true)).toEqual(session);

    await em.resetRequests();
    const second = await j.main({ 'access-key-id': other.accessKeyId, 'access-key-secret': other.accessKeySecret, 'sts-endpoint': endpoint });
    expect(second.error).toBeUndefined();
    expect(second.code).toBe(0);
    expect(targets(await em.requests())).toEqual(['GetCallerIdentity 200']);

    // The token of the first step would not match the new keys: each token variable is exported empty.
    expect(Object.keys(second.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS].sort());
    expect(exportedKeys(second.exported, false)).toEqual({ accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret });
    for (const name of TOKEN_VARS) {
      expect(second.exported[name]).toBe('');
      expect(second.stdout).toContain(`Cleared ${name}`);
    }
    expect(j.laterStepEnv().ALIBABA_CLOUD_SECURITY_TOKEN).toBe('');
    expect(second.outputs).toEqual({ 'account-id': ACCOUNT_C });
    for (const secret of [other.accessKeyId, other.accessKeySecret]) expectMaskedFirst(second, secret);
    // Control: had the old token stayed, the consumer would have sent it with the new keys and failed.
    const stale = await consumer({ ...j.laterStepEnv(), ALIBABA_CLOUD_SECURITY_TOKEN: session.securityToken ?? '' });
    expect(stale.ok).toBe(false);
    await expectNoLeaks(first, session.accessKeyId);
    await expectNoLeaks(second, session.accessKeyId, other.accessKeyId);

    await expectLaterStepIs(j, `acs:ram::${ACCOUNT_C}:user/other-user`, ACCOUNT_C, 'RAMUser');
    await expectPostClean(j, session.accessKeyId, other.accessKeyId);
  });
});

describe('variables that would divert a consumer', () => {
  it('exports each one empty, says so, and the consumer picks the exported keys', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_A, name: 'blanking' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_A, name: 'Blanked' })).arn;
    // Left by an earlier step or the runner: each would make the default chain take another path (and fail).
    const diverting: Record<string, string> = {
      ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${ACCOUNT_B}:role/Elsewhere`,
      ALIBABA_CLOUD_CREDENTIALS_URI: `${em.url}/credentials/does-not-exist`,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: `acs:ram::${ACCOUNT_B}:oidc-provider/elsewhere`,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/nonexistent/rrsa/token',
      ALIBABA_CLOUD_ECS_METADATA: 'SomeInstanceRole',
    };
    const j = newJob(diverting);
    await em.resetRequests();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': roleArn,
      'sts-endpoint': `http://${em.stsHost}`,
    });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);
    expect(targets(await em.requests())).toEqual(['AssumeRole 200']);

    for (const name of DIVERTING_VARS) {
      expect(main.exported[name]).toBe('');
      expect(main.stdout).toContain(`Cleared ${name}`);
    }
    expect(Object.keys(main.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS, ...DIVERTING_VARS].sort());
    const keys = exportedKeys(main.exported, true);
    for (const name of DIVERTING_VARS) expect(j.laterStepEnv()[name]).toBe('');
    for (const secret of [keys.accessKeyId, keys.accessKeySecret, keys.securityToken ?? '']) expectMaskedFirst(main, secret);
    await expectNoLeaks(main, user.accessKeyId, keys.accessKeyId);

    // @alicloud/credentials' default chain reads the key variables first, so for this consumer the blanked
    // variables are harmless either way (Prowler's order differs, docs/CONSUMERS.md); what it proves is that the
    // empty values break nothing and the exported session is the one used.
    await expectLaterStepIs(j, `acs:ram::${ACCOUNT_A}:assumed-role/Blanked/${DEFAULT_SESSION}`, ACCOUNT_A, 'AssumedRoleUser');
    await expectPostClean(j, user.accessKeyId, keys.accessKeyId);
  });
});

describe('region and delivery options', () => {
  it('exports the five region variables with region: cn-shanghai', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_B, name: 'regional' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_B, name: 'Regional' })).arn;
    const j = newJob();
    await em.resetRequests();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': roleArn,
      region: 'cn-shanghai',
      'sts-endpoint': `http://${em.stsHost}`,
    });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);
    expect(targets(await em.requests())).toEqual(['AssumeRole 200']);

    expect(Object.keys(main.exported).sort()).toEqual([...KEY_ID_VARS, ...SECRET_VARS, ...TOKEN_VARS, ...REGION_VARS].sort());
    for (const name of REGION_VARS) expect(main.exported[name]).toBe('cn-shanghai');
    const keys = exportedKeys(main.exported, true);
    const sessionArn = `acs:ram::${ACCOUNT_B}:assumed-role/Regional/${DEFAULT_SESSION}`;
    expect(main.outputs).toEqual({
      'account-id': ACCOUNT_B,
      'assumed-role-arn': sessionArn,
      'role-session-name': DEFAULT_SESSION,
      expiration: main.outputs.expiration,
    });
    for (const secret of [keys.accessKeyId, keys.accessKeySecret, keys.securityToken ?? '']) expectMaskedFirst(main, secret);
    await expectNoLeaks(main, user.accessKeyId, keys.accessKeyId);

    await expectLaterStepIs(j, sessionArn, ACCOUNT_B, 'AssumedRoleUser');
    await expectPostClean(j, user.accessKeyId, keys.accessKeyId);
  });

  it('with export-env: false and output-credentials: true, writes nothing to GITHUB_ENV and sets the credential outputs', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_B, name: 'outputs-only' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_B, name: 'OutputsOnly' })).arn;
    const j = newJob();
    await em.resetRequests();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': roleArn,
      'export-env': 'false',
      'output-credentials': 'true',
      'sts-endpoint': `http://${em.stsHost}`,
    });
    expect(main.error).toBeUndefined();
    expect(main.code).toBe(0);
    expect(targets(await em.requests())).toEqual(['AssumeRole 200']);
    expect(readFileSync(join(j.dir, 'env-1'), 'utf8')).toBe('');
    expect(main.exported).toEqual({});

    const sessionArn = `acs:ram::${ACCOUNT_B}:assumed-role/OutputsOnly/${DEFAULT_SESSION}`;
    const { outputs } = main;
    expect(Object.keys(outputs).sort()).toEqual([
      'account-id',
      'aliyun-access-key-id',
      'aliyun-access-key-secret',
      'aliyun-security-token',
      'assumed-role-arn',
      'expiration',
      'role-session-name',
    ]);
    expect(outputs).toMatchObject({ 'account-id': ACCOUNT_B, 'assumed-role-arn': sessionArn, 'role-session-name': DEFAULT_SESSION });
    expect(outputs['aliyun-access-key-id']).toMatch(/^STS\./);
    const issued = await em.secrets();
    expect(issued).toContain(outputs['aliyun-access-key-secret']);
    expect(issued).toContain(outputs['aliyun-security-token']);
    for (const secret of [outputs['aliyun-access-key-id'], outputs['aliyun-access-key-secret'], outputs['aliyun-security-token']])
      expectMaskedFirst(main, secret);
    await expectNoLeaks(main, user.accessKeyId, outputs['aliyun-access-key-id']);

    // A later step that only inherits the job env finds no credentials …
    await em.resetRequests();
    const bare = await consumer(j.laterStepEnv());
    expect(bare.ok).toBe(false);
    expect(await em.requests()).toEqual([]);
    // … one that maps the outputs into its env (env: ALIBABA_CLOUD_ACCESS_KEY_ID: ${{ steps.x.outputs.aliyun-access-key-id }}) works.
    const mapped = await consumer({
      ...j.laterStepEnv(),
      ALIBABA_CLOUD_ACCESS_KEY_ID: outputs['aliyun-access-key-id'],
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: outputs['aliyun-access-key-secret'],
      ALIBABA_CLOUD_SECURITY_TOKEN: outputs['aliyun-security-token'],
    });
    expect(mapped).toMatchObject({ ok: true, accessKeyId: outputs['aliyun-access-key-id'] });
    expect(mapped.calls?.map((c) => [c.arn, c.accountId])).toEqual([[sessionArn, ACCOUNT_B]]);
    await expectPostClean(j, user.accessKeyId, outputs['aliyun-access-key-id']);
  });
});

describe('use-vpc-endpoint: true', () => {
  // DNS is the one thing replaced here: this sandbox's resolver is another host (10.255.255.53), and on a
  // machine with internet access sts-vpc.<region>.aliyuncs.com may resolve. A preload in the child process
  // answers every lookup with ENOTFOUND — as a resolver outside a VPC does — and records the names asked, so
  // no packet leaves the machine and the test can see which host the action tried to reach.
  it('fails with a network error naming sts-vpc.<region>.aliyuncs.com and exports nothing', async () => {
    const user = await em.addUser({ accountId: ACCOUNT_A, name: 'vpc-user' });
    const roleArn = (await em.addRole({ accountId: ACCOUNT_A, name: 'Vpc' })).arn;
    const j = newJob();
    const preload = join(j.dir, 'dns-stub.mjs');
    const lookups = join(j.dir, 'lookups.txt');
    writeFileSync(lookups, '');
    writeFileSync(
      preload,
      [
        "import dns from 'node:dns';",
        "import { appendFileSync } from 'node:fs';",
        'const log = process.env.DNS_STUB_LOG;',
        "const notFound = (hostname) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });",
        "dns.lookup = (hostname, options, callback) => { appendFileSync(log, `${hostname}\\n`); process.nextTick(typeof options === 'function' ? options : callback, notFound(hostname)); };",
        'dns.promises.lookup = async (hostname) => { appendFileSync(log, `${hostname}\\n`); throw notFound(hostname); };',
      ].join('\n'),
    );
    await em.resetRequests();
    const main = await j.main(
      {
        'access-key-id': user.accessKeyId,
        'access-key-secret': user.accessKeySecret,
        'role-to-assume': roleArn,
        'use-vpc-endpoint': 'true',
        region: 'cn-hangzhou',
        'retry-max-attempts': '1',
      },
      { NODE_OPTIONS: `--import ${preload}`, DNS_STUB_LOG: lookups },
    );
    expect(main.code).toBe(1);
    expect(main.error).toContain('AssumeRole could not reach STS');
    expect(main.error).toContain('sts-vpc.cn-hangzhou.aliyuncs.com');
    expect(main.error).toMatch(/ENOTFOUND/);
    expect(main.error).toMatch(/VPC endpoints resolve only inside a VPC/);
    // One attempt (retry-max-attempts: 1), to the VPC host only; the emulator saw nothing.
    expect(readFileSync(lookups, 'utf8').trim().split('\n')).toEqual(['sts-vpc.cn-hangzhou.aliyuncs.com']);
    expect(await em.requests()).toEqual([]);
    expect(main.exported).toEqual({});
    expect(main.outputs).toEqual({});
    for (const secret of [user.accessKeyId, user.accessKeySecret]) expectMaskedFirst(main, secret);
    expect(readFileSync(join(j.dir, 'env-1'), 'utf8')).toBe('');
    expect(readFileSync(join(j.dir, 'output-1'), 'utf8')).toBe('');
    await expectNoLeaks(main, user.accessKeyId);
    await expectPostClean(j, user.accessKeyId);
  });
});
