// e2e: every credential source of Prowler's Alibaba Cloud guide, run through the built action (dist/) against
// the loopback emulator, and checked the way a later step sees it: @alicloud/credentials + STS GetCallerIdentity
// (consumer.mjs) and Prowler's own choice of credentials (the pinned Prowler's AlibabacloudProvider.setup_session,
// run by __tests__/consumers/consumers.ts with the credentials client recorded, not built). Also the aliyun CLI profile, account checks,
// account masking and the job summary. Nothing is mocked: the action is a child process, STS is real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator, RequestRecord } from '../../emulator/types.js';
import { aliyunCliCredentials } from '../consumers/aliyun-cli.mjs';
import { type ProwlerChoice, prowlerChoice } from '../consumers/consumers.js';
import { findLeaks, newJob, ROOT, runNode, type Job, type StepResult, oidcJobEnv, expectMode } from './runner.js';

const ACCOUNT = '1234567890123456';
const OTHER_ACCOUNT = '6543210987654321';
const CONSUMER = join(ROOT, '__tests__', 'e2e', 'consumer.mjs');
const CREDENTIAL_VARS = /^(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD|ALIYUN)_/;
const PROFILE_VARS = ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE'];

// What a workflow (or an ACK pod, or an ECS image) may already have set before the action runs. Each of them
// would make Prowler take another path than the exported keys; the stale token would turn AccessKeys into STS.
const DIVERTING_ENV: Record<string, string> = {
  ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:9/stale-broker',
  ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${OTHER_ACCOUNT}:role/StaleRole`,
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: `acs:ram::${OTHER_ACCOUNT}:oidc-provider/ack-rrsa`,
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token',
  ALIBABA_CLOUD_ECS_METADATA: 'StaleEcsRole',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'stale-security-token-of-an-earlier-tool',
};

interface ConsumerResult {
  ok: boolean;
  provider?: string;
  accessKeyId?: string;
  calls?: Array<{ accountId: string; arn: string; identityType: string; accessKeyId: string }>;
  error?: string;
}

let em: Emulator;
let user: AccessKey;
let auditRoleArn: string;
let oidcRoleArn: string;
let providerArn: string;
let brokerUri: string;

beforeAll(async () => {
  em = await startEmulator();
  user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
  auditRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'ProwlerAuditRole' })).arn;
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  oidcRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'GithubOidcRole', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  brokerUri = (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'BrokerRole' })).url;
});

afterAll(async () => {
  await em?.close();
});

beforeEach(async () => {
  await em.clearFaults();
  await em.resetRequests();
});

const endpoint = () => `http://${em.stsHost}`;

async function expectNoLeaks(result: StepResult, inputSecrets: string[] = []): Promise<void> {
  expect(findLeaks(result, [...(await em.secrets()), ...inputSecrets])).toEqual([]);
}

function lastJsonLine<T>(stdout: string, what: string): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} printed no JSON: ${stdout}`);
  }
}

async function consumer(env: Record<string, string>): Promise<ConsumerResult> {
  // Should the exported credentials be missing, the SDK's default chain would go on to the ECS metadata address
  // from this (the host's) network: never. The metadata service is tested in its own namespace (ecs-netns.test.ts).
  const { stdout, stderr } = await runNode(CONSUMER, { ...env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, [em.stsHost]);
  return lastJsonLine<ConsumerResult>(stdout, `consumer (stderr: ${stderr})`);
}

function prowler(env: Record<string, string>, args: string[] = []): Promise<ProwlerChoice> {
  return prowlerChoice(env, args);
}

/** A later step that carries no credential variable at all: only HOME, PATH and the profile selection. */
function withoutCredentialVars(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !CREDENTIAL_VARS.test(name) || PROFILE_VARS.includes(name)));
}

function countByTarget(requests: RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.target] = (counts[r.target] ?? 0) + 1;
  return counts;
}

async function mintTokenFile(j: Job, name = 'oidc-token', options: Parameters<Emulator['mintToken']>[0] = {}): Promise<string> {
  const path = join(j.dir, name);
  writeFileSync(path, `${await em.mintToken(options)}\n`, { mode: 0o600 });
  return path;
}

/** STS credentials of the broker, as another tool would hand them to a workflow. */
async function brokerSession(): Promise<{ AccessKeyId: string; AccessKeySecret: string; SecurityToken: string }> {
  const res = await fetch(brokerUri);
  return (await res.json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
}

const githubOidcEnv = () => oidcJobEnv(em);

// ---------------------------------------------------------------------------------------------------------------
// Prowler's documented order first (docs/CONSUMERS.md), from the pinned release's own setup_session.
describe('Prowler’s choice of credentials (AlibabacloudProvider.setup_session)', () => {
  const keys = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample0001', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' };

  it('follows setup_session: URI, OIDC, ECS, role ARN, STS, AccessKey, then no credentials', async () => {
    const everything = { ...keys, ALIBABA_CLOUD_SECURITY_TOKEN: 't', ...DIVERTING_ENV };
    expect((await prowler(everything)).method).toBe('credentials-uri');
    const noUri = { ...everything, ALIBABA_CLOUD_CREDENTIALS_URI: '' };
    // OIDC needs Prowler's --oidc-role-arn: ALIBABA_CLOUD_ROLE_ARN alone never selects it.
    expect((await prowler(noUri, ['--oidc-role-arn', 'acs:ram::1:role/r'])).method).toBe('oidc-role-arn');
    expect((await prowler(noUri)).method).toBe('ecs-ram-role');
    expect((await prowler({ ...noUri, ALIBABA_CLOUD_ECS_METADATA: '' })).method).toBe('ram-role-arn');
    const stsOnly = { ...keys, ALIBABA_CLOUD_SECURITY_TOKEN: 't' };
    expect(await prowler(stsOnly)).toMatchObject({ method: 'sts', accessKeyId: 'LTAIexample0001', hasSecurityToken: true });
    expect(await prowler({ ...stsOnly, ALIBABA_CLOUD_SECURITY_TOKEN: '' })).toMatchObject({ method: 'access-key', accessKeyId: 'LTAIexample0001' });
    expect(await prowler({ ALIYUN_ACCESS_KEY_ID: 'LTAIcompat00001', ALIYUN_ACCESS_KEY_SECRET: 's' })).toMatchObject({
      method: 'access-key',
      accessKeyId: 'LTAIcompat00001',
    });
    // Prowler's step 7 ends without credentials: its SDK refuses a config without a type.
    expect(await prowler({ HOME: '/nonexistent' })).toMatchObject({ method: 'none', accessKeyId: null });
  });

  it('treats exported empty strings as unset, and --oidc-role-arn does not revive a blanked provider ARN', async () => {
    const blanked = {
      ...keys,
      ALIBABA_CLOUD_SECURITY_TOKEN: 't',
      ...Object.fromEntries(
        Object.keys(DIVERTING_ENV)
          .filter((n) => n !== 'ALIBABA_CLOUD_SECURITY_TOKEN')
          .map((n) => [n, '']),
      ),
    };
    expect((await prowler(blanked)).method).toBe('sts');
    expect((await prowler(blanked, ['--oidc-role-arn', 'acs:ram::1:role/r'])).method).toBe('sts');
  });
});

// ---------------------------------------------------------------------------------------------------------------
interface Flow {
  readonly name: string;
  /** Inputs (and step env) for the main step; may prepare files in the job's directory. */
  prepare(j: Job): Promise<{ inputs: Record<string, string>; env?: Record<string, string>; inputSecrets?: string[] }>;
  /** Requests the main step makes, by emulator target. */
  readonly calls: Record<string, number>;
  /** What GetCallerIdentity says in a later step. */
  readonly arn: RegExp;
  readonly prowlerMethod: 'sts' | 'access-key';
  /** Whether the exported AccessKey ID is the source's own (no role assumed). */
  readonly exportsSourceKey?: boolean;
}

const FLOWS: Flow[] = [
  {
    name: 'credentials-uri',
    prepare: async () => ({ inputs: { 'credentials-uri': brokerUri } }),
    calls: { 'credentials-uri': 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/BrokerRole/uri-`),
    prowlerMethod: 'sts',
  },
  {
    name: 'credentials-uri + role-to-assume (AssumeRole)',
    prepare: async () => ({ inputs: { 'credentials-uri': brokerUri, 'role-to-assume': auditRoleArn, 'role-session-name': 'prowler-scan' } }),
    calls: { 'credentials-uri': 1, AssumeRole: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/ProwlerAuditRole/prowler-scan$`),
    prowlerMethod: 'sts',
  },
  {
    name: 'oidc-token-file + oidc-provider-arn + role-to-assume (AssumeRoleWithOIDC)',
    prepare: async (j) => ({ inputs: { 'oidc-token-file': await mintTokenFile(j), 'oidc-provider-arn': providerArn, 'role-to-assume': oidcRoleArn } }),
    calls: { AssumeRoleWithOIDC: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/GithubOidcRole/gha-1234567890-octo-org-octo-repo$`),
    prowlerMethod: 'sts',
  },
  {
    name: 'GitHub OIDC (role-to-assume + oidc-provider-arn)',
    prepare: async () => ({ inputs: { 'oidc-provider-arn': providerArn, 'role-to-assume': oidcRoleArn }, env: githubOidcEnv() }),
    calls: { 'oidc-token': 1, AssumeRoleWithOIDC: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/GithubOidcRole/gha-1234567890-octo-org-octo-repo$`),
    prowlerMethod: 'sts',
  },
  {
    name: 'AccessKey + role-to-assume (AssumeRole)',
    prepare: async () => ({
      inputs: { 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'role-to-assume': auditRoleArn },
      inputSecrets: [user.accessKeyId],
    }),
    calls: { AssumeRole: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/ProwlerAuditRole/gha-1234567890-octo-org-octo-repo$`),
    prowlerMethod: 'sts',
  },
  {
    name: 'STS credentials (AccessKey + security-token) as they are',
    prepare: async () => {
      const s = await brokerSession();
      return {
        inputs: { 'access-key-id': s.AccessKeyId, 'access-key-secret': s.AccessKeySecret, 'security-token': s.SecurityToken },
        inputSecrets: [s.AccessKeyId],
      };
    },
    calls: { GetCallerIdentity: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/BrokerRole/uri-`),
    prowlerMethod: 'sts',
    exportsSourceKey: true,
  },
  {
    name: 'permanent AccessKey as it is',
    prepare: async () => ({ inputs: { 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret } }),
    calls: { GetCallerIdentity: 1 },
    arn: new RegExp(`^acs:ram::${ACCOUNT}:user/ci$`),
    prowlerMethod: 'access-key',
    exportsSourceKey: true,
  },
];

describe.each([
  ['a clean job env', {} as Record<string, string>],
  ['a job env that already set Prowler-diverting variables', DIVERTING_ENV],
])('every source, in %s', (_label, jobEnv) => {
  it.each(FLOWS.map((flow) => [flow.name, flow] as const))('%s: a later step and Prowler use the exported credentials', async (_name, flow) => {
    const j = newJob(jobEnv);
    const { inputs, env = {}, inputSecrets = [] } = await flow.prepare(j);
    await em.resetRequests(); // preparing may have fetched a session
    const main = await j.main({ ...inputs, 'sts-endpoint': endpoint() }, env);
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    await expectNoLeaks(main, inputSecrets);

    // The minimum of round trips, and nothing else (no metadata probing, no extra STS call).
    expect(countByTarget(await em.requests())).toEqual(flow.calls);
    const uriCalls = (await em.requests()).filter((r) => r.target === 'credentials-uri');
    for (const r of uriCalls) expect(r.method).toBe('GET');

    const exportedId = main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
    expect(exportedId).toBeTruthy();
    if (flow.exportsSourceKey) expect(exportedId).toBe(inputs['access-key-id']);
    else expect(exportedId).toMatch(/^STS\./);
    expect(main.masks).toEqual(expect.arrayContaining([exportedId, main.exported.ALIBABA_CLOUD_ACCESS_KEY_SECRET]));

    // A later step: Alibaba's own default chain + GetCallerIdentity, with nothing but the job's environment.
    const later = j.laterStepEnv();
    const seen = await consumer(later);
    expect(seen).toMatchObject({ ok: true, accessKeyId: exportedId });
    expect(seen.calls?.[0]?.accountId).toBe(ACCOUNT);
    expect(seen.calls?.[0]?.arn).toMatch(flow.arn);

    // Prowler, started plainly and (for an ACK-style pod) with --oidc-role-arn, picks exactly these credentials.
    const expected = { method: flow.prowlerMethod, accessKeyId: exportedId, hasSecurityToken: flow.prowlerMethod === 'sts' };
    expect(await prowler(later)).toMatchObject(expected);
    expect(await prowler(later, ['--oidc-role-arn', oidcRoleArn])).toMatchObject(expected);

    if (Object.keys(jobEnv).length > 0) {
      // Without the blanking, Prowler would have gone to the stale credentials URI: the action is what prevents it.
      const setOnly = Object.fromEntries(Object.entries(main.exported).filter(([, value]) => value !== ''));
      expect((await prowler({ ...j.env, ...setOnly })).method).toBe('credentials-uri');
      const cleared = Object.keys(DIVERTING_ENV).filter((name) => name !== 'ALIBABA_CLOUD_SECURITY_TOKEN' || flow.prowlerMethod === 'access-key');
      for (const name of cleared) {
        expect(main.exported[name]).toBe('');
        expect(main.stdout).toContain(`Cleared ${name} for the later steps`);
      }
      if (flow.prowlerMethod === 'sts') expect(main.exported.ALIBABA_CLOUD_SECURITY_TOKEN).not.toBe(DIVERTING_ENV.ALIBABA_CLOUD_SECURITY_TOKEN);
    }

    const post = await j.post();
    expect(post.code).toBe(0);
    await expectNoLeaks(post, inputSecrets);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('credentials-uri failures', () => {
  it('a cut (truncated) body fails with a clear error after one GET, and nothing is exported', async () => {
    await em.queueFault('credentials-uri', { kind: 'truncated' });
    const j = newJob();
    const main = await j.main({ 'credentials-uri': brokerUri, 'retry-max-attempts': '1', 'sts-endpoint': endpoint() });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/The credentials URI answered HTTP 200 with a body that is not a JSON object/);
    expect(main.exported).toEqual({});
    expect(countByTarget(await em.requests())).toEqual({ 'credentials-uri': 1 });
    await expectNoLeaks(main);
  });

  it('an answer whose Code is not "Success" fails and names the code', async () => {
    await em.queueFault('credentials-uri', { kind: 'error', code: 'AccessDenied', status: 200, message: 'broker refused this runner' });
    const j = newJob();
    const main = await j.main({ 'credentials-uri': brokerUri, 'retry-max-attempts': '1', 'sts-endpoint': endpoint() });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/The credentials URI answered Code AccessDenied\.\n.*Code "Success"/);
    expect(main.exported).toEqual({});
    expect(countByTarget(await em.requests())).toEqual({ 'credentials-uri': 1 });
    await expectNoLeaks(main);
  });
});

describe('credentials-uri with a user and password: HTTP Basic auth', () => {
  const USER = 'ci-broker';
  const PASSWORD = 'Br0ker p@ss:w/rd%0001';
  let locked: URL;
  beforeAll(async () => {
    locked = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'LockedBroker', basicAuth: { user: USER, password: PASSWORD } })).url);
  });
  const uriWith = (password?: string) => {
    const url = new URL(locked);
    if (password !== undefined) {
      url.username = USER;
      url.password = encodeURIComponent(password);
    }
    return url.href;
  };
  const secrets = [PASSWORD, encodeURIComponent(PASSWORD), 'wrong-password-0001'];

  it('the right password: the broker answers, the credentials are exported, the password never printed', async () => {
    const uri = uriWith(PASSWORD);
    const main = await newJob().main({ 'credentials-uri': uri, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect((await em.requests()).map((r) => `${r.target} ${r.status} ${r.auth}`)).toEqual(['credentials-uri 200 Basic']);
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toMatch(/^STS\./);
    expect(main.masks).toEqual(expect.arrayContaining([PASSWORD, encodeURIComponent(PASSWORD)]));
    // The URI is a secret too: its own mask line (which the runner never echoes) is no leak of the password in it.
    await expectNoLeaks(main, [...secrets, uri]);
  });

  it('a token as the user name, without a password: sent as Basic `<token>:`, masked as a secret', async () => {
    const TOKEN = 'tok-7f3a9c2e-broker';
    const url = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'TokenBroker', basicAuth: { user: TOKEN, password: '' } })).url);
    url.username = TOKEN;
    const main = await newJob().main({ 'credentials-uri': url.href, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect((await em.requests()).map((r) => `${r.target} ${r.status} ${r.auth}`)).toEqual(['credentials-uri 200 Basic']);
    expect(main.masks).toContain(TOKEN);
    await expectNoLeaks(main, [TOKEN, url.href]);
  });

  it.each([
    [
      'a wrong password',
      'wrong-password-0001',
      /^Input credentials-uri: the broker refused the user and password written in the URI \(sent as HTTP Basic auth\): it answered HTTP 401\.\nCheck the user and password in `credentials-uri`/,
    ],
    [
      'no user information',
      undefined,
      /^Input credentials-uri: the broker refused a request without credentials: it answered HTTP 401\.\n.*https:\/\/user:password@host\/path/,
    ],
  ])('%s: a clear error naming the input, one request, nothing exported', async (_what, password, error) => {
    const uri = uriWith(password);
    const main = await newJob().main({ 'credentials-uri': uri, 'sts-endpoint': endpoint() });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(error);
    expect(main.exported).toEqual({});
    expect((await em.requests()).map((r) => `${r.target} ${r.status}`)).toEqual(['credentials-uri 401']);
    await expectNoLeaks(main, [...secrets, uri]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('oidc-token-file', () => {
  it('a missing file fails naming the input, before any request', async () => {
    const j = newJob();
    const main = await j.main({
      'oidc-token-file': join(j.dir, 'no-such-token'),
      'oidc-provider-arn': providerArn,
      'role-to-assume': oidcRoleArn,
      'sts-endpoint': endpoint(),
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^Input oidc-token-file: .*no-such-token cannot be read \(ENOENT\)/);
    expect(main.exported).toEqual({});
    expect(await em.requests()).toEqual([]);
  });

  it('AuthenticationFail.OIDCToken.Expired is retried with the file read again, and succeeds', async () => {
    await em.queueFault('AssumeRoleWithOIDC', { kind: 'error', code: 'AuthenticationFail.OIDCToken.Expired', status: 401 });
    const j = newJob();
    const main = await j.main({
      'oidc-token-file': await mintTokenFile(j),
      'oidc-provider-arn': providerArn,
      'role-to-assume': oidcRoleArn,
      'sts-endpoint': endpoint(),
    });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const calls = (await em.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC');
    expect(calls.map((r) => [r.status, r.code ?? null])).toEqual([
      [401, 'AuthenticationFail.OIDCToken.Expired'],
      [200, null],
    ]);
    expect(main.stdout).toMatch(/AssumeRoleWithOIDC: attempt 1\/5 failed \(AuthenticationFail\.OIDCToken\.Expired, RequestId [0-9A-F-]+\); retrying/);
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    await expectNoLeaks(main);
  });

  it('each attempt reads the current content: an expired token, then the refreshed one', async () => {
    // The token's owner (kubelet, on ACK) replaces the file; the second attempt succeeds only if it reads it again.
    const j = newJob();
    const path = join(j.dir, 'rrsa-token');
    const expired = await em.mintToken({ expiresInSeconds: -60 });
    const fresh = await em.mintToken();
    writeFileSync(path, expired);
    // When the first attempt reaches STS, the file is replaced the way kubelet does it: a new file renamed over it.
    em.onceRequested('AssumeRoleWithOIDC', () => {
      writeFileSync(`${path}.new`, fresh);
      renameSync(`${path}.new`, path);
    });
    const main = await j.main({ 'oidc-token-file': path, 'oidc-provider-arn': providerArn, 'role-to-assume': oidcRoleArn, 'sts-endpoint': endpoint() });

    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const calls = (await em.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC');
    // The emulator's own verdict on the first token (no queued fault): it had expired.
    expect(calls.map((r) => [r.status, r.code ?? null])).toEqual([
      [401, 'AuthenticationFail.OIDCToken.Expired'],
      [200, null],
    ]);
    const seen = await consumer(j.laterStepEnv());
    expect(seen).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    expect(seen.calls?.[0]?.arn).toMatch(/:assumed-role\/GithubOidcRole\//);
    await expectNoLeaks(main, [expired, fresh]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('aliyun-profile (OIDC flow)', () => {
  const configPath = (j: Job) => join(j.env.HOME, '.aliyun', 'config.json');
  const oidcInputs = () => ({ 'oidc-provider-arn': providerArn, 'role-to-assume': oidcRoleArn, 'sts-endpoint': endpoint(), 'aliyun-profile': 'ci' });

  it('writes a StsToken profile (0600 in 0700) that a later step with no credential variables uses; post removes it', async () => {
    const j = newJob();
    const main = await j.main(oidcInputs(), githubOidcEnv());
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    await expectNoLeaks(main);

    const path = configPath(j);
    expectMode(path, 0o600);
    expectMode(join(j.env.HOME, '.aliyun'), 0o700);
    const config = JSON.parse(readFileSync(path, 'utf8')) as { current: string; profiles: Array<Record<string, string>> };
    expect(config.profiles).toHaveLength(1);
    const profile = config.profiles[0];
    expect(profile).toMatchObject({
      name: 'ci',
      mode: 'StsToken',
      access_key_id: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID,
      access_key_secret: main.exported.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      sts_token: main.exported.ALIBABA_CLOUD_SECURITY_TOKEN,
    });
    for (const name of PROFILE_VARS) expect(main.exported[name]).toBe('ci');

    // Only the profile: every ALIBABA_CLOUD_*/ALIBABACLOUD_*/ALICLOUD_*/ALIYUN_* credential variable removed.
    const bare = withoutCredentialVars(j.laterStepEnv());
    expect(
      Object.keys(bare)
        .filter((name) => CREDENTIAL_VARS.test(name))
        .sort(),
    ).toEqual([...PROFILE_VARS].sort());
    expect(bare.HOME).toBe(j.env.HOME);
    const seen = await consumer(bare);
    expect(seen).toMatchObject({ ok: true, accessKeyId: profile.access_key_id });
    expect(seen.provider).toMatch(/cli_profile/);
    expect(seen.calls?.[0]?.arn).toMatch(new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/GithubOidcRole/`));
    // The aliyun CLI (model of its source) selects the profile by name.
    expect(await aliyunCliCredentials(bare)).toMatchObject({ ok: true, profile: 'ci', mode: 'StsToken', accessKeyId: profile.access_key_id });
    // Prowler never reads the profile: without variables it has no credentials (docs/CONSUMERS.md).
    expect(await prowler(bare)).toMatchObject({ method: 'none', accessKeyId: null });
    // With the variables, Prowler takes the exported STS credentials (the same session).
    expect(await prowler(j.laterStepEnv())).toMatchObject({ method: 'sts', accessKeyId: profile.access_key_id });

    const post = await j.post();
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`Removed ${path}, which the action had created.`);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(j.env.HOME, '.aliyun'))).toBe(false);
    await expectNoLeaks(post);
  });

  it('keeps a profile that was already there, and the file, after the post step', async () => {
    const j = newJob();
    const dir = join(j.env.HOME, '.aliyun');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const personal = {
      name: 'personal',
      mode: 'AK',
      access_key_id: 'LTAIpersonal000001',
      access_key_secret: 'personal-secret-value',
      region_id: 'cn-shanghai',
    };
    writeFileSync(configPath(j), JSON.stringify({ current: 'personal', profiles: [personal], meta_path: '' }), { mode: 0o600 });

    const main = await j.main(oidcInputs(), githubOidcEnv());
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const during = JSON.parse(readFileSync(configPath(j), 'utf8')) as { current: string; profiles: Array<{ name: string }> };
    expect(during.profiles.map((p) => p.name)).toEqual(['personal', 'ci']);
    expect(during.current).toBe('personal');
    expectMode(configPath(j), 0o600);
    expect(await consumer(withoutCredentialVars(j.laterStepEnv()))).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });

    const post = await j.post();
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Removed profile ci from');
    const after = JSON.parse(readFileSync(configPath(j), 'utf8')) as { current: string; profiles: unknown[] };
    expect(after.profiles).toEqual([personal]);
    expect(after.current).toBe('personal');
    await expectNoLeaks(main, ['personal-secret-value']);
    await expectNoLeaks(post, ['personal-secret-value']);
  });

  it.each([['config.json'], ['~/.aliyun directory']])('refuses a symlinked %s: exit 1, nothing written through the link, nothing exported', async (what) => {
    const j = newJob();
    const dir = join(j.env.HOME, '.aliyun');
    const original = JSON.stringify({ current: 'other', profiles: [{ name: 'other', mode: 'AK' }] });
    let target: string;
    let link: string;
    if (what === 'config.json') {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      target = join(j.dir, 'somewhere-else.json');
      link = configPath(j);
      writeFileSync(target, original, { mode: 0o600 });
      symlinkSync(target, link);
    } else {
      const realDir = join(j.dir, 'somewhere-else');
      mkdirSync(realDir, { mode: 0o700 });
      mkdirSync(j.env.HOME, { recursive: true });
      target = join(realDir, 'config.json');
      link = dir;
      writeFileSync(target, original, { mode: 0o600 });
      symlinkSync(realDir, link);
    }

    const main = await j.main(oidcInputs(), githubOidcEnv());
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/is a symbolic link; the action does not write through links/);
    expect(readFileSync(target, 'utf8')).toBe(original);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(main.state).toEqual({});
    expect(main.exported).toEqual({});
    await expectNoLeaks(main);
    expect((await j.post()).code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(original);
  });

  it('refuses a profile name that is already taken, and leaves the file as it was', async () => {
    const j = newJob();
    mkdirSync(join(j.env.HOME, '.aliyun'), { recursive: true, mode: 0o700 });
    const original = JSON.stringify({ current: 'ci', profiles: [{ name: 'ci', mode: 'AK', access_key_id: 'LTAIsomeoneelse001', access_key_secret: 'x' }] });
    writeFileSync(configPath(j), original, { mode: 0o600 });

    const main = await j.main(oidcInputs(), githubOidcEnv());
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/already has a profile named ci/);
    expect(readFileSync(configPath(j), 'utf8')).toBe(original);
    expect(main.exported).toEqual({});
    await expectNoLeaks(main);
    const post = await j.post();
    expect(post.code).toBe(0);
    expect(readFileSync(configPath(j), 'utf8')).toBe(original);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('allowed-account-ids and mask-account-id', () => {
  it('passes when the credentials belong to an allowed account', async () => {
    const j = newJob();
    const main = await j.main({ 'credentials-uri': brokerUri, 'allowed-account-ids': `${OTHER_ACCOUNT}, ${ACCOUNT}`, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    // Unassumed URI credentials need one GetCallerIdentity to know their account.
    expect(countByTarget(await em.requests())).toEqual({ 'credentials-uri': 1, GetCallerIdentity: 1 });
    expect(main.outputs['account-id']).toBe(ACCOUNT);
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true });
  });

  it('fails and exports nothing when the account is not allowed', async () => {
    const j = newJob();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'allowed-account-ids': OTHER_ACCOUNT,
      'sts-endpoint': endpoint(),
    });
    expect(main.code).toBe(1);
    expect(main.error).toContain(`The credentials belong to account ${ACCOUNT}, which is not in \`allowed-account-ids\``);
    expect(main.exported).toEqual({});
    expect(main.outputs).toEqual({});
    await expectNoLeaks(main, [user.accessKeyId]);
  });

  it('fails before any request when role-to-assume is in an account that is not allowed', async () => {
    const j = newJob();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': auditRoleArn,
      'allowed-account-ids': OTHER_ACCOUNT,
      'sts-endpoint': endpoint(),
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^Input allowed-account-ids: does not include 1234567890123456/);
    expect(main.exported).toEqual({});
    expect(await em.requests()).toEqual([]);
  });

  it('mask-account-id masks the account before a validation message could name it', async () => {
    const j = newJob();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': auditRoleArn,
      'allowed-account-ids': OTHER_ACCOUNT,
      'mask-account-id': 'true',
      'sts-endpoint': endpoint(),
    });
    expect(main.code).toBe(1);
    const lines = main.stdout.split('\n');
    const maskLine = lines.indexOf(`::add-mask::${ACCOUNT}`);
    const errorLine = lines.findIndex((line) => line.startsWith('::error::'));
    expect(maskLine).toBeGreaterThanOrEqual(0);
    expect(maskLine).toBeLessThan(errorLine);
    expect(main.error).toContain(ACCOUNT);
    expect(await em.requests()).toEqual([]);
  });

  it('mask-account-id registers the account ID before any use and writes *** in the summary', async () => {
    const j = newJob();
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': auditRoleArn,
      'mask-account-id': 'true',
      'sts-endpoint': endpoint(),
    });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.masks).toContain(ACCOUNT);
    const lines = main.stdout.split('\n');
    const maskLine = lines.indexOf(`::add-mask::${ACCOUNT}`);
    const firstUse = lines.findIndex((line) => line.includes(ACCOUNT) && line !== `::add-mask::${ACCOUNT}`);
    expect(maskLine).toBeGreaterThanOrEqual(0);
    if (firstUse >= 0) expect(maskLine).toBeLessThan(firstUse);
    expect(main.summary).not.toContain(ACCOUNT);
    expect(main.summary).toMatch(/\| Account \| `\*\*\*` \|/);
    expect(main.summary).toContain('acs:ram::***:assumed-role/ProwlerAuditRole/');
    await expectNoLeaks(main, [user.accessKeyId]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('job summary', () => {
  it('is a Markdown table of account, session, source, expiry, region, endpoint and variables, without secrets', async () => {
    const j = newJob({ ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${OTHER_ACCOUNT}:role/StaleRole` });
    const main = await j.main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': auditRoleArn,
      'role-session-name': 'summary-check',
      region: 'cn-hangzhou',
      'sts-endpoint': endpoint(),
    });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const rows = Object.fromEntries([...main.summary.matchAll(/^\| ([^|]+?) \| (.*) \|$/gm)].map((m) => [m[1], m[2]]));
    expect(main.summary).toMatch(/^### Alibaba Cloud credentials\n\n\| \| \|\n\|---\|---\|\n/);
    expect(rows.Account).toBe(`\`${ACCOUNT}\``);
    expect(rows['Role session']).toBe(`\`acs:ram::${ACCOUNT}:assumed-role/ProwlerAuditRole/summary-check\``);
    expect(rows['Session name']).toBe('`summary-check`');
    expect(rows.Source).toBe('`AccessKey (inputs)`');
    expect(rows.Expires).toBe(main.outputs.expiration);
    expect(rows.Expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rows.Region).toBe('`cn-hangzhou`');
    expect(rows['STS endpoint']).toBe(`\`http://${em.stsHost}\``);
    const set = rows['Variables set'].split(' ').map((v) => v.replace(/`/g, ''));
    expect(set.sort()).toEqual(
      Object.keys(main.exported)
        .filter((name) => main.exported[name] !== '')
        .sort(),
    );
    expect(set).toEqual(expect.arrayContaining(['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_REGION_ID']));
    expect(rows['Variables cleared']).toBe('`ALIBABA_CLOUD_ROLE_ARN`');
    // findLeaks scans the summary too: no AccessKey ID, secret or token of the source or of the session.
    await expectNoLeaks(main, [user.accessKeyId, main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID]);
    expect(main.summary).not.toContain(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('default-chain: the runner’s default credential chain as the source', () => {
  const ini = (key: AccessKey) => `[default]\ntype = access_key\naccess_key_id = ${key.accessKeyId}\naccess_key_secret = ${key.accessKeySecret}\n`;
  // The chain must never reach for 100.100.100.200 from this host (ecs-netns.test.ts covers the metadata service).
  const noEcs = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };

  it('the credentials file: its AccessKey signs AssumeRole; the log names the provider', async () => {
    const j = newJob(noEcs);
    mkdirSync(join(j.env.HOME, '.alibabacloud'), { mode: 0o700 });
    writeFileSync(join(j.env.HOME, '.alibabacloud', 'credentials'), ini(user), { mode: 0o600 });
    const main = await j.main({ 'default-chain': 'true', 'role-to-assume': auditRoleArn, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.stdout).toContain("Credentials from the runner's default credential chain -> AssumeRole");
    expect(main.stdout).toContain('The default credential chain answered through its profile provider.');
    const assumes = (await em.requests()).filter((r) => r.target === 'AssumeRole');
    expect(assumes.map((r) => [r.status, r.accessKeyId])).toEqual([[200, user.accessKeyId]]);
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    expect(main.masks).toEqual(expect.arrayContaining([user.accessKeyId, user.accessKeySecret]));
    await expectNoLeaks(main, [user.accessKeyId]);
  });

  it('ALIBABA_CLOUD_CREDENTIALS_FILE naming a credentials.ini', async () => {
    const j = newJob(noEcs);
    const file = join(j.dir, 'credentials.ini');
    writeFileSync(file, ini(user), { mode: 0o600 });
    const main = await j.main(
      { 'default-chain': 'true', 'allowed-account-ids': ACCOUNT, 'sts-endpoint': endpoint() },
      { ALIBABA_CLOUD_CREDENTIALS_FILE: file },
    );
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    // No role: the keys are exported as they are; allowed-account-ids had them looked up.
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe(user.accessKeyId);
    expect(main.outputs['account-id']).toBe(ACCOUNT);
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true, accessKeyId: user.accessKeyId });
    await expectNoLeaks(main, [user.accessKeyId]);
  });

  it('the aliyun CLI profile (current) of the runner', async () => {
    const j = newJob(noEcs);
    mkdirSync(join(j.env.HOME, '.aliyun'), { mode: 0o700 });
    writeFileSync(
      join(j.env.HOME, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'runner',
        profiles: [{ name: 'runner', mode: 'AK', access_key_id: user.accessKeyId, access_key_secret: user.accessKeySecret, region_id: 'cn-hangzhou' }],
      }),
      { mode: 0o600 },
    );
    const main = await j.main({ 'default-chain': 'true', 'role-to-assume': auditRoleArn, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.stdout).toContain('The default credential chain answered through its cli_profile provider.');
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    // The runner's CLI is configured: later `aliyun` commands are told to use the exported keys.
    expect(main.exported.ALIBABA_CLOUD_IGNORE_PROFILE).toBe('TRUE');
    await expectNoLeaks(main, [user.accessKeyId]);
  });

  it('environment keys of the job', async () => {
    const j = newJob({ ...noEcs, ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret });
    const main = await j.main({ 'default-chain': 'true', 'role-to-assume': auditRoleArn, 'sts-endpoint': endpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.stdout).toContain('The default credential chain answered through its env provider.');
    expect(main.masks).toEqual(expect.arrayContaining([user.accessKeyId, user.accessKeySecret]));
    expect(await consumer(j.laterStepEnv())).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    await expectNoLeaks(main, [user.accessKeyId]);
  });

  it('the RRSA variables of an ACK pod: the SDK exchanges the token file at STS itself', async () => {
    // The SDK's OIDC provider always calls https://sts.aliyuncs.com (port 443). Replaced here, and only here: where
    // that connection goes (a preload sends it to the emulator's TLS listener, whose certificate names the host).
    const tls = await startEmulator({ tls: true });
    try {
      const provider = (await tls.addOidcProvider({ accountId: ACCOUNT, name: 'ack' })).arn;
      const role = (await tls.addRole({ accountId: ACCOUNT, name: 'RrsaRole', oidc: { providerArn: provider, sub: ['system:serviceaccount:*'] } })).arn;
      const j = newJob();
      const tokenFile = join(j.dir, 'rrsa-token');
      writeFileSync(tokenFile, await tls.mintToken({ claims: { sub: 'system:serviceaccount:ci:runner' } }));
      const preload = join(j.dir, 'sts-route.mjs');
      writeFileSync(
        preload,
        [
          "import tls from 'node:tls';",
          'const connect = tls.connect;',
          `tls.connect = (...args) => { const o = args.find((a) => a && typeof a === 'object'); if (o && o.host === 'sts.aliyuncs.com') { o.host = '127.0.0.1'; o.port = ${new URL(tls.url).port}; o.servername = 'sts.aliyuncs.com'; } return connect(...args); };`,
        ].join('\n'),
      );
      const main = await j.main(
        { 'default-chain': 'true', 'sts-endpoint': `https://${tls.stsHost}` },
        {
          ...noEcs,
          ALIBABA_CLOUD_ROLE_ARN: role,
          ALIBABA_CLOUD_OIDC_PROVIDER_ARN: provider,
          ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
          NODE_EXTRA_CA_CERTS: tls.caFile ?? '',
          NODE_OPTIONS: `--import ${preload}`,
        },
      );
      expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
      expect(main.stdout).toContain('The default credential chain answered through its oidc_role_arn provider.');
      expect((await tls.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC').map((r) => r.status)).toEqual([200]);
      // The RRSA variables would divert Prowler and the CLI: cleared for the later steps.
      for (const name of ['ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE']) expect(main.exported[name]).toBe('');
      const later = await runNode(CONSUMER, { ...j.laterStepEnv(), NODE_EXTRA_CA_CERTS: tls.caFile ?? '' }, [`https://${tls.stsHost}`]);
      expect(JSON.parse(later.stdout.trim().split('\n').pop() ?? '{}')).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
      expect(later.stdout).toContain(':assumed-role/RrsaRole/');
      expect(findLeaks(main, await tls.secrets())).toEqual([]);
    } finally {
      await tls.close();
    }
  });

  it('nothing configured: an error that lists what was tried, before any request to STS', async () => {
    const j = newJob(noEcs);
    const main = await j.main({ 'default-chain': 'true', 'role-to-assume': auditRoleArn, 'sts-endpoint': endpoint() });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^Input default-chain: no provider of the default credential chain had credentials/);
    expect(main.error).toMatch(
      /Tried the environment \(ALIBABA_CLOUD_ACCESS_KEY_ID\/_SECRET\), OIDC .* the aliyun CLI profile .* the credentials file .* the ECS metadata service and a credentials URI/,
    );
    expect(await em.requests()).toEqual([]);
    expect(main.exported).toEqual({});
  });

  it('conflicts with another source, naming both', async () => {
    const j = newJob();
    const main = await j.main({ 'default-chain': 'true', 'credentials-uri': brokerUri, 'sts-endpoint': endpoint() });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^Input default-chain: conflicts with `credentials-uri`/);
    expect(await em.requests()).toEqual([]);
  });
});
