// examples/org-scan/prowler-org-scan.yml, the reusable workflow of an organisation-wide scan: read (its inputs,
// permissions, matrix, and every `with:` an input of the action it calls), then run job by job as the runner runs it
// (__tests__/examples/workflow.ts): `accounts` with the built action and list-accounts, `scan` as a matrix expanded
// from that job's real output (one account left out by exclude-accounts, max-parallel 1), each job chaining from the
// management role into its member and running the Prowler composite's steps as written with the pinned Prowler of
// the test tools, and `summary` with summarize-organization.mjs over the artifacts the scan jobs uploaded. Everything
// reaches the emulator at Alibaba Cloud's real names (sts.aliyuncs.com, resourcemanager.aliyuncs.com,
// ram.aliyuncs.com) through an HTTPS proxy, as on a runner behind a TLS-inspecting proxy; the workflow names no test
// endpoint.
//
// Modelled (workflow.ts says why): actions/checkout, upload-artifact, download-artifact; in the composite,
// setup-python and the pip install, which the test tools did beforehand (the same Prowler release).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startProxy } from '../../emulator/proxy.js';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { COMPOSITE_SKIP_REASON, tool } from '../consumers/consumers.js';
import { JOB_OUTPUTS_MAX_BYTES, MATRIX_MAX_JOBS, outputBytes } from '../../src/list-accounts/accounts.js';
import { findLeaks, oidcJobEnv, ROOT, type StepResult } from '../e2e/runner.js';
import { evaluate, exampleRepository, interpolate, type JobRun, jobStarts, readWorkflow, runJob, runMatrix, type StepRun, type StepSpec } from './workflow.js';

const FILE = join(ROOT, 'examples/org-scan/prowler-org-scan.yml');
const workflow = readWorkflow(FILE);
const call = workflow.on.workflow_call as { inputs: Record<string, { type: string; required?: boolean; default?: unknown }> };
const COMPOSITE = join(ROOT, 'examples/prowler-alibabacloud/action.yml');
const composite = parse(readFileSync(COMPOSITE, 'utf8')) as { inputs: Record<string, unknown>; runs: { steps: StepSpec[] } };
const inputsOf = (file: string) => Object.keys((parse(readFileSync(file, 'utf8')) as { inputs: Record<string, unknown> }).inputs);
const allSteps = Object.entries(workflow.jobs).flatMap(([job, spec]) => spec.steps.map((step) => ({ job, step })));

describe('examples/org-scan/prowler-org-scan.yml, read', () => {
  it('is called with workflow_call: the role ARNs required, max-parallel and fail-on among the inputs', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(call.inputs['management-role-arn']).toMatchObject({ type: 'string', required: true });
    expect(call.inputs['oidc-provider-arn']).toMatchObject({ type: 'string', required: true });
    expect(call.inputs['max-parallel']).toMatchObject({ type: 'number', default: 20 });
    expect(call.inputs['fail-on']).toMatchObject({ type: 'string', default: 'none' });
  });

  it('asks each job for the least permissions: the OIDC token where it is exchanged, read access where it checks out', () => {
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.accounts.permissions).toEqual({ 'id-token': 'write' });
    expect(workflow.jobs.scan.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(workflow.jobs.summary.permissions).toEqual({ contents: 'read' });
  });

  it('fans out over list-accounts output, max-parallel at a time, and lets every account finish', () => {
    expect(workflow.jobs.scan.needs).toBe('accounts');
    expect(workflow.jobs.scan.strategy).toEqual({
      'fail-fast': false,
      'max-parallel': '${{ inputs.max-parallel }}',
      matrix: { account: '${{ fromJSON(needs.accounts.outputs.accounts) }}' },
    });
    const member = workflow.jobs.scan.steps.find((s) => s.id === 'member');
    expect(member?.with).toMatchObject({
      'role-chaining': true,
      'role-to-assume': '${{ matrix.account.role }}',
      'source-identity': '${{ steps.actor.outputs.source-identity }}',
      'allowed-account-ids': '${{ matrix.account.id }}',
    });
    expect(workflow.jobs.scan.steps.find((s) => s.id === 'scan')?.with).toMatchObject({
      'artifact-name': 'prowler-${{ matrix.account.id }}',
      'fail-on': 'none',
    });
    expect(workflow.jobs.summary.needs).toEqual(['accounts', 'scan']);
    // The source identity is made in the scan job, before the member step: a re-run of failed jobs reuses the
    // outputs of `accounts` from the first attempt, so an identity made there would name the first attempt's starter.
    const steps = workflow.jobs.scan.steps.map((s) => s.id ?? s.name);
    expect(steps.indexOf('actor')).toBeGreaterThan(-1);
    expect(steps.indexOf('actor')).toBeLessThan(steps.indexOf('member'));
    expect(Object.keys(workflow.jobs.accounts.outputs ?? {})).not.toContain('source-identity');
  });

  it("starts the scan only after a listing that succeeded, the summary also after failed scans but not in a cancelled run (the jobs' own if:)", () => {
    type Result = 'success' | 'failure' | 'skipped' | 'cancelled';
    const starts = (job: 'scan' | 'summary', accounts: Result, scan: Result, cancelled = false) =>
      jobStarts(
        workflow.jobs[job],
        { inputs: {}, github: {}, needs: { accounts: { result: accounts, outputs: {} }, scan: { result: scan, outputs: {} } } },
        { cancelled },
      );
    expect(starts('scan', 'success', 'skipped')).toBe(true);
    expect(starts('scan', 'failure', 'skipped')).toBe(false);
    expect(starts('scan', 'success', 'skipped', true)).toBe(false);
    expect(starts('summary', 'success', 'success')).toBe(true);
    expect(starts('summary', 'success', 'failure')).toBe(true);
    expect(starts('summary', 'success', 'cancelled', true)).toBe(false);
    expect(starts('summary', 'success', 'failure', true)).toBe(false);
    expect(starts('summary', 'failure', 'skipped')).toBe(false);
    expect(starts('summary', 'cancelled', 'skipped', true)).toBe(false);
  });

  it('uploads with overwrite (a re-run is the same run) and downloads only the org-scan-* artifacts, merged', () => {
    const uploads = [...allSteps.map(({ step }) => step), ...composite.runs.steps].filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads).toHaveLength(2);
    for (const upload of uploads) expect(upload.with?.overwrite).toBe(true);
    const record = workflow.jobs.scan.steps.find((s) => s.name === 'Upload the record');
    const name = interpolate(String(record?.with?.name), { matrix: { account: { id: '1234567890123456' } } });
    expect(name).toBe('org-scan-1234567890123456');
    const downloads = workflow.jobs.summary.steps.filter((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.map((s) => s.with)).toEqual([{ pattern: 'org-scan-*', 'merge-multiple': true, path: '${{ runner.temp }}/org-scan' }]);
    expect(name).toMatch(new RegExp(`^${String(downloads[0].with?.pattern).replace('*', '.*')}$`));
    expect('prowler-1234567890123456').not.toMatch(new RegExp(`^${String(downloads[0].with?.pattern).replace('*', '.*')}$`));
  });

  it("makes the source identity with SETUP section 9.3's line, which turns a bot's name into one STS accepts", () => {
    const section = readFileSync(join(ROOT, 'docs/SETUP.md'), 'utf8').split('### 9.3')[1] ?? '';
    const line = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
    expect(line).toContain('tr -c');
    const step = workflow.jobs.scan.steps.find((s) => s.id === 'actor');
    expect(String(step?.run)).toContain(line);
    for (const [actor, identity] of [
      ['dependabot[bot]', 'dependabot-bot-'],
      ['octo-cat', 'octo-cat'],
      ['a'.repeat(70), 'a'.repeat(64)],
    ]) {
      const run = spawnSync('sh', ['-c', `${line}\nprintf '%s' "$identity"`], { env: { PATH: process.env.PATH, ACTOR: actor }, encoding: 'utf8' });
      expect(run.stdout).toBe(identity);
    }
  });

  it('pins every action of GitHub by a full commit SHA, the same one as everywhere else in the repository', () => {
    const yamlFiles = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
        .map((e) => join(e.parentPath, e.name));
    const pins = new Map<string, Set<string>>();
    for (const file of [...yamlFiles('.github'), ...yamlFiles('examples')]) {
      for (const [, action, ref] of readFileSync(file, 'utf8').matchAll(/uses:\s*(actions\/[\w-]+)@(\S+)/g)) {
        pins.set(action, (pins.get(action) ?? new Set()).add(ref));
      }
    }
    const used = allSteps.map(({ step }) => step.uses ?? '').filter((u) => u.startsWith('actions/'));
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const uses of used) {
      const [action, ref] = uses.split('@');
      expect(ref).toMatch(/^[0-9a-f]{40}$/);
      expect([...(pins.get(action) ?? [])]).toEqual([ref]);
    }
  });

  it('passes each action only inputs it has; scripts get values through env, never as ${{ }} in their text', () => {
    const actionInputs = inputsOf(join(ROOT, 'action.yml'));
    const listInputs = inputsOf(join(ROOT, 'list-accounts/action.yml'));
    const compositeInputs = Object.keys(composite.inputs);
    for (const { step } of allSteps) {
      const given = Object.keys(step.with ?? {});
      if (/configure-alibabacloud-credentials@/.test(step.uses ?? '')) expect(actionInputs).toEqual(expect.arrayContaining(given));
      if (/\/list-accounts@/.test(step.uses ?? '')) expect(listInputs).toEqual(expect.arrayContaining(given));
      if (step.uses === './.github/actions/prowler-alibabacloud') expect(compositeInputs).toEqual(expect.arrayContaining(given));
      if (step.run) expect(step.run).not.toContain('${{');
    }
  });
});

// The number of accounts, end to end: the accounts job as the runner runs it (the built action and list-accounts
// against the emulator at Alibaba Cloud's names, through the proxy), then the workflow's own expressions over that
// job's real result and outputs: whether the scan and summary jobs start, and the matrix they would expand. No
// Prowler run: the one account scanned here has no role to assume, so the composite's scan step is skipped.
describe('the accounts job with 0, 1, 256 and 257 accounts, and what the workflow does next', () => {
  const MANAGEMENT = '1000000000000001';
  // Alibaba's longest display name, 50 characters (CreateResourceAccount, DisplayName: "2 to 50 characters",
  // Chinese characters allowed: https://www.alibabacloud.com/help/en/resource-management/resource-directory/developer-reference/api-resourcemanager-2020-03-31-createresourceaccount).
  const longName = (i: number) => `${'云'.repeat(30)}-member-${String(i).padStart(12, '0')}`;
  let em: Emulator;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dir: string;
  let directory: Awaited<ReturnType<Emulator['setupResourceDirectory']>>;
  let inputs: Record<string, unknown>;
  let env: Record<string, string>;
  const github = {
    actor: 'octo-cat',
    triggering_actor: 'octo-cat',
    run_id: '77',
    run_attempt: '1',
    repository: 'octo-org/octo-repo',
    server_url: 'https://github.com',
  };

  beforeAll(async () => {
    em = await startEmulator({ tls: true });
    const names = ['sts.aliyuncs.com', 'resourcemanager.aliyuncs.com'];
    proxy = await startProxy({ routes: Object.fromEntries(names.map((name) => [`${name}:443`, em.stsHost])) });
    dir = mkdtempSync(join(tmpdir(), 'org-scan-count-'));
    const provider = (await em.addOidcProvider({ accountId: MANAGEMENT, name: 'github' })).arn;
    const role = (await em.addRole({ accountId: MANAGEMENT, name: 'OrgScan', oidc: { providerArn: provider, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
    // 256 members in the root, one in folder `one` (without the access role), none in folder `empty`: 257 in all.
    directory = await em.setupResourceDirectory({
      managementAccountId: MANAGEMENT,
      members: { accounts: Array.from({ length: 256 }, (_, i) => ({ displayName: longName(i) })), accessRole: false },
      folders: [{ name: 'empty' }, { name: 'one', members: { accounts: [{ displayName: 'lone' }], accessRole: false } }],
    });
    inputs = {
      ...Object.fromEntries(Object.entries(call.inputs).map(([name, spec]) => [name, spec.default])),
      'management-role-arn': role,
      'oidc-provider-arn': provider,
    };
    const ca = em.caFile ?? '';
    env = { ...oidcJobEnv(em), NODE_EXTRA_CA_CERTS: ca, SSL_CERT_FILE: ca, HTTPS_PROXY: proxy.url };
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await em?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const accountsJob = (given: Record<string, unknown>) =>
    runJob(workflow.jobs.accounts, { github, inputs: { ...inputs, ...given }, env, artifacts: join(dir, 'none'), repository: exampleRepository() });
  const next = (accounts: JobRun) => {
    const context = {
      inputs,
      github,
      needs: { accounts: { result: accounts.result, outputs: accounts.outputs }, scan: { result: 'skipped' as const, outputs: {} } },
    };
    return { scan: jobStarts(workflow.jobs.scan, context), summary: jobStarts(workflow.jobs.summary, context), context };
  };
  const check = (run: JobRun) => run.steps.find((s) => s.name === 'Check the number of accounts');

  it('0 accounts (an empty folder): the accounts job fails saying why, and no scan or summary starts', async () => {
    const run = await accountsJob({ folders: directory.folders.empty });
    expect(run.steps.find((s) => s.id === 'list')?.outcome).toBe('success');
    expect(run.outputs.count).toBe('0');
    expect(check(run)?.outcome).toBe('failure');
    expect(check(run)?.result?.error).toMatch(/^No member account matched, so there is nothing to scan\. Check the folders and exclude-accounts inputs/);
    expect(run.result).toBe('failure');
    expect(next(run)).toMatchObject({ scan: false, summary: false });
  });

  it('257 accounts: the accounts job fails saying to split by folders, and no scan or summary starts', async () => {
    const run = await accountsJob({});
    expect(run.outputs.count).toBe('257');
    expect(run.steps.find((s) => s.id === 'list')?.result?.stdout).toContain('::warning::257 accounts: a matrix over them cannot start');
    expect(check(run)?.result?.error).toBe(
      '257 accounts: a matrix makes at most 256 jobs. Scan by folders (the folders input), one call of this workflow for each.',
    );
    expect(run.result).toBe('failure');
    const { scan, summary, context } = next(run);
    expect({ scan, summary }).toEqual({ scan: false, summary: false });
    // What GitHub would have been asked for otherwise: a matrix of 257 jobs.
    await expect(runMatrix(workflow.jobs.scan, { github, artifacts: dir, repository: {}, needs: context.needs }, context)).rejects.toThrow(
      'the matrix would make 257 jobs; GitHub makes at most 256',
    );
  });

  it(`256 accounts with ${longName(0).length}-character display names: the scan job starts, its matrix 256 jobs of the listed accounts`, async () => {
    const lone = directory.accounts.find((a) => a.displayName === 'lone')?.accountId ?? '';
    const run = await accountsJob({ 'exclude-accounts': lone });
    expect(run.result).toBe('success');
    expect(run.outputs.count).toBe('256');
    const bytes = outputBytes(run.outputs.accounts);
    console.log(`org-scan: 256 accounts, display names of 50 characters: ${bytes} bytes of the ${JOB_OUTPUTS_MAX_BYTES} a job's outputs may hold.`);
    expect(bytes).toBeLessThanOrEqual(JOB_OUTPUTS_MAX_BYTES);
    const { scan, context } = next(run);
    expect(scan).toBe(true);
    const matrix = evaluate(String(workflow.jobs.scan.strategy?.matrix?.account).replace(/^\$\{\{|\}\}$/g, ''), context) as Array<{ id: string; name: string }>;
    expect(matrix).toHaveLength(MATRIX_MAX_JOBS);
    expect(matrix.map((a) => a.name).sort()).toEqual(Array.from({ length: 256 }, (_, i) => longName(i)).sort());
  });

  // "Re-run failed jobs": GitHub runs the failed scan job (and the summary that needs it) again in the same run, with
  // run_attempt 2, triggering_actor whoever clicked, and the outputs of `accounts` from attempt 1, which does not run
  // again. The emulator records the SourceIdentity each AssumeRole asked for (the member role is missing here, so
  // STS refuses it after reading the parameters).
  it('1 account not scanned: its record reaches the summary (a lone artifact); a re-run of the failed job uploads again, under its own starter', async () => {
    const artifacts = join(dir, 'artifacts');
    const options = { github, inputs: { ...inputs, folders: directory.folders.one }, env, artifacts, repository: exampleRepository() };
    const accounts = await runJob(workflow.jobs.accounts, options);
    expect([accounts.result, accounts.outputs.count]).toEqual(['success', '1']);
    const needs = { accounts: { result: accounts.result, outputs: accounts.outputs } };
    const lone = directory.accounts.find((a) => a.displayName === 'lone')?.accountId;
    const starters = { 1: 'octo-cat', 2: 'renovate[bot]' } as const;
    for (const attempt of [1, 2] as const) {
      const context = { inputs: options.inputs, github: { ...github, run_attempt: String(attempt), triggering_actor: starters[attempt] }, needs };
      await em.resetRequests();
      const [scan] = await runMatrix(workflow.jobs.scan, { ...options, github: context.github, needs }, context);
      const assumed = (await em.requests()).filter(
        (r) => r.target === 'AssumeRole' && r.params?.RoleArn === `acs:ram::${lone}:role/ResourceDirectoryAccountAccessRole`,
      );
      expect(assumed.map((r) => r.params?.SourceIdentity)).toEqual([attempt === 1 ? 'octo-cat' : 'renovate-bot-']);
      expect(scan.run.steps.map((s) => [s.id ?? s.name, s.outcome]).slice(1)).toEqual([
        ['actor', 'success'],
        ['management', 'success'],
        ['member', 'failure'],
        ['scan', 'skipped'],
        ['Record how the scan ended', 'success'],
        ['Upload the record', 'success'],
        ['Fail when the account was not scanned', 'failure'],
      ]);
      expect(scan.run.result).toBe('failure');
      expect(readdirSync(artifacts)).toEqual([`org-scan-${lone}`]);
      const summary = await runJob(workflow.jobs.summary, { ...options, needs: { ...needs, scan: { result: 'failure', outputs: {} } } });
      expect(summary.steps.at(-1)?.result?.stdout).toContain(`::error::1 of 1 accounts could not be scanned: ${lone}`);
      expect(summary.steps.at(-1)?.result?.summary).toContain(`| ${lone} | lone | assuming acs:ram::${lone}:role/ResourceDirectoryAccountAccessRole failed:`);
    }
  }, 60_000);
});

if (COMPOSITE_SKIP_REASON) console.warn(`org-scan.test.ts: the organisation scan is skipped: ${COMPOSITE_SKIP_REASON}`);
(COMPOSITE_SKIP_REASON ? describe.skip : describe)('the organisation scan, job by job as the runner runs it, against the emulator', () => {
  const MANAGEMENT = '1000000000000001';
  let em: Emulator;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dir: string;
  let members: Awaited<ReturnType<Emulator['setupResourceDirectory']>>['accounts'];
  let inputs: Record<string, unknown>;
  let env: Record<string, string>;
  let repository: Record<string, string>;
  // "Re-run all jobs" started by someone else: every job runs again, the source identity is who started this attempt
  // (github.triggering_actor), not who started the run (github.actor).
  const github = {
    actor: 'octo-dog',
    triggering_actor: 'octo-cat[bot]',
    run_id: '4242',
    run_attempt: '2',
    repository: 'octo-org/octo-repo',
    server_url: 'https://github.com',
  };

  beforeAll(async () => {
    em = await startEmulator({ tls: true });
    const names = ['sts.aliyuncs.com', 'sts.cn-hangzhou.aliyuncs.com', 'resourcemanager.aliyuncs.com', 'ram.aliyuncs.com'];
    proxy = await startProxy({ routes: Object.fromEntries(names.map((name) => [`${name}:443`, em.stsHost])) });
    dir = mkdtempSync(join(tmpdir(), 'org-scan-'));
    const provider = (await em.addOidcProvider({ accountId: MANAGEMENT, name: 'github' })).arn;
    const role = (await em.addRole({ accountId: MANAGEMENT, name: 'OrgScan', oidc: { providerArn: provider, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
    // Three members: one that Prowler scans (alice signs in without MFA: a high failure), one the caller leaves out
    // (exclude-accounts), and an invited account whose access role was deleted, which the scan cannot enter. One
    // Prowler run: a full CLI run costs Prowler about 13 s of CPU.
    ({ accounts: members } = await em.setupResourceDirectory({
      managementAccountId: MANAGEMENT,
      members: { accounts: [{ displayName: 'prod' }, { displayName: 'staging' }, { displayName: 'invited', joinMethod: 'invited', accessRole: false }] },
    }));
    const [prod] = members;
    await em.addUser({ accountId: prod.accountId, name: 'alice' });
    await em.setRamAccount({ accountId: prod.accountId, alias: 'prod', loginProfiles: { alice: { mfaBindRequired: false } } });
    inputs = {
      ...Object.fromEntries(Object.entries(call.inputs).map(([name, spec]) => [name, spec.default])),
      'management-role-arn': role,
      'oidc-provider-arn': provider,
      checks: 'ram_user_mfa_enabled_console_access',
      regions: 'cn-hangzhou',
      'exclude-accounts': members[1].accountId,
      'max-parallel': 1,
      'fail-on': 'high',
    };
    const ca = em.caFile ?? '';
    env = { ...oidcJobEnv(em), NODE_EXTRA_CA_CERTS: ca, SSL_CERT_FILE: ca, HTTPS_PROXY: proxy.url };
    repository = { ...exampleRepository(), '.github/actions/prowler-alibabacloud': join(ROOT, 'examples/prowler-alibabacloud') };
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await em?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** setup-python and the pip install: what the test tools did beforehand, with the same Prowler release. */
  const override = async (step: StepSpec & { with: Record<string, string>; env: Record<string, string> }): Promise<StepRun | undefined> => {
    if (step.uses?.startsWith('actions/setup-python@')) {
      return { name: 'setup-python', outcome: 'success', conclusion: 'success', outputs: { 'python-path': tool('prowler').bins.python } };
    }
    if (/pip install/.test(step.run ?? '')) {
      symlinkSync(tool('prowler').dir, step.env.PROWLER_VENV);
      return { name: 'Install Prowler', outcome: 'success', conclusion: 'success', outputs: {} };
    }
    return undefined;
  };

  /** Every result of a job's steps (a composite's included), for the leak scan. */
  const results = (run: JobRun): StepResult[] =>
    run.steps.flatMap((s) => [s.result, ...(s.inner ?? []).map((i) => i.result)]).filter((r): r is StepResult => r !== undefined);

  // The default member session policy denies reads of data (__tests__/unit/setup-policies.test.ts). The pinned
  // Prowler must call none of them, or its checks would fail under the policy on Alibaba Cloud, where (unlike in the
  // emulator) session policies apply. Its Alibaba Cloud provider, as installed (prowler/providers/alibabacloud/, tag
  // 5.46.0), names the operations it calls in its services' *_service.py: SDK methods (get_object, describe_user_data
  // …) or OpenAPI action names (OSS's GetBucketAcl …).
  it("Prowler's Alibaba Cloud provider calls none of the operations the default session policy denies", () => {
    const lib = join(tool('prowler').dir, 'lib');
    const [python] = readdirSync(lib).filter((name) => /^python3\.\d+$/.test(name));
    const provider = join(lib, python, 'site-packages/prowler/providers/alibabacloud');
    const sources = readdirSync(provider, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.py'));
    expect(sources).toEqual(
      expect.arrayContaining(['services/oss/oss_service.py', 'services/sls/sls_service.py', 'services/ecs/ecs_service.py', 'services/cs/cs_service.py']),
    );
    // RAM action -> the API operations it authorizes (oss:GetObject and oss:GetObjectVersion GetObject;
    // log:GetLogStoreLogs GetLogs; log:GetLogStoreContextLogs GetContextLogs; log:GetLogStoreHistogram GetHistograms;
    // log:GetCursorOrData GetCursor and PullLogs; the others their own name).
    const operations = [
      'GetObject',
      'GetLogs',
      'GetLogsV2',
      'GetContextLogs',
      'GetHistograms',
      'GetCursor',
      'PullLogs',
      'DescribeUserData',
      'DescribeClusterUserKubeconfig',
    ];
    const snake = (name: string) => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
    const called = new RegExp(`\\b(${operations.map(snake).join('|')})(_with_options)?(_async)?\\b|["'](${operations.join('|')})["']`);
    expect(called.test('client.describe_user_data_with_options(request)') && called.test('action="GetObject"')).toBe(true);
    const hits = sources.flatMap((file) =>
      readFileSync(join(provider, file), 'utf8')
        .split('\n')
        .filter((line) => called.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it('lists, scans each member with its own credentials and source identity, and summarizes the organisation', async () => {
    const artifacts = join(dir, 'artifacts');
    const options = { github, inputs, env, artifacts, repository, override };

    // Job 1: the management account's credentials and the list.
    const accounts = await runJob(workflow.jobs.accounts, options);
    expect(accounts.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['Management account credentials', 'success'],
      ['List the accounts', 'success'],
      ['Check the number of accounts', 'success'],
    ]);
    expect(accounts.outputs.count).toBe('2');
    const listed = JSON.parse(accounts.outputs.accounts) as Array<{ id: string; role: string }>;
    expect(listed.map((a) => a.id)).toEqual([members[0].accountId, members[2].accountId]);

    // Job 2: the matrix from job 1's real output.
    const needs = { accounts: { result: accounts.result, outputs: accounts.outputs } };
    const context = { inputs, needs, github };
    expect(jobStarts(workflow.jobs.scan, context)).toBe(true);
    await em.resetRequests();
    const scans = await runMatrix(workflow.jobs.scan, { ...options, needs }, context);
    const byId = new Map(scans.map(({ matrix, run }) => [(matrix.account as { id: string }).id, run]));
    expect(scans).toHaveLength(2);
    const [prod, invited] = [members[0], members[2]].map((m) => byId.get(m.accountId) as JobRun);
    for (const run of [prod]) {
      expect(run.steps.map((s) => [s.id ?? s.name, s.outcome])).toEqual([
        ['actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', 'success'],
        ['actor', 'success'],
        ['management', 'success'],
        ['member', 'success'],
        ['scan', 'success'],
        ['Record how the scan ended', 'success'],
        ['Upload the record', 'success'],
        ['Fail when the account was not scanned', 'skipped'],
      ]);
      expect(run.result).toBe('success');
    }
    expect(invited.steps.map((s) => [s.id ?? s.name, s.outcome, s.conclusion]).slice(1, 5)).toEqual([
      ['actor', 'success', 'success'],
      ['management', 'success', 'success'],
      ['member', 'failure', 'success'],
      ['scan', 'skipped', 'skipped'],
    ]);
    expect(invited.result).toBe('failure');
    expect(invited.steps.find((s) => s.id === 'member')?.result?.error).toMatch(/^AssumeRole failed: EntityNotExist\.Role/);

    // Each scan ran as its member, the source identity on every request of the member session, Prowler's included.
    const requests = await em.requests();
    for (const [member, run] of [[members[0], prod]] as const) {
      const memberStep = run.steps.find((s) => s.id === 'member')?.result as StepResult;
      expect(memberStep.outputs['account-id']).toBe(member.accountId);
      const keyId = memberStep.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
      const prowlerCalls = requests.filter((r) => r.accessKeyId === keyId && r.target !== 'GetCallerIdentity');
      expect(prowlerCalls.map((r) => r.target)).toEqual(expect.arrayContaining(['ListUsers', 'GetLoginProfile']));
      for (const r of prowlerCalls) expect(r.sourceIdentity).toBe('octo-cat-bot-');
      const assume = requests.find((r) => r.target === 'AssumeRole' && r.params?.RoleArn === member.roleArn);
      // The member role's session narrowed to Prowler's read actions by the workflow's default session policy, its
      // data reads denied. The emulator does not evaluate session policies (it answers Prowler's calls whatever the
      // Policy says), so this proves only what was sent: that Prowler passes under the policy is not shown here, and
      // what it calls is checked below against the denied actions.
      const readOnly = JSON.stringify(JSON.parse(String(call.inputs['member-session-policy'].default)));
      expect(assume).toMatchObject({
        status: 200,
        sourceIdentity: 'octo-cat-bot-',
        params: expect.objectContaining({ DurationSeconds: '3600', Policy: readOnly }),
      });
      expect((JSON.parse(String(assume?.params?.Policy)) as { Statement: unknown[] }).Statement).toContainEqual({
        Effect: 'Deny',
        Action: expect.arrayContaining(['oss:GetObject', 'log:GetLogStoreLogs', 'ecs:DescribeUserData', 'cs:DescribeClusterUserKubeconfig']),
        Resource: '*',
      });
      const reports = readdirSync(join(artifacts, `prowler-${member.accountId}`)).filter((f) => f.endsWith('.ocsf.json'));
      expect(reports).toEqual([expect.stringMatching(new RegExp(`^prowler-output-${member.accountId}-\\d+\\.ocsf\\.json$`))]);
    }
    expect(existsSync(join(artifacts, `prowler-${members[2].accountId}`))).toBe(false);
    expect(readdirSync(artifacts).sort()).toEqual(
      [`org-scan-${members[0].accountId}`, `org-scan-${members[2].accountId}`, `prowler-${members[0].accountId}`].sort(),
    );
    // The summary's artifact of each account: its record, and the JSON reports of the composite's artifact.
    expect(readdirSync(join(artifacts, `org-scan-${members[0].accountId}`), { recursive: true }).sort()).toEqual(
      [
        `prowler-${members[0].accountId}`,
        join(`prowler-${members[0].accountId}`, readdirSync(join(artifacts, `prowler-${members[0].accountId}`)).find((f) => f.endsWith('.ocsf.json')) ?? '-'),
        `scan-status-${members[0].accountId}`,
        join(`scan-status-${members[0].accountId}`, 'status.json'),
      ].sort(),
    );

    // Job 3: one summary for the organisation; it fails for the account not scanned and for the high finding.
    const afterScans = { ...needs, scan: { result: 'failure' as const, outputs: {} } };
    expect(jobStarts(workflow.jobs.summary, { ...context, needs: afterScans })).toBe(true);
    const summary = await runJob(workflow.jobs.summary, { ...options, needs: afterScans });
    const step = summary.steps.at(-1)?.result as StepResult;
    expect(summary.result).toBe('failure');
    expect(step.stdout).toContain(`::error::1 of 2 accounts could not be scanned: ${members[2].accountId} (the job summary says why).`);
    expect(step.stdout).toContain('::error::fail-on high: 1 accounts have failed findings at severity high or above (1 in all).');
    expect(step.summary).toContain(
      '**2 accounts**: 1 scanned, 1 could not be scanned. **1 failed findings** (0 critical, 1 high, 0 medium, 0 low, 0 informational) in 1 accounts',
    );
    expect(step.summary).toContain(`| ${members[0].accountId} | prod | 0 | 1 | 0 | 0 | 0 | 1 |`);
    expect(step.summary).toContain(
      `| ${members[2].accountId} | invited | assuming acs:ram::${members[2].accountId}:role/ResourceDirectoryAccountAccessRole failed: the role is missing or does not trust the management account |`,
    );
    expect(step.summary).toContain('The log of each is in [the run](https://github.com/octo-org/octo-repo/actions/runs/4242).');
    // What list-accounts left out, passed through the accounts job's outputs: counts and reasons, no account ID.
    expect(accounts.outputs['left-out']).toBe('the management account (it has no member access role); 1 named by exclude-accounts');
    expect(step.summary).toContain('Not in this scan: the management account (it has no member access role); 1 named by exclude-accounts.');
    expect(step.summary).not.toContain(MANAGEMENT);
    expect(step.summary).not.toContain(members[1].accountId);

    const secrets = await em.secrets();
    for (const run of [accounts, ...scans.map((s) => s.run), summary]) for (const result of results(run)) expect(findLeaks(result, secrets)).toEqual([]);
  }, 150_000);
});
