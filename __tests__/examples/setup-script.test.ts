// The one-time setup, as docs/SETUP.md describes it, run for real against stand-ins for what cannot run here:
// examples/setup/setup-github-oidc.sh (POSIX sh) and SETUP's aliyun CLI recipe, each under /bin/sh with
//  - a stand-in `aliyun` on PATH (aliyun-stand-in.mjs: a model of RAM, IMS and GetCallerIdentity as the aliyun CLI
//    presents them) that records every call it gets, and
//  - a stand-in `openssl` whose `s_client` prints a certificate chain of our own (GitHub is not reachable here);
//    every other openssl command is the real one, so the fingerprint pipeline itself runs as written.
// The recorded calls are checked (which, with which parameters, the trust policy's JSON), then applied to the loopback
// emulator (a model of RAM's OIDC trust: the provider's issuer and Client IDs, the role's trust conditions and maximum
// session; the emulator checks no fingerprint) and the ARNs the setup printed are used by the action, built as the
// runner runs it, asking for the 21600-second session a Prowler scan gets.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { findLeaks, newJob, oidcJobEnv, ROOT } from '../e2e/runner.js';

const SCRIPT = join(ROOT, 'examples/setup/setup-github-oidc.sh');
const STAND_IN = join(ROOT, '__tests__/examples/aliyun-stand-in.mjs');
const ACCOUNT = '1234567890123456';
const ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = 'octo-org/octo-repo';
const PROVIDER_ARN = `acs:ram::${ACCOUNT}:oidc-provider/github-actions`;
const ROLE_ARN = `acs:ram::${ACCOUNT}:role/github-prowler-scan`;
// The read-only policies of docs/SETUP.md, section 5: what the script attaches unless told otherwise.
const PROWLER_POLICIES = [
  ...(readFileSync(join(ROOT, 'docs/SETUP.md'), 'utf8').split('## 5. Permissions for Prowler')[1] ?? '')
    .split('### A single custom policy')[0]
    .matchAll(/`(Aliyun\w+ReadOnlyAccess)`/g),
].map((m) => m[1]);

interface Call {
  product: string;
  api: string;
  params: Record<string, string>;
}
interface StandInState {
  providers: Record<string, { OIDCProviderName: string; Arn: string; IssuerUrl: string; ClientIds: string; Fingerprints: string }>;
  roles: Record<string, { name: string; maxSessionDuration: number; trustPolicy: string; policies: { PolicyName: string; PolicyType: string }[] }>;
}

function skipReason(): string | undefined {
  if (process.platform === 'win32') return 'the setup is POSIX sh, and Windows has no /bin/sh';
  for (const tool of ['sh', 'jq', 'openssl']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  return undefined;
}
const reason = skipReason();
if (reason) console.warn(`setup-script.test.ts is skipped: ${reason}`);

let em: Emulator;
let dir: string;
let chain: string;
let rootFingerprint: string;

beforeAll(async () => {
  if (reason) return;
  em = await startEmulator();
  // A chain as `openssl s_client -showcerts` prints it: chatter, a leaf certificate, then a CA certificate last. The
  // setup takes the fingerprint of the last one presented (docs/SETUP.md, the fingerprint); the emulator's certificate
  // plays it.
  const work = mkdtempSync(join(tmpdir(), 'setup-chain-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'key.pem'), '-out', join(work, 'leaf.pem'), '-days', '1', '-subj', '/CN=leaf'],
    {
      stdio: 'ignore',
    },
  );
  const root = readFileSync(join(ROOT, 'emulator/tls/cert.pem'), 'utf8');
  chain = join(work, 'chain.txt');
  writeFileSync(
    chain,
    `CONNECTED(00000003)\ndepth=1 CN = root\n---\nCertificate chain\n 0 s:CN = leaf\n${readFileSync(join(work, 'leaf.pem'), 'utf8')} 1 s:CN = root\n${root}---\nServer certificate\nsubject=CN = leaf\n---\nDONE\n`,
  );
  rootFingerprint = new X509Certificate(root).fingerprint.replace(/:/g, '').toLowerCase();
});

afterAll(async () => {
  await em?.close();
});

beforeEach(() => {
  if (reason) return;
  // A fresh account for each test: a folder with the stand-ins on PATH, their log and their state.
  dir = mkdtempSync(join(tmpdir(), 'setup-script-'));
  mkdirSync(join(dir, 'bin'));
  symlinkSync(STAND_IN, join(dir, 'bin', 'aliyun'));
  const openssl = execFileSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'bin', 'openssl'), `#!/bin/sh\nif [ "$1" = s_client ]; then cat '${chain}'; else exec '${openssl}' "$@"; fi\n`);
  chmodSync(join(dir, 'bin', 'openssl'), 0o755);
});
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a POSIX sh script (a file, or `-c` text) in the account's folder, with the stand-ins first on PATH. */
function sh(args: string[]) {
  const result = spawnSync('sh', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      HOME: dir,
      STAND_IN_LOG: join(dir, 'calls.jsonl'),
      STAND_IN_STATE: join(dir, 'state.json'),
      STAND_IN_ACCOUNT: ACCOUNT,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const setup = (...args: string[]) => sh([SCRIPT, ...args]);

function calls(): Call[] {
  const log = join(dir, 'calls.jsonl');
  return existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call)
    : [];
}
const names = (list: Call[]) => list.map((c) => `${c.product} ${c.api}`);
const state = (): StandInState => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StandInState;
function seed(value: StandInState) {
  writeFileSync(join(dir, 'state.json'), JSON.stringify(value));
}
/** The repository variables the setup printed, NAME=value lines on stdout. */
function variables(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

function trustPolicy(providerArn: string, subjects: string[]) {
  return {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Federated: [providerArn] },
        Condition: { StringEquals: { 'oidc:iss': ISSUER, 'oidc:aud': 'sts.aliyuncs.com' }, StringLike: { 'oidc:sub': subjects } },
      },
    ],
  };
}

/** An account set up by the earlier docs: GitHub's provider, and a role for `main` whose sessions last 10800 s at most. */
function oldAccount(roleName: string): StandInState {
  return {
    providers: {
      'github-actions': {
        OIDCProviderName: 'github-actions',
        Arn: PROVIDER_ARN,
        IssuerUrl: ISSUER,
        ClientIds: 'sts.aliyuncs.com',
        Fingerprints: 'ab'.repeat(20),
      },
    },
    roles: {
      [roleName]: {
        name: roleName,
        maxSessionDuration: 10800,
        trustPolicy: JSON.stringify(trustPolicy(PROVIDER_ARN, [`repo:${REPO}:ref:refs/heads/main`])),
        policies: [],
      },
    },
  };
}

/** The account as the calls left it, in the emulator: each identity provider, and each role with its OIDC trust. */
async function applyToEmulator(account: StandInState) {
  for (const p of Object.values(account.providers)) {
    await em.addOidcProvider({ accountId: ACCOUNT, name: p.OIDCProviderName, issuerUrl: p.IssuerUrl, clientIds: p.ClientIds.split(',') });
  }
  const list = (value: unknown) => (value === undefined ? undefined : Array.isArray(value) ? value.map(String) : [String(value)]);
  for (const r of Object.values(account.roles)) {
    // The emulator models one OIDC statement a role; statements for other principals are checked by the tests.
    const [statement, ...more] = (
      JSON.parse(r.trustPolicy) as { Statement: Array<{ Principal: { Federated?: string[] }; Condition: Record<string, Record<string, unknown>> }> }
    ).Statement.filter((s) => s.Principal.Federated);
    expect(more).toEqual([]);
    const condition = (key: string) => list(statement.Condition.StringEquals?.[key] ?? statement.Condition.StringLike?.[key]);
    await em.addRole({
      accountId: ACCOUNT,
      name: r.name,
      maxSessionDuration: r.maxSessionDuration,
      oidc: { providerArn: statement.Principal.Federated?.[0] ?? '', sub: condition('oidc:sub'), aud: condition('oidc:aud'), iss: condition('oidc:iss')?.[0] },
    });
  }
}

/** The action's main step with the OIDC flow, GitHub's token carrying `sub`, asking for a session of `seconds`. */
async function assume(printed: Record<string, string>, sub: string, seconds = '21600', roleVariable = 'ALIBABA_CLOUD_ROLE_ARN') {
  await em.setTokenClaims({ sub });
  const job = newJob(oidcJobEnv(em));
  const main = await job.main({
    'role-to-assume': printed[roleVariable],
    'oidc-provider-arn': printed.ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
    'role-session-expiration': seconds,
    'sts-endpoint': `http://${em.stsHost}`,
  });
  expect(findLeaks(main, await em.secrets())).toEqual([]);
  return main;
}

(reason ? describe.skip : describe)('examples/setup/setup-github-oidc.sh', () => {
  const SUBJECTS = [`repo:${REPO}:ref:refs/heads/main`, `repo:${REPO}:ref:refs/tags/v*`, `repo:${REPO}:pull_request`, `repo:${REPO}:environment:production`];
  const ARGS = ['--repo', REPO, '--branch', 'main', '--tag', 'v*', '--pull-requests', '--environment', 'production'];

  it('reads the docs: the Prowler policies of SETUP section 5', () => {
    expect(PROWLER_POLICIES).toHaveLength(9);
  });

  it('creates the provider, a role trusting exactly the subjects given for 21600 s, attaches the policies, prints ARNs that work; run again, only reads', async () => {
    const run = setup(...ARGS);
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({
      code: 0,
      stderr: expect.stringContaining('Checked: github-prowler-scan trusts 4 subject(s)'),
    });
    const made = calls();
    expect(names(made)).toEqual([
      'sts GetCallerIdentity',
      'ims ListOIDCProviders',
      'ims CreateOIDCProvider',
      'ram GetRole',
      'ram CreateRole',
      'ram ListPoliciesForRole',
      ...PROWLER_POLICIES.map(() => 'ram AttachPolicyToRole'),
      'ram GetRole',
      'ram ListPoliciesForRole',
      'ims GetOIDCProvider',
    ]);
    expect(made[2].params).toEqual({
      OIDCProviderName: 'github-actions',
      IssuerUrl: ISSUER,
      Fingerprints: rootFingerprint,
      ClientIds: 'sts.aliyuncs.com',
      IssuanceLimitTime: '12',
      Description: 'GitHub Actions OIDC tokens',
    });
    const { AssumeRolePolicyDocument, ...role } = made[4].params;
    expect(role).toEqual({ RoleName: 'github-prowler-scan', MaxSessionDuration: '21600', Description: `Assumed by GitHub Actions in ${REPO}` });
    expect(JSON.parse(AssumeRolePolicyDocument)).toEqual(trustPolicy(PROVIDER_ARN, SUBJECTS));
    expect(made.filter((c) => c.api === 'AttachPolicyToRole').map((c) => c.params)).toEqual(
      PROWLER_POLICIES.map((name) => ({ PolicyType: 'System', PolicyName: name, RoleName: 'github-prowler-scan' })),
    );
    const printed = variables(run.stdout);
    expect(printed).toEqual({ ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN });

    // The account the calls describe, in the emulator: each trusted subject gets a 6-hour session, others nothing.
    await applyToEmulator(state());
    for (const sub of [SUBJECTS[0], `repo:${REPO}:ref:refs/tags/v1.2.0`, SUBJECTS[2], SUBJECTS[3]]) {
      const main = await assume(printed, sub);
      expect({ sub, code: main.code, error: main.error }).toEqual({ sub, code: 0, error: undefined });
      expect(main.exported.ALIBABA_CLOUD_SECURITY_TOKEN).toBeTruthy();
      const expires = Date.parse(main.outputs.expiration) - Date.now();
      expect(expires).toBeGreaterThan(21000 * 1000);
    }
    for (const sub of [`repo:${REPO}:ref:refs/heads/feature`, `repo:other-org/octo-repo:ref:refs/heads/main`, `repo:${REPO}:environment:staging`]) {
      const main = await assume(printed, sub);
      expect({ sub, code: main.code, error: main.error?.split('\n')[0] }).toEqual({
        sub,
        code: 1,
        error: expect.stringMatching(/^AssumeRoleWithOIDC failed: NoPermission: /),
      });
    }

    // Run again: it finds everything as it should be, and only reads.
    const before = state();
    const again = setup(...ARGS);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Reusing the identity provider github-actions');
    expect(again.stderr).toContain('already trusts these subjects, for up to 21600 s: nothing to change');
    expect(names(calls().slice(made.length))).toEqual([
      'sts GetCallerIdentity',
      'ims ListOIDCProviders',
      'ram GetRole',
      'ram ListPoliciesForRole',
      'ram GetRole',
      'ram ListPoliciesForRole',
      'ims GetOIDCProvider',
    ]);
    expect(state()).toEqual(before);
    expect(variables(again.stdout)).toEqual(printed);
  });

  it("reuses the account's provider for GitHub's issuer, whatever its name, adding the Client ID and fingerprint it lacks", async () => {
    const existing = `acs:ram::${ACCOUNT}:oidc-provider/github`;
    seed({
      providers: {
        github: { OIDCProviderName: 'github', Arn: existing, IssuerUrl: ISSUER, ClientIds: 'github-actions', Fingerprints: 'ab'.repeat(20) },
        other: {
          OIDCProviderName: 'other',
          Arn: `acs:ram::${ACCOUNT}:oidc-provider/other`,
          IssuerUrl: 'https://example.com',
          ClientIds: 'x',
          Fingerprints: '',
        },
      },
      roles: {},
    });
    const run = setup('--repo', REPO, '--branch', 'main', '--role-name', 'scan', '--policy', 'AliyunRAMReadOnlyAccess');
    expect(run.code).toBe(0);
    const changed = calls().filter((c) => !/^(Get|List)/.test(c.api));
    expect(changed.map((c) => [c.api, c.params])).toEqual([
      ['AddClientIdToOIDCProvider', { OIDCProviderName: 'github', ClientId: 'sts.aliyuncs.com' }],
      ['AddFingerprintToOIDCProvider', { OIDCProviderName: 'github', Fingerprint: rootFingerprint }],
      ['CreateRole', expect.objectContaining({ RoleName: 'scan', MaxSessionDuration: '21600' })],
      ['AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', RoleName: 'scan' }],
    ]);
    expect(JSON.parse(changed[2].params.AssumeRolePolicyDocument)).toEqual(trustPolicy(existing, [`repo:${REPO}:ref:refs/heads/main`]));
    expect(state().providers.github).toMatchObject({ ClientIds: 'github-actions,sts.aliyuncs.com', Fingerprints: `${'ab'.repeat(20)},${rootFingerprint}` });
    const printed = variables(run.stdout);
    expect(printed).toEqual({ ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${ACCOUNT}:role/scan`, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: existing });

    await applyToEmulator(state());
    const main = await assume(printed, `repo:${REPO}:ref:refs/heads/main`);
    expect([main.code, main.error]).toEqual([0, undefined]);
  });

  /** GitHub's host out of reach: `openssl s_client` fails as it does without a route there. */
  function githubUnreachable() {
    const openssl = execFileSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).trim();
    const script = `#!/bin/sh\nif [ "$1" = s_client ]; then echo 'connect:errno=101' >&2; exit 1; else exec '${openssl}' "$@"; fi\n`;
    writeFileSync(join(dir, 'bin', 'openssl'), script);
  }

  it("run again where GitHub is out of reach: keeps the provider's fingerprints, needs no --fingerprint", async () => {
    seed({ ...oldAccount('github-prowler-scan'), roles: {} });
    githubUnreachable();
    const run = setup('--repo', REPO, '--branch', 'main', '--policy', 'AliyunRAMReadOnlyAccess');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('keeps the fingerprints it has') });
    expect(run.stderr).toContain('could not read the certificate chain of token.actions.githubusercontent.com; the identity provider github-actions');
    expect(names(calls().filter((c) => !/^(Get|List)/.test(c.api)))).toEqual(['ram CreateRole', 'ram AttachPolicyToRole']);
    expect(state().providers['github-actions'].Fingerprints).toBe('ab'.repeat(20));
    const printed = variables(run.stdout);
    expect(printed).toEqual({ ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN });
    await applyToEmulator(state());
    expect((await assume(printed, `repo:${REPO}:ref:refs/heads/main`)).code).toBe(0);
  });

  it('with no provider and GitHub out of reach, asks for --fingerprint and says where to compute it, changing nothing', () => {
    githubUnreachable();
    const run = setup('--repo', REPO, '--branch', 'main');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'could not read the certificate chain of token.actions.githubusercontent.com: give --fingerprint (how to compute it: docs/SETUP.md, "The fingerprint")',
    );
    expect(names(calls())).toEqual(['sts GetCallerIdentity', 'ims ListOIDCProviders']);
    expect(readFileSync(join(ROOT, 'docs/SETUP.md'), 'utf8')).toMatch(/^### The fingerprint$/m);
  });

  it('brings an existing role to the subjects and the session length asked for (a role made with the old 10800 s)', () => {
    seed(oldAccount('github-prowler-scan'));
    const run = setup('--repo', REPO, '--branch', 'main', '--pull-requests');
    expect(run.code).toBe(0);
    const updates = calls().filter((c) => c.api === 'UpdateRole');
    expect(updates).toHaveLength(1);
    expect(updates[0].params.NewMaxSessionDuration).toBe('21600');
    expect(JSON.parse(updates[0].params.NewAssumeRolePolicyDocument)).toEqual(
      trustPolicy(PROVIDER_ARN, [`repo:${REPO}:ref:refs/heads/main`, `repo:${REPO}:pull_request`]),
    );
    expect(state().roles['github-prowler-scan'].maxSessionDuration).toBe(21600);
  });

  // A statement of the role's trust policy for another principal: ECS instances may assume the role too.
  const ECS_STATEMENT = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } };
  const SECOND = 'octo-org/second-repo';

  it('run for a second repository, adds its subjects: the first keeps its access, other statements stay as they are', async () => {
    const first = setup('--repo', REPO, '--branch', 'main');
    expect(first.code).toBe(0);
    const account = state();
    const role = account.roles['github-prowler-scan'];
    const document = JSON.parse(role.trustPolicy) as { Statement: unknown[] };
    role.trustPolicy = JSON.stringify({ ...document, Statement: [ECS_STATEMENT, ...document.Statement] });
    seed(account);
    const before = calls().length;

    const second = setup('--repo', SECOND, '--branch', 'main', '--environment', 'production');
    expect({ code: second.code, stderr: second.stderr }).toMatchObject({
      code: 0,
      stderr: expect.stringContaining('Checked: github-prowler-scan trusts 3 subject(s)'),
    });
    expect(second.stderr).toContain(
      `it keeps the subjects it trusts: repo:${REPO}:ref:refs/heads/main. Added: repo:${SECOND}:ref:refs/heads/main, repo:${SECOND}:environment:production.`,
    );
    expect(second.stderr).toContain('Its 1 other trust statement(s) are kept as they are.');
    const updates = calls()
      .slice(before)
      .filter((c) => c.api === 'UpdateRole');
    expect(updates.map((c) => Object.keys(c.params))).toEqual([['RoleName', 'NewAssumeRolePolicyDocument']]);
    const github = trustPolicy(PROVIDER_ARN, [
      `repo:${REPO}:ref:refs/heads/main`,
      `repo:${SECOND}:ref:refs/heads/main`,
      `repo:${SECOND}:environment:production`,
    ]);
    expect(JSON.parse(state().roles['github-prowler-scan'].trustPolicy)).toEqual({ ...github, Statement: [ECS_STATEMENT, ...github.Statement] });

    // Both repositories' workflows get credentials from the role.
    const printed = variables(second.stdout);
    await applyToEmulator(state());
    for (const sub of [`repo:${REPO}:ref:refs/heads/main`, `repo:${SECOND}:environment:production`]) {
      const main = await assume(printed, sub);
      expect({ sub, code: main.code, error: main.error }).toEqual({ sub, code: 0, error: undefined });
    }
  });

  it("adds to a trust policy written as SETUP's recipe writes it (the subject under StringEquals)", () => {
    seed(oldAccount('github-prowler-scan'));
    const role = state().roles['github-prowler-scan'];
    const recipe = trustPolicy(PROVIDER_ARN, []);
    delete (recipe.Statement[0].Condition as { StringLike?: unknown }).StringLike;
    Object.assign(recipe.Statement[0].Condition.StringEquals, { 'oidc:sub': `repo:${REPO}:ref:refs/heads/main` });
    role.trustPolicy = JSON.stringify(recipe);
    seed({ ...state(), roles: { 'github-prowler-scan': role } });
    const run = setup('--repo', SECOND, '--branch', 'main');
    expect(run.code).toBe(0);
    expect(JSON.parse(state().roles['github-prowler-scan'].trustPolicy)).toEqual(
      trustPolicy(PROVIDER_ARN, [`repo:${REPO}:ref:refs/heads/main`, `repo:${SECOND}:ref:refs/heads/main`]),
    );
  });

  it('--replace-trust sets exactly the subjects given, and says what it drops', async () => {
    seed(oldAccount('github-prowler-scan'));
    const role = state().roles['github-prowler-scan'];
    const document = JSON.parse(role.trustPolicy) as { Statement: unknown[] };
    role.trustPolicy = JSON.stringify({ ...document, Statement: [...document.Statement, ECS_STATEMENT] });
    seed({ ...state(), roles: { 'github-prowler-scan': role } });

    const run = setup('--repo', SECOND, '--branch', 'main', '--replace-trust');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `--replace-trust: it trusts exactly the subjects given. Kept: none. Added: repo:${SECOND}:ref:refs/heads/main. Dropped: repo:${REPO}:ref:refs/heads/main.`,
    );
    expect(run.stderr).toContain(`Dropped statement: ${JSON.stringify(ECS_STATEMENT)}`);
    expect(JSON.parse(state().roles['github-prowler-scan'].trustPolicy)).toEqual(trustPolicy(PROVIDER_ARN, [`repo:${SECOND}:ref:refs/heads/main`]));

    await applyToEmulator(state());
    const printed = variables(run.stdout);
    expect((await assume(printed, `repo:${SECOND}:ref:refs/heads/main`)).code).toBe(0);
    expect((await assume(printed, `repo:${REPO}:ref:refs/heads/main`)).error).toMatch(/^AssumeRoleWithOIDC failed: NoPermission: /);
  });

  it('never lowers the maximum session: a role allowing 43200 s keeps it, and says so', () => {
    seed(oldAccount('github-prowler-scan'));
    const account = state();
    account.roles['github-prowler-scan'].maxSessionDuration = 43200;
    seed(account);

    const same = setup('--repo', REPO, '--branch', 'main');
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('Its maximum session, 43200 s, is longer than the 21600 s asked for: kept');
    expect(same.stderr).toContain('already trusts these subjects, for up to 43200 s: nothing to change');
    expect(same.stderr).toContain('Checked: github-prowler-scan trusts 1 subject(s) of github-actions for up to 43200 s');
    expect(calls().filter((c) => c.api === 'UpdateRole')).toEqual([]);

    const more = setup('--repo', REPO, '--branch', 'main', '--pull-requests', '--max-session-duration', '3600');
    expect(more.code).toBe(0);
    expect(
      calls()
        .filter((c) => c.api === 'UpdateRole')
        .map((c) => Object.keys(c.params)),
    ).toEqual([['RoleName', 'NewAssumeRolePolicyDocument']]);
    expect(state().roles['github-prowler-scan'].maxSessionDuration).toBe(43200);
  });

  it('--dry-run makes no call, and prints calls that, run, build the same account', () => {
    const dry = setup(...ARGS, '--dry-run', '--account-id', ACCOUNT, '--fingerprint', rootFingerprint.toUpperCase());
    expect(dry.code).toBe(0);
    expect(calls()).toEqual([]);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    const lines = dry.stdout.trim().split('\n');
    const commands = lines.filter((line) => line.startsWith('aliyun '));
    expect(commands.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      'aliyun ims CreateOIDCProvider',
      'aliyun ram CreateRole',
      ...PROWLER_POLICIES.map(() => 'aliyun ram AttachPolicyToRole'),
    ]);
    expect(variables(dry.stdout)).toEqual({ ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN });

    // The printed commands are quoted for the shell: run as they are, they make the account a real run makes.
    expect(sh(['-c', commands.join('\n')]).code).toBe(0);
    const account = state();
    expect(account.providers['github-actions']).toMatchObject({
      Arn: PROVIDER_ARN,
      IssuerUrl: ISSUER,
      ClientIds: 'sts.aliyuncs.com',
      Fingerprints: rootFingerprint,
    });
    const role = account.roles['github-prowler-scan'];
    expect(JSON.parse(role.trustPolicy)).toEqual(trustPolicy(PROVIDER_ARN, SUBJECTS));
    expect([role.maxSessionDuration, role.policies.map((p) => p.PolicyName)]).toEqual([21600, PROWLER_POLICIES]);
  });

  it('the plan role of examples/terraform-plan.yml: other policies, another variable', () => {
    const run = setup(
      '--repo',
      REPO,
      '--branch',
      'main',
      '--pull-requests',
      '--role-name',
      'github-terraform-plan',
      '--policy',
      'ReadOnlyAccess',
      '--variable',
      'ALIBABA_CLOUD_PLAN_ROLE_ARN',
    );
    expect(run.code).toBe(0);
    expect(state().roles['github-terraform-plan'].policies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyType: 'System' }]);
    expect(variables(run.stdout)).toEqual({
      ALIBABA_CLOUD_PLAN_ROLE_ARN: `acs:ram::${ACCOUNT}:role/github-terraform-plan`,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN,
    });
  });

  it("SETUP section 9.1's command, as written: the management role of the organisation scan, trusting main only", async () => {
    const section = readFileSync(join(ROOT, 'docs/SETUP.md'), 'utf8').split('### 9.1 The management role')[1] ?? '';
    const command = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
    expect(command).toContain('examples/setup/setup-github-oidc.sh');
    const run = sh(['-c', command.replace('examples/setup/setup-github-oidc.sh', SCRIPT)]);
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    const role = state().roles['github-org-scan'];
    expect(role.policies).toEqual([
      { PolicyName: 'AliyunResourceDirectoryReadOnlyAccess', PolicyType: 'System' },
      { PolicyName: 'AliyunSTSAssumeRoleAccess', PolicyType: 'System' },
    ]);
    expect(JSON.parse(role.trustPolicy)).toEqual(trustPolicy(PROVIDER_ARN, ['repo:my-org/my-repo:ref:refs/heads/main']));
    const printed = variables(run.stdout);
    // The variable the org-scan README's caller reads.
    expect(readFileSync(join(ROOT, 'examples/org-scan/README.md'), 'utf8')).toContain('vars.ALIBABA_CLOUD_MANAGEMENT_ROLE_ARN');
    expect(printed).toEqual({ ALIBABA_CLOUD_MANAGEMENT_ROLE_ARN: `acs:ram::${ACCOUNT}:role/github-org-scan`, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN });
    await applyToEmulator(state());
    const scheduled = await assume(printed, 'repo:my-org/my-repo:ref:refs/heads/main', '900', 'ALIBABA_CLOUD_MANAGEMENT_ROLE_ARN');
    expect({ code: scheduled.code, error: scheduled.error }).toEqual({ code: 0, error: undefined });
    for (const sub of ['repo:my-org/my-repo:pull_request', 'repo:my-org/my-repo:ref:refs/heads/feature']) {
      expect((await assume(printed, sub, '900', 'ALIBABA_CLOUD_MANAGEMENT_ROLE_ARN')).code).toBe(1);
    }
  });

  it.each([
    [['--branch', 'main'], /--repo OWNER\/REPO is required/],
    [['--repo', REPO], /give at least one subject/],
    [['--repo', 'octo-org', '--branch', 'main'], /--repo OWNER\/REPO is required/],
    [['--repo', REPO, '--branch', 'main', '--max-session-duration', '50000'], /--max-session-duration: "50000" is not a number of seconds from 3600 to 43200/],
    [['--repo', REPO, '--branch', 'main', '--fingerprint', 'xyz'], /--fingerprint must be 40 hex characters/],
    [['--repo', REPO, '--branch'], /--branch needs a value/],
    [['--repo', REPO, '--branch', 'main', '--role-duration-seconds', '10800'], /unknown option --role-duration-seconds/],
  ])('%j fails before any call: %s', (args, says) => {
    const run = setup(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(says);
    expect(calls()).toEqual([]);
  });
});

(reason ? describe.skip : describe)("docs/SETUP.md's aliyun CLI recipe, as written", () => {
  const section = readFileSync(join(ROOT, 'docs/SETUP.md'), 'utf8').split('## 7. The same with the aliyun CLI')[1] ?? '';
  const recipe = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';

  it('sets every variable it uses, and gives a role the action assumes for 21600 s', async () => {
    expect(recipe).toContain('aliyun ram CreateRole');
    // -u: a variable the recipe uses without setting it stops the shell.
    const run = sh(['-eu', '-c', recipe]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`account ${ACCOUNT}, fingerprint ${rootFingerprint}`);
    const made = calls();
    expect(names(made)).toEqual([
      'sts GetCallerIdentity',
      'ims CreateOIDCProvider',
      'ram CreateRole',
      ...PROWLER_POLICIES.map(() => 'ram AttachPolicyToRole'),
      'ram GetRole',
    ]);
    expect(made[1].params).toMatchObject({ IssuerUrl: ISSUER, Fingerprints: rootFingerprint, ClientIds: 'sts.aliyuncs.com' });
    expect(made[2].params.MaxSessionDuration).toBe('21600');
    expect(JSON.parse(made[2].params.AssumeRolePolicyDocument)).toEqual({
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Federated: [PROVIDER_ARN] },
          Condition: { StringEquals: { 'oidc:iss': ISSUER, 'oidc:aud': 'sts.aliyuncs.com', 'oidc:sub': 'repo:my-org/my-repo:ref:refs/heads/main' } },
        },
      ],
    });
    expect(made.filter((c) => c.api === 'AttachPolicyToRole').map((c) => c.params.PolicyName)).toEqual(PROWLER_POLICIES);
    const printed = variables(run.stdout);
    expect(printed).toEqual({ ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN, ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN });

    await applyToEmulator(state());
    const main = await assume(printed, 'repo:my-org/my-repo:ref:refs/heads/main');
    expect([main.code, main.error]).toEqual([0, undefined]);
    expect(Date.parse(main.outputs.expiration) - Date.now()).toBeGreaterThan(21000 * 1000);
  });
});

(reason ? describe.skip : describe)('a role whose maximum session is shorter than the scan asks for', () => {
  it('fails with the role limit, the input, and the aliyun CLI and Terraform changes that raise it', async () => {
    await applyToEmulator(oldAccount('short-role'));
    const main = await assume(
      { ALIBABA_CLOUD_ROLE_ARN: `acs:ram::${ACCOUNT}:role/short-role`, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER_ARN },
      `repo:${REPO}:ref:refs/heads/main`,
    );
    expect(main.code).toBe(1);
    const [first, ...hint] = (main.error ?? '').split('\n');
    expect(first).toMatch(/^AssumeRoleWithOIDC failed: InvalidParameter\.DurationSeconds: The Min\/Max value of DurationSeconds is 15min\/3hr\. \(RequestId: /);
    expect(hint.join('\n')).toMatch(
      /^The role short-role allows sessions of at most 10800 s \(3 h\); `role-session-expiration` asks for 21600 s\. .*`aliyun ram UpdateRole --RoleName short-role --NewMaxSessionDuration 21600`, or in Terraform `max_session_duration = 21600` on the role's `alicloud_ram_role`\.$/,
    );
    expect(main.exported).toEqual({});
  });
});
