// Every flow of the action, on a clean runner and on a dirty one (stale variables that divert consumers, and a HOME
// with a configured aliyun CLI, ~/.alibabacloud/credentials and ~/.alibabacloud/credentials.ini, all of the runner's
// own identity), and then every consumer of docs/CONSUMERS.md in a later step:
//   - real ones (__tests__/consumers/consumers.ts): Alibaba's Node SDK, its Python SDK at Prowler's pin and at its
//     newest release, its Go SDK (each: the default chain, then GetCallerIdentity against the emulator over HTTPS),
//     and Prowler's own AlibabacloudProvider (which calls GetCallerIdentity itself);
//   - models, for the two consumers that cannot run here (each says why at its top): the aliyun CLI and Terraform's
//     alicloud provider with its OSS backend.
// Each must be the identity the action produced. The runner's files must be as they were after the post step.
//
// Python and Prowler start slowly, so all the action's steps run first and the consumers then take every case in one
// batch per consumer (python/consumer.py); the tests below check what each got.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { aliyunCliCredentials } from '../consumers/aliyun-cli.mjs';
import { type ConsumerResult, goConsumer, nodeConsumer, type PythonCase, prowlerProxy, pythonConsumers, reachEmulator } from '../consumers/consumers.js';
import { ossBackendCredentials, terraformProviderCredentials } from '../consumers/terraform.mjs';
import { findLeaks, newJob, oidcJobEnv, type Job, type StepResult } from './runner.js';

const ACCOUNT = '1234567890123456';
const RUNNER_ACCOUNT = '6543210987654321';

let em: Emulator;
let ca: string;
let proxy: Awaited<ReturnType<typeof prowlerProxy>>;
let user: AccessKey;
let runnerUser: AccessKey;
let providerArn: string;
let oidcRoleArn: string;
let deployRoleArn: string;
let brokerUri: string;

/** A GET of the emulator over HTTPS, trusting its CA (the test process itself does not). */
function fetchJson(url: string): Promise<Record<string, string>> {
  return new Promise((resolveFetch, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolveFetch(JSON.parse(body) as Record<string, string>));
    })
      .on('error', reject)
      .end();
  });
}

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

/** The runner's keys in the SDKs' credentials-file format (Node and Go read `credentials`, Python `credentials.ini`). */
const runnerIni = () => `[default]\ntype = access_key\naccess_key_id = ${runnerUser.accessKeyId}\naccess_key_secret = ${runnerUser.accessKeySecret}\n`;

function writeHomeFiles(files: Record<string, string>): Record<string, string> {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600 });
  }
  return files;
}

/** HOME of a configured runner: the aliyun CLI's config with the runner's profile, and both SDK credentials files. */
function configureHome(j: Job): Record<string, string> {
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
  return writeHomeFiles({
    [join(j.env.HOME, '.aliyun', 'config.json')]: cli,
    [join(j.env.HOME, '.alibabacloud', 'credentials')]: runnerIni(),
    [join(j.env.HOME, '.alibabacloud', 'credentials.ini')]: runnerIni(),
  });
}

type Runner = 'clean' | 'dirty';

interface Flow {
  readonly name: string;
  inputs(j: Job): Promise<Record<string, string>>;
  /** The job env (GitHub's token variables, an earlier step's keys), on top of the stale one on a dirty runner. */
  env?(): Promise<Record<string, string>>;
  /** What a clean runner has for this flow to work at all (the default chain needs some credentials of the runner). */
  cleanHome?(j: Job): Record<string, string>;
  readonly withToken: boolean;
  /** The identity later steps must be. */
  readonly arn: () => RegExp;
  readonly region?: string;
  readonly profile?: 'StsToken' | 'CredentialsURI';
}

const endpoint = () => `https://${em.stsHost}`;
const assumed = (role: string) => () => new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/${role}/[\\w.@-]+$`);

const FLOWS: Flow[] = [
  {
    name: 'GitHub OIDC, region cn-shanghai',
    inputs: async () => ({ 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, region: 'cn-shanghai', 'sts-endpoint': endpoint() }),
    env: async () => oidcJobEnv(em),
    withToken: true,
    arn: assumed('GithubOidcRole'),
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
    arn: assumed('GithubOidcRole'),
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
    arn: assumed('Deploy'),
  },
  {
    name: 'STS credentials -> AssumeRole',
    inputs: async () => {
      const session = await fetchJson(brokerUri);
      return {
        'access-key-id': session.AccessKeyId,
        'access-key-secret': session.AccessKeySecret,
        'security-token': session.SecurityToken,
        'role-to-assume': deployRoleArn,
        'sts-endpoint': endpoint(),
      };
    },
    withToken: true,
    arn: assumed('Deploy'),
  },
  {
    name: 'static AccessKey (a stale token in the environment)',
    inputs: async () => ({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'sts-endpoint': endpoint() }),
    env: async () => ({
      ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISstaleTokenOfAnEarlierSession1111',
      ALICLOUD_SECURITY_TOKEN: 'CAISstaleTokenOfAnEarlierSession2222',
    }),
    withToken: false,
    arn: () => new RegExp(`^acs:ram::${ACCOUNT}:user/ci$`),
  },
  {
    name: 'role chaining from an earlier step',
    inputs: async () => ({ 'role-chaining': 'true', 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    env: async () => {
      const session = await fetchJson(brokerUri);
      return {
        ALIBABA_CLOUD_ACCESS_KEY_ID: session.AccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: session.AccessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: session.SecurityToken,
      };
    },
    withToken: true,
    arn: assumed('Deploy'),
  },
  {
    name: 'credentials URI',
    inputs: async () => ({ 'credentials-uri': brokerUri, 'sts-endpoint': endpoint() }),
    withToken: true,
    arn: assumed('BrokerRole'),
  },
  {
    name: 'credentials URI -> AssumeRole',
    inputs: async () => ({ 'credentials-uri': brokerUri, 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    withToken: true,
    arn: assumed('Deploy'),
  },
  {
    // Dirty: the runner's chain answers with its CLI profile (ALIBABA_CLOUD_PROFILE=runner). Clean: the runner has
    // only the Python SDK's file, ~/.alibabacloud/credentials.ini, as one set up for Prowler has.
    name: 'default chain -> AssumeRole',
    inputs: async () => ({ 'default-chain': 'true', 'role-to-assume': deployRoleArn, 'sts-endpoint': endpoint() }),
    cleanHome: (j) => writeHomeFiles({ [join(j.env.HOME, '.alibabacloud', 'credentials.ini')]: runnerIni() }),
    withToken: true,
    arn: assumed('Deploy'),
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
    arn: assumed('GithubOidcRole'),
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
    arn: assumed('GithubOidcRole'),
    region: 'cn-shanghai',
    profile: 'CredentialsURI',
  },
];

interface Case {
  readonly id: string;
  readonly flow: Flow;
  readonly runner: Runner;
}

interface Outcome {
  main: StepResult;
  later: Record<string, string>;
  leaks: string[];
  files: Record<string, string>;
  consumers: Record<'node' | 'go' | 'python at Prowler’s pin' | 'python, newest' | 'Prowler', ConsumerResult>;
  /** A credentials URI the later step found (refresh-credentials), fetched as Prowler fetches it. */
  uriKeyId?: string;
  /** The models' answers, taken in the later step (before the post step removes the action's CLI profile). */
  models: { terraform: unknown; oss: unknown; cli: unknown };
  post: StepResult;
  filesAfter: Record<string, string>;
}

const CASES: Case[] = FLOWS.flatMap((flow) => (['clean', 'dirty'] as const).map((runner) => ({ id: `${runner} runner: ${flow.name}`, flow, runner })));
const outcomes = new Map<string, Outcome>();

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

beforeAll(async () => {
  em = await startEmulator({ tls: true });
  ca = readFileSync(em.caFile ?? '', 'utf8');
  proxy = await prowlerProxy(em.stsHost);
  user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
  // The runner's own identity, in its CLI profile and credentials files: valid, but not what later steps should use.
  runnerUser = await em.addUser({ accountId: RUNNER_ACCOUNT, name: 'runner' });
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  oidcRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'GithubOidcRole', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  deployRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'Deploy', trustedAccounts: [ACCOUNT, RUNNER_ACCOUNT] })).arn;
  brokerUri = (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'BrokerRole' })).url;

  // 1. The action's main step in every case.
  const running = new Map<string, { j: Job; main: StepResult; files: Record<string, string>; leaks: string[] }>();
  await eachLimited(CASES, 4, async ({ id, flow, runner }) => {
    // The job trusts the emulator's CA, as a runner with a private STS endpoint or a TLS-inspecting proxy does.
    const base = { NODE_EXTRA_CA_CERTS: em.caFile ?? '', ...(runner === 'dirty' ? staleEnv() : {}) };
    const j = newJob({ ...base, ...((await flow.env?.()) ?? {}) });
    const files = runner === 'dirty' ? configureHome(j) : (flow.cleanHome?.(j) ?? {});
    const main = await j.main(await flow.inputs(j));
    const leaks = findLeaks(main, [...(await em.secrets()), user.accessKeySecret, runnerUser.accessKeySecret]);
    running.set(id, { j, main, files, leaks });
  });

  // 2. Every consumer in a later step of every case: one process per case (Node, Go), one batch per Python venv.
  const laterEnv = (id: string) => reachEmulator(running.get(id)?.j.laterStepEnv() ?? {}, em.caFile ?? '');
  const ok = CASES.filter(({ id }) => running.get(id)?.main.code === 0);
  // Should the exported credentials be missing, the chains would go on to the ECS metadata address of this host: never.
  const noImds = (id: string) => ({ ...laterEnv(id), ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });
  const sdkCases = (): PythonCase[] => ok.map(({ id }) => ({ id, kind: 'sdk', env: noImds(id), stsHost: em.stsHost }));
  const prowlerCases: PythonCase[] = ok.map(({ id }) => ({ id: `prowler ${id}`, kind: 'prowler', env: { ...laterEnv(id), HTTPS_PROXY: proxy.url } }));
  const consumers = new Map<string, Partial<Outcome['consumers']>>(ok.map(({ id }) => [id, {}]));
  const set = (id: string, name: keyof Outcome['consumers'], result: ConsumerResult) => {
    const found = consumers.get(id);
    if (found) found[name] = result;
  };
  const [pinned, newest] = await Promise.all([
    pythonConsumers('prowler', [...sdkCases(), ...prowlerCases]),
    pythonConsumers('python-sdk', sdkCases()),
    eachLimited(ok, 4, async ({ id }) => {
      set(id, 'node', await nodeConsumer(noImds(id), em.stsHost));
      set(id, 'go', await goConsumer(noImds(id), em.stsHost));
    }),
  ]);
  const models = new Map<string, Outcome['models']>();
  for (const { id } of ok) {
    const later = running.get(id)?.j.laterStepEnv() ?? {};
    models.set(id, {
      terraform: terraformProviderCredentials(later, { assumeRoleBlock: true }),
      oss: ossBackendCredentials(later),
      cli: await aliyunCliCredentials(later),
    });
    set(id, 'python at Prowler’s pin', pinned.get(id) ?? { ok: false, error: 'no answer' });
    set(id, 'python, newest', newest.get(id) ?? { ok: false, error: 'no answer' });
    set(id, 'Prowler', pinned.get(`prowler ${id}`) ?? { ok: false, error: 'no answer' });
  }

  // 3. The post step of every case; then the runner's files.
  await eachLimited(CASES, 4, async ({ id }) => {
    const run = running.get(id);
    if (!run) return;
    const later = run.j.laterStepEnv();
    const uri = later.ALIBABA_CLOUD_CREDENTIALS_URI;
    const uriKeyId = uri && run.main.code === 0 ? ((await (await fetch(uri)).json()) as { AccessKeyId: string }).AccessKeyId : undefined;
    const post = await run.j.post();
    const filesAfter = Object.fromEntries(Object.keys(run.files).map((path) => [path, readFileSync(path, 'utf8')]));
    outcomes.set(id, {
      main: run.main,
      later,
      leaks: run.leaks,
      files: run.files,
      consumers: consumers.get(id) as Outcome['consumers'],
      uriKeyId,
      models: models.get(id) as Outcome['models'],
      post,
      filesAfter,
    });
  });
}, 170_000);

afterAll(async () => {
  await proxy?.close();
  await em?.close();
});

describe('every flow, on a clean and on a dirty runner: every consumer in a later step is the identity the action produced', () => {
  it.each(CASES)('$id', ({ id, flow, runner }) => {
    const outcome = outcomes.get(id);
    expect(outcome).toBeDefined();
    const { main, later, leaks, consumers } = outcome as Outcome;
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(leaks).toEqual([]);

    const keyId = main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
    const token = flow.withToken ? main.exported.ALIBABA_CLOUD_SECURITY_TOKEN : undefined;
    expect(keyId).toMatch(/^(STS\.|LTAI)/);
    expect(keyId).not.toBe(runnerUser.accessKeyId);
    if (flow.withToken) expect(token).toBeTruthy();
    if (!flow.withToken) expect(later.ALIBABA_CLOUD_SECURITY_TOKEN ?? '').toBe('');

    if (runner === 'dirty') {
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
    } else if (flow.cleanHome) {
      // The default chain found the Python SDK's credentials file, and says so.
      expect(main.stdout).toContain(
        `The default credential chain answered through its profile provider. It read the credentials file ${join(later.HOME, '.alibabacloud', 'credentials.ini')}.`,
      );
    }

    // The real consumers: each is the action's identity, with the action's AccessKey.
    const arn = flow.arn();
    for (const [name, result] of Object.entries(consumers)) {
      expect([name, result.error]).toEqual([name, undefined]);
      expect([name, result.ok, result.accessKeyId]).toEqual([name, true, keyId]);
      expect([name, result.calls?.[0]?.accountId]).toEqual([name, ACCOUNT]);
      expect([name, result.calls?.[0]?.arn]).toEqual([name, expect.stringMatching(arn)]);
    }
    // The SDK chains take the exported keys (their first step), whatever else the runner has.
    for (const name of ['node', 'go', 'python at Prowler’s pin', 'python, newest'] as const)
      expect([name, consumers[name].provider]).toEqual([name, 'default/env']);
    if (flow.profile === 'CredentialsURI') {
      // Prowler takes the refresh helper's URI first (its step 1), once: the same credentials, from the helper.
      expect(consumers.Prowler.provider).toBe('URLCredentialsProvider');
      expect(outcome?.uriKeyId).toBe(keyId);
    } else {
      expect(consumers.Prowler.provider).toBe(flow.withToken ? 'StaticSTSCredentialsProvider' : 'StaticAKCredentialsProvider');
    }
    expect(consumers.Prowler.hasSecurityToken).toBe(flow.withToken);
  });

  it.each(CASES)('$id: the models of Terraform and the aliyun CLI pick the action’s credentials too', ({ id, flow, runner }) => {
    const { main, later, models } = outcomes.get(id) as Outcome;
    const keyId = main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
    const token = flow.withToken ? main.exported.ALIBABA_CLOUD_SECURITY_TOKEN : undefined;
    expect(models.terraform).toEqual({
      ok: true,
      accessKeyId: keyId,
      securityToken: token,
      region: flow.region ?? 'cn-beijing',
    });
    expect(models.oss).toEqual({ ok: true, accessKeyId: keyId, securityToken: token, region: flow.region ?? '' });
    const { cli } = models;
    const mode = flow.withToken ? 'StsToken' : 'AK';
    const keys = { accessKeyId: keyId, ...(flow.withToken ? { securityToken: token } : {}) };
    if (flow.profile) {
      // The action's own profile, selected by name; the region is the action's.
      expect(later.ALIBABA_CLOUD_IGNORE_PROFILE ?? '').toBe('');
      expect(cli).toMatchObject({ ok: true, profile: 'gha', mode: flow.profile, accessKeyId: keyId, securityToken: token, region: flow.region });
    } else if (runner === 'dirty') {
      // The runner's profile is ignored; the CLI builds its own from the exported variables (region cn-hangzhou).
      expect(later.ALIBABA_CLOUD_IGNORE_PROFILE).toBe('TRUE');
      expect(main.stdout).toContain('Set ALIBABA_CLOUD_IGNORE_PROFILE=TRUE');
      expect(main.summary).toContain('`ALIBABA_CLOUD_IGNORE_PROFILE`');
      expect(cli).toEqual({ ok: true, profile: 'default', mode, region: 'cn-hangzhou', ...keys });
    } else if (flow.region) {
      // No config.json: the CLI fills its empty default profile from the exported variables, the region too.
      expect(later.ALIBABA_CLOUD_IGNORE_PROFILE ?? '').toBe('');
      expect(cli).toEqual({ ok: true, profile: 'default', mode, region: flow.region, ...keys });
    } else {
      // ...and without `region` it has none, as the real CLI says: the step must pass --region.
      expect(cli).toEqual({ ok: false, profile: 'default', mode, error: "region can't be empty" });
    }
  });

  it.each(CASES)('$id: the post step leaves the runner’s files as they were', ({ id }) => {
    const { post, files, filesAfter } = outcomes.get(id) as Outcome;
    expect(post.code).toBe(0);
    // The CLI's config as JSON: with aliyun-profile it was rewritten twice.
    for (const [path, text] of Object.entries(files)) {
      if (path.endsWith('config.json')) expect([path, JSON.parse(filesAfter[path])]).toEqual([path, JSON.parse(text)]);
      else expect([path, filesAfter[path]]).toEqual([path, text]);
    }
  });
});
