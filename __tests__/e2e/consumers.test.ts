// Every flow of the action on a runner that is not clean — stale variables that divert consumers, and a HOME with a
// configured aliyun CLI (its own profile, current and selected by name) and an Alibaba Cloud credentials file — and
// then every consumer of docs/CONSUMERS.md in a later step: the real Node SDK (consumer.mjs, GetCallerIdentity against
// the emulator), and the models of Prowler, the Python and Go SDK chains, the aliyun CLI, Terraform's provider and its
// OSS backend (__tests__/consumers/, each citing the source it follows). Each must pick the action's credentials.
// The runner's files must be as they were after the post step.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { aliyunCliCredentials } from '../consumers/aliyun-cli.mjs';
import { prowlerCredentials } from '../consumers/prowler.mjs';
import { sdkChainCredentials } from '../consumers/sdk-chains.mjs';
import { ossBackendCredentials, terraformProviderCredentials } from '../consumers/terraform.mjs';
import { findLeaks, newJob, oidcJobEnv, ROOT, runNode, type Job, type StepResult } from './runner.js';

const ACCOUNT = '1234567890123456';
const RUNNER_ACCOUNT = '6543210987654321';
const CONSUMER = join(ROOT, '__tests__', 'e2e', 'consumer.mjs');

let em: Emulator;
let user: AccessKey;
let runnerUser: AccessKey;
let providerArn: string;
let oidcRoleArn: string;
let deployRoleArn: string;
let brokerUri: string;

beforeAll(async () => {
  em = await startEmulator();
  user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
  // The runner's own identity, in its CLI profile and credentials file: valid, but not what later steps should use.
  runnerUser = await em.addUser({ accountId: RUNNER_ACCOUNT, name: 'runner' });
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  oidcRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'GithubOidcRole', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  deployRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'Deploy', trustedAccounts: [ACCOUNT, RUNNER_ACCOUNT] })).arn;
  brokerUri = (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'BrokerRole' })).url;
});

afterAll(async () => {
  await em?.close();
});

/** What a self-hosted runner's job environment may already hold, each of it leading some consumer elsewhere. */
function staleEnv(): Record<string, string> {
  const staleRole = `acs:ram::${RUNNER_ACCOUNT}:role/Stale`;
  return {
    ALIBABA_CLOUD_ROLE_ARN: staleRole,
    ALIBABACLOUD_ROLE_ARN: staleRole,
    ALICLOUD_ASSUME_ROLE_ARN: staleRole,
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: `acs:ram::${RUNNER_ACCOUNT}:oidc-provider/stale`,
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/stale/token',
    ALIBABACLOUD_OIDC_PROVIDER_ARN: `acs:ram::${RUNNER_ACCOUNT}:oidc-provider/stale`,
    ALIBABACLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/stale/token',
    ALIBABA_CLOUD_ECS_METADATA: 'StaleEcsRole',
    ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:9/stale-broker',
    ALIBABA_CLOUD_PROFILE: 'runner',
    ALIBABACLOUD_PROFILE: 'runner',
    ALICLOUD_PROFILE: 'runner',
    ALIBABA_CLOUD_PROFILE_MODE: 'Anonymous',
    SECURITY_TOKEN: 'CAISstaleTokenOfAnEarlierSession0000',
    // Lower-precedence names of the runner's keys: no consumer may reach them while the exported names are set.
    ALICLOUD_ACCESS_KEY_ID: runnerUser.accessKeyId,
    ALICLOUD_ACCESS_KEY_SECRET: runnerUser.accessKeySecret,
  };
}

/** HOME of a configured runner: the aliyun CLI's config with the runner's profile, and the SDKs' credentials file. */
function configureHome(j: Job): { files: Record<string, string> } {
  const cli = JSON.stringify(
    {
      current: 'runner',
      profiles: [
        {
          name: 'runner',
          mode: 'AK',
          access_key_id: runnerUser.accessKeyId,
          access_key_secret: runnerUser.accessKeySecret,
          region_id: 'cn-beijing',
          output_format: 'json',
          language: 'en',
        },
      ],
      meta_path: '',
    },
    null,
    2,
  );
  const ini = `[default]\ntype = access_key\naccess_key_id = ${runnerUser.accessKeyId}\naccess_key_secret = ${runnerUser.accessKeySecret}\n`;
  const files = {
    [join(j.env.HOME, '.aliyun', 'config.json')]: cli,
    [join(j.env.HOME, '.alibabacloud', 'credentials')]: ini,
    [join(j.env.HOME, '.alibabacloud', 'credentials.ini')]: ini,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600 });
  }
  return { files };
}

interface Flow {
  readonly name: string;
  inputs(j: Job): Promise<Record<string, string>>;
  /** The job env on top of the stale one (GitHub's token variables, an earlier step's keys). */
  env?(): Promise<Record<string, string>>;
  readonly withToken: boolean;
  readonly region?: string;
  readonly profile?: 'StsToken' | 'CredentialsURI';
}

const endpoint = () => `http://${em.stsHost}`;

const FLOWS: Flow[] = [
  {
    name: 'GitHub OIDC, region cn-shanghai',
    inputs: async () => ({ 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, region: 'cn-shanghai', 'sts-endpoint': endpoint() }),
    env: async () => oidcJobEnv(em),
    withToken: true,
    region: 'cn-shanghai',
  },
  {
    name: 'OIDC token file',
    inputs: async (j) => {
      const path = join(j.dir, 'rrsa-token');
      writeFileSync(path, await em.mintToken());
      return { 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, 'oidc-token-file': path, 'sts-endpoint': endpoint() };
    },
    withToken: true,
  },
  {
    name: 'AccessKey -> AssumeRole',
    inputs: async () => ({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': deployRoleArn,
      'sts-endpoint': endpoint(),
    }),
    withToken: true,
  },
  {
    name: 'STS credentials -> AssumeRole',
    inputs: async () => {
      const session = (await (await fetch(brokerUri)).json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
      return {
        'access-key-id': session.AccessKeyId,
        'access-key-secret': session.AccessKeySecret,
        'security-token': session.SecurityToken,
        'role-to-assume': deployRoleArn,
        'sts-endpoint': endpoint(),
      };
    },
    withToken: true,
  },
  {
    name: 'static AccessKey (a stale token in the environment)',
    inputs: async () => ({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'sts-endpoint': endpoint() }),
    env: async () => ({
      ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISstaleTokenOfAnEarlierSession1111',
      ALICLOUD_SECURITY_TOKEN: 'CAISstaleTokenOfAnEarlierSession2222',
    }),
    withToken: false,
  },
  {
    name: 'role chaining from an earlier step',
    inputs: async () => ({ 'role-chaining': 'true', 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    env: async () => {
      const session = (await (await fetch(brokerUri)).json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
      return {
        ALIBABA_CLOUD_ACCESS_KEY_ID: session.AccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: session.AccessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: session.SecurityToken,
      };
    },
    withToken: true,
  },
  { name: 'credentials URI', inputs: async () => ({ 'credentials-uri': brokerUri, 'sts-endpoint': endpoint() }), withToken: true },
  {
    name: 'credentials URI -> AssumeRole',
    inputs: async () => ({ 'credentials-uri': brokerUri, 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    withToken: true,
  },
  {
    // The runner's chain answers with its CLI profile (ALIBABA_CLOUD_PROFILE=runner); the action assumes the role.
    name: 'default chain -> AssumeRole',
    inputs: async () => ({ 'default-chain': 'true', 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    withToken: true,
  },
  {
    name: 'GitHub OIDC with aliyun-profile',
    inputs: async () => ({
      'role-to-assume': oidcRoleArn,
      'oidc-provider-arn': providerArn,
      region: 'cn-shanghai',
      'aliyun-profile': 'gha',
      'sts-endpoint': endpoint(),
    }),
    env: async () => oidcJobEnv(em),
    withToken: true,
    region: 'cn-shanghai',
    profile: 'StsToken',
  },
  {
    name: 'GitHub OIDC with aliyun-profile and refresh-credentials',
    inputs: async () => ({
      'role-to-assume': oidcRoleArn,
      'oidc-provider-arn': providerArn,
      region: 'cn-shanghai',
      'aliyun-profile': 'gha',
      'refresh-credentials': 'true',
      'sts-endpoint': endpoint(),
    }),
    env: async () => oidcJobEnv(em),
    withToken: true,
    region: 'cn-shanghai',
    profile: 'CredentialsURI',
  },
];

async function nodeSdk(
  env: Record<string, string>,
): Promise<{ ok: boolean; provider?: string; accessKeyId?: string; calls?: Array<{ arn: string }>; error?: string }> {
  // Should the exported credentials be missing, the chain would go on to the ECS metadata address of this host: never.
  const { stdout } = await runNode(CONSUMER, { ...env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, [em.stsHost]);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

describe('every flow on a runner with stale variables and a configured HOME: every consumer takes the action’s credentials', () => {
  it.each(FLOWS)(
    '$name',
    async (flow) => {
      const j = newJob({ ...staleEnv(), ...((await flow.env?.()) ?? {}) });
      const { files } = configureHome(j);
      const main: StepResult = await j.main(await flow.inputs(j));
      expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
      expect(findLeaks(main, [...(await em.secrets()), user.accessKeySecret, runnerUser.accessKeySecret])).toEqual([]);

      const later = j.laterStepEnv();
      const keyId = main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
      const token = flow.withToken ? main.exported.ALIBABA_CLOUD_SECURITY_TOKEN : undefined;
      expect(keyId).toMatch(/^(STS\.|LTAI)/);
      expect(keyId).not.toBe(runnerUser.accessKeyId);
      if (flow.withToken) expect(token).toBeTruthy();

      // The log and the job summary say what was cleared (and what was set for the CLI).
      for (const name of Object.keys(staleEnv())) {
        if (name.startsWith('ALICLOUD_ACCESS_KEY')) continue; // never reached: left alone
        if (flow.profile && name.endsWith('_PROFILE')) continue; // set to the action's profile instead
        if (name === 'SECURITY_TOKEN' && flow.withToken) continue; // stale only beside permanent keys
        if (name === 'ALIBABA_CLOUD_CREDENTIALS_URI' && flow.profile === 'CredentialsURI') continue; // the refresh helper's
        expect([name, later[name]]).toEqual([name, '']);
        expect(main.stdout).toContain(`Cleared ${name} for the later steps: `);
        expect(main.summary).toContain(`\`${name}\``);
      }
      if (!flow.withToken) expect(later.ALIBABA_CLOUD_SECURITY_TOKEN).toBe('');

      // The real Node SDK, with GetCallerIdentity against STS.
      const node = await nodeSdk(later);
      expect(node).toMatchObject({ ok: true, provider: 'default/env', accessKeyId: keyId });
      // The models of the other consumers.
      if (flow.profile === 'CredentialsURI') {
        // Prowler takes the refresh helper's URI first, once, and gets the same credentials from it.
        expect(prowlerCredentials(later)).toMatchObject({ method: 'credentials-uri' });
        expect(((await (await fetch(later.ALIBABA_CLOUD_CREDENTIALS_URI)).json()) as { AccessKeyId: string }).AccessKeyId).toBe(keyId);
      } else {
        const prowlerMethod = flow.withToken ? 'sts' : 'access-key';
        expect(prowlerCredentials(later)).toMatchObject({ method: prowlerMethod, accessKeyId: keyId, hasSecurityToken: flow.withToken });
      }
      for (const sdk of ['python', 'go'] as const)
        expect(sdkChainCredentials(later, sdk)).toEqual({ provider: 'env', accessKeyId: keyId, securityToken: token });
      expect(terraformProviderCredentials(later, { assumeRoleBlock: true })).toEqual({
        ok: true,
        accessKeyId: keyId,
        securityToken: token,
        region: flow.region ?? 'cn-beijing',
      });
      expect(ossBackendCredentials(later)).toEqual({ ok: true, accessKeyId: keyId, securityToken: token, region: flow.region ?? '' });
      const cli = await aliyunCliCredentials(later);
      if (flow.profile) {
        // The action's own profile, selected by name; the region is the action's.
        expect(later.ALIBABA_CLOUD_IGNORE_PROFILE ?? '').toBe('');
        expect(cli).toMatchObject({ ok: true, profile: 'gha', mode: flow.profile, accessKeyId: keyId, securityToken: token, region: flow.region });
      } else {
        // The runner's profile is ignored; the CLI builds its own from the exported variables (region cn-hangzhou).
        expect(later.ALIBABA_CLOUD_IGNORE_PROFILE).toBe('TRUE');
        expect(main.stdout).toContain('Set ALIBABA_CLOUD_IGNORE_PROFILE=TRUE');
        expect(main.summary).toContain('`ALIBABA_CLOUD_IGNORE_PROFILE`');
        expect(cli).toEqual({
          ok: true,
          profile: 'default',
          mode: flow.withToken ? 'StsToken' : 'AK',
          region: 'cn-hangzhou',
          accessKeyId: keyId,
          ...(flow.withToken ? { securityToken: token } : {}),
        });
      }

      const post = await j.post();
      expect(post.code).toBe(0);
      // The runner's files are as they were (the CLI's config as JSON: with aliyun-profile it was rewritten twice).
      for (const [path, text] of Object.entries(files)) {
        const now = readFileSync(path, 'utf8');
        if (path.endsWith('config.json')) expect([path, JSON.parse(now)]).toEqual([path, JSON.parse(text)]);
        else expect([path, now]).toEqual([path, text]);
      }
    },
    60_000,
  );
});
