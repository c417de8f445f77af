// list-accounts end to end, and the matrix job it feeds: the BUILT bundles (dist/main, dist/list-accounts) as the
// runner runs them, against the emulator's Resource Directory (ResourceManager 2020-03-31) and STS over loopback.
// A job gets the management account's credentials through OIDC, list-accounts lists the directory, and a second job
// chains from the management role into a listed account's role with `source-identity`; a later step proves the
// member's identity with Alibaba's Node SDK, and the emulator's request log shows the source identity kept along
// the chain. Every step is scanned for leaks.

import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator, RequestRecord } from '../../emulator/types.js';
import { findLeaks, type Job, LOG_MODES, newJob, oidcJobEnv, ROOT, runNode, type StepResult } from './runner.js';

const MANAGEMENT = '1000000000000001';
const ROLE_KEYS = ['folder', 'id', 'name', 'role'];

interface Account {
  id: string;
  name: string;
  folder: string;
  role: string;
}

let em: Emulator;
let provider: string;
let managementRole: string;
let directory: Awaited<ReturnType<Emulator['setupResourceDirectory']>>;

beforeAll(async () => {
  em = await startEmulator();
  provider = (await em.addOidcProvider({ accountId: MANAGEMENT, name: 'github' })).arn;
  managementRole = (await em.addRole({ accountId: MANAGEMENT, name: 'OrgScan', oidc: { providerArn: provider, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  // 230 members: 100 in the root, 80 in prod, 30 in prod/eu, 20 in sandbox, among them four that cannot be scanned
  // (a cloud account still being created, one whose creation failed, a removed one) and one being promoted.
  directory = await em.setupResourceDirectory({
    managementAccountId: MANAGEMENT,
    members: { count: 100, displayNamePrefix: 'root' },
    folders: [
      {
        name: 'prod',
        members: {
          accounts: [
            ...Array.from({ length: 77 }, () => ({})),
            { status: 'CreateVerifying', displayName: 'prod-pending', accessRole: false },
            { status: 'CreateFailed', displayName: 'prod-failed', accessRole: false },
            { status: 'PromoteVerifying', displayName: 'prod-promoting' },
          ],
          displayNamePrefix: 'prod',
        },
        folders: [
          {
            name: 'eu',
            members: { count: 29, displayNamePrefix: 'eu' },
            folders: [{ name: 'deep', members: { accounts: [{ status: 'Removed', displayName: 'deep-removed' }] } }],
          },
        ],
      },
      { name: 'sandbox', members: { count: 20, displayNamePrefix: 'sandbox' } },
    ],
  });
}, 60_000);

afterAll(async () => {
  await em?.close();
});

const endpoints = () => ({ endpoint: `http://${em.stsHost}`, 'sts-endpoint': `http://${em.stsHost}` });

/** Job 1 of the organisation scan: OIDC into the management role, then list-accounts. */
async function listingJob(inputs: Record<string, string> = {}): Promise<{ job: Job; credentials: StepResult; listing: StepResult }> {
  const job = newJob(oidcJobEnv(em));
  const credentials = await job.main({ 'role-to-assume': managementRole, 'oidc-provider-arn': provider, 'sts-endpoint': `http://${em.stsHost}` });
  expect({ code: credentials.code, error: credentials.error }).toEqual({ code: 0, error: undefined });
  const listing = await job.listAccounts({ ...endpoints(), ...inputs });
  return { job, credentials, listing };
}

function accountsOf(result: StepResult): Account[] {
  const accounts = JSON.parse(result.outputs.accounts) as Account[];
  expect(result.outputs.count).toBe(String(accounts.length));
  for (const account of accounts) expect(Object.keys(account).sort()).toEqual(ROLE_KEYS);
  return accounts;
}

async function expectNoLeaks(...results: StepResult[]): Promise<void> {
  const secrets = await em.secrets();
  for (const result of results) expect(findLeaks(result, secrets)).toEqual([]);
}

const targets = (records: RequestRecord[]) => records.map((r) => r.target);

describe('list-accounts with the management account credentials', () => {
  it('keeps its outputs when the job summary cannot be written, and says so in a warning', async () => {
    const job = newJob(oidcJobEnv(em));
    const credentials = await job.main({ 'role-to-assume': managementRole, 'oidc-provider-arn': provider, 'sts-endpoint': `http://${em.stsHost}` });
    expect(credentials.code).toBe(0);
    // A directory where the summary file should be: the runner's file is gone or unwritable.
    const listing = await job.listAccounts(endpoints(), { GITHUB_STEP_SUMMARY: tmpdir() });
    expect({ code: listing.code, error: listing.error }).toEqual({ code: 0, error: undefined });
    expect(accountsOf(listing)).toHaveLength(227);
    expect(listing.stdout).toMatch(/::warning::Could not write the job summary: /);
    await expectNoLeaks(credentials, listing);
  });

  it('lists 230 members in 3 ListAccounts requests, leaves out the management account and those that cannot be scanned', async () => {
    await em.resetRequests();
    const { credentials, listing } = await listingJob();
    expect({ code: listing.code, error: listing.error }).toEqual({ code: 0, error: undefined });
    const requests = await em.requests();
    expect(targets(requests).filter((t) => t === 'ListAccounts')).toHaveLength(3);
    expect(requests.filter((r) => r.target === 'ListAccounts').map((r) => r.params?.PageSize)).toEqual(['100', '100', '100']);
    expect(targets(requests).filter((t) => t === 'GetCallerIdentity')).toHaveLength(1);
    expect(targets(requests).filter((t) => t === 'GetResourceDirectory')).toHaveLength(1);

    const accounts = accountsOf(listing);
    const scannable = directory.accounts.filter((a) => !/pending|failed|removed/.test(a.displayName));
    expect(directory.accounts).toHaveLength(230);
    expect(accounts).toHaveLength(227);
    expect(accounts.map((a) => a.id).sort()).toEqual(scannable.map((a) => a.accountId).sort());
    expect(accounts.map((a) => a.id)).not.toContain(MANAGEMENT);
    for (const account of accounts) {
      const member = directory.accounts.find((a) => a.accountId === account.id);
      expect(account).toEqual({
        id: member?.accountId,
        name: member?.displayName,
        folder: member?.folderId,
        role: `acs:ram::${account.id}:role/ResourceDirectoryAccountAccessRole`,
      });
    }
    // GitHub's limits: at most 256 jobs in a matrix, at most 1 MB of outputs per job (counted in UTF-16).
    const bytes = listing.outputs.accounts.length * 2;
    console.log(`list-accounts: ${accounts.length} accounts in ${listing.outputs.accounts.length} characters (${bytes} bytes as GitHub counts outputs).`);
    expect(bytes).toBeLessThan(1024 * 1024 * 0.15);

    expect(listing.stdout).toMatch(
      /^Left out: the management account 1000000000000001 \(it has no member access role\); 1 in status CreateVerifying; 1 in status CreateFailed; 1 in status Removed\.$/m,
    );
    expect(listing.stdout).toContain(`231 members of ${directory.resourceDirectoryId} listed by acs:ram::${MANAGEMENT}:assumed-role/OrgScan/`);
    expect(listing.summary).toContain(
      '**227 accounts** from the whole Resource Directory, listed by the management account in 5 ResourceManager and STS requests.',
    );
    expect(listing.summary).toContain('Left out: the management account (it has no member access role); 1 in status CreateVerifying;');
    // ListAccounts gives folder IDs only: the column says so.
    expect(listing.summary).toContain('| Folder ID | Accounts |');
    expect(listing.summary).toContain(`| \`${directory.rootFolderId}\` | 100 |`);
    expect(listing.summary).toContain(`| \`${directory.folders.prod}\` | 78 |`);
    // The runner does not mask a summary: the caller's account ID and ARN stay out of it.
    expect(listing.summary).not.toContain(MANAGEMENT);
    await expectNoLeaks(credentials, listing);
  });

  it('lists folders and every folder below them with ListAccountsForParent, and applies exclude-accounts and statuses', async () => {
    const excluded = directory.accounts.filter((a) => a.folderId === directory.folders['prod/eu'])[0].accountId;
    await em.resetRequests();
    const { listing } = await listingJob({ folders: `${directory.folders.prod}\n${directory.folders.sandbox}`, 'exclude-accounts': excluded });
    expect({ code: listing.code, error: listing.error }).toEqual({ code: 0, error: undefined });
    const accounts = accountsOf(listing);
    const inFolders = new Set([directory.folders.prod, directory.folders['prod/eu'], directory.folders['prod/eu/deep'], directory.folders.sandbox]);
    const expected = directory.accounts.filter((a) => inFolders.has(a.folderId) && a.accountId !== excluded && !/pending|failed|removed/.test(a.displayName));
    expect(accounts.map((a) => a.id).sort()).toEqual(expected.map((a) => a.accountId).sort());
    expect(accounts).toHaveLength(78 + 28 + 20);
    const requests = await em.requests();
    expect(targets(requests)).not.toContain('ListAccounts');
    // Each of the four folders once, for its accounts and for its subfolders.
    expect(
      requests
        .filter((r) => r.target === 'ListAccountsForParent')
        .map((r) => r.params?.ParentFolderId)
        .sort(),
    ).toEqual([...inFolders].sort());
    expect(listing.summary).toContain('| Folder ID | Name | Accounts |');
    expect(listing.summary).toContain(`| \`${directory.folders['prod/eu']}\` | \`eu\` | 28 |`);
    expect(listing.summary).toContain(`| \`${directory.folders.prod}\` | - | 78 |`);
    expect(listing.stdout).toMatch(/Left out: 1 named by exclude-accounts; 1 in status CreateVerifying; 1 in status CreateFailed; 1 in status Removed\./);

    const pending = await listingJob({ folders: directory.folders.prod, statuses: 'CreateVerifying, Removed' });
    expect(
      accountsOf(pending.listing)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['deep-removed', 'prod-pending']);
  });

  it('retries a throttled page and still lists every member', async () => {
    await em.queueFault('ListAccounts', { kind: 'throttle' });
    await em.resetRequests();
    const { listing } = await listingJob({ folders: '' });
    expect({ code: listing.code, error: listing.error }).toEqual({ code: 0, error: undefined });
    expect(accountsOf(listing)).toHaveLength(227);
    expect(listing.stdout).toMatch(/^ListAccounts: throttled attempt 1 \(Throttling\.User, RequestId [0-9A-F-]+\); retrying in \d+ ms\.$/m);
    expect(targets(await em.requests()).filter((t) => t === 'ListAccounts')).toHaveLength(4);
  });

  it('a delegated administrator lists the directory too; it and the management account (which has no access role) are left out', async () => {
    const delegated = directory.accounts[5].accountId;
    await em.addDelegatedAdministrator({ accountId: delegated });
    const admin = await em.addUser({ accountId: delegated, name: 'rd-admin' });
    const job = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: admin.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: admin.accessKeySecret });
    const listing = await job.listAccounts(endpoints());
    expect({ code: listing.code, error: listing.error }).toEqual({ code: 0, error: undefined });
    const ids = accountsOf(listing).map((a) => a.id);
    expect(ids).toHaveLength(226);
    expect(ids).not.toContain(MANAGEMENT);
    expect(ids).not.toContain(delegated);
    expect(listing.stdout).toContain(`listed by acs:ram::${delegated}:user/rd-admin, a delegated administrator (the management account is ${MANAGEMENT})`);
    expect(listing.stdout).toMatch(
      new RegExp(
        `^Left out: the management account ${MANAGEMENT} \\(it has no member access role\\); the listing account ${delegated} \\(a delegated administrator: scan it with its own credentials\\); 1 in status`,
        'm',
      ),
    );
    expect(listing.summary).toContain('listed by a delegated administrator');
    expect(listing.summary).toContain('Left out: the management account (it has no member access role); the listing account (a delegated administrator');
    expect(listing.outputs['left-out']).toBe(
      'the management account (it has no member access role); the listing account (a delegated administrator: scan it with its own credentials); 1 in status CreateVerifying; 1 in status CreateFailed; 1 in status Removed',
    );
    for (const id of [MANAGEMENT, delegated]) expect(listing.summary + listing.outputs['left-out']).not.toContain(id);
    await expectNoLeaks(listing);
  });
});

describe('list-accounts prints no secret in either log mode (plain and RUNNER_DEBUG=1, both with DEBUG=*)', () => {
  it.each(LOG_MODES)('$name: a listing, and a refusal that quotes the server', async (mode) => {
    const { credentials, listing } = await listingJob();
    expect(listing.code).toBe(0);
    const job = newJob({ ...credentials.exported, ...mode.env });
    await em.queueFault(
      'ListAccounts',
      { kind: 'error', code: 'InternalError', status: 500, message: `echo ${credentials.exported.ALIBABA_CLOUD_ACCESS_KEY_SECRET}` },
      5,
    );
    const failed = await job.listAccounts({ ...endpoints(), 'retry-max-attempts': '1' }, mode.env);
    await em.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.error).toMatch(/^ListAccounts failed: InternalError: echo \*\*\*/);
    await expectNoLeaks(listing, failed);
  });
});

describe('list-accounts refuses, sets no output, and says what to do', () => {
  it('a member account: names the account and says to use the management account', async () => {
    const member = directory.accounts[0].accountId;
    const user = await em.addUser({ accountId: member, name: 'member-ci' });
    const job = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret });
    const listing = await job.listAccounts(endpoints());
    expect(listing.code).toBe(1);
    expect(listing.outputs).toEqual({});
    expect(listing.error).toMatch(/^ListAccounts failed: EntityNotExists\.ResourceDirectory: /);
    expect(listing.error).toContain(
      `The credentials in the environment are acs:ram::${member}:user/member-ci: account ${member} is a member of Resource Directory ${directory.resourceDirectoryId}, but neither its management account (${MANAGEMENT}) nor one of its delegated administrators.`,
    );
    expect(listing.error).toMatch(/Run configure-alibabacloud-credentials with a role of the management account before this step/);
    await expectNoLeaks(listing);
  });

  it("an account in no directory, and a member refused with another code: the same hint, the caller's identity", async () => {
    const solo = await em.addUser({ accountId: '3000000000000003', name: 'solo-ci' });
    const alone = await newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: solo.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: solo.accessKeySecret }).listAccounts(
      endpoints(),
    );
    expect({ code: alone.code, outputs: alone.outputs }).toEqual({ code: 1, outputs: {} });
    expect(alone.error).toContain(
      'The credentials in the environment are acs:ram::3000000000000003:user/solo-ci: account 3000000000000003 is neither the management account of a Resource Directory nor one of its delegated administrators.',
    );
    // The code ResourceManager documents for a member account refused a management action, should a list action answer it.
    const member = directory.accounts[1].accountId;
    const user = await em.addUser({ accountId: member, name: 'member-ci-2' });
    await em.queueFault('ListAccounts', {
      kind: 'error',
      code: 'MemberAccountAccessDenied',
      status: 403,
      message: 'The member account is not allowed to perform the operation.',
    });
    const refused = await newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret }).listAccounts(
      endpoints(),
    );
    await em.clearFaults();
    expect(refused.code).toBe(1);
    expect(refused.error).toMatch(/^ListAccounts failed: MemberAccountAccessDenied: /);
    expect(refused.error).toContain(
      `The credentials in the environment are acs:ram::${member}:user/member-ci-2: account ${member} is a member of Resource Directory`,
    );
    expect(refused.error).toMatch(/Run configure-alibabacloud-credentials with a role of the management account before this step/);
  });

  it('a role without resourcemanager:GetResourceDirectory: names the permissions to grant', async () => {
    const denied = await em.addUser({ accountId: MANAGEMENT, name: 'no-rd-get', deniedActions: ['resourcemanager:GetResourceDirectory'] });
    const job = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: denied.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: denied.accessKeySecret });
    const listing = await job.listAccounts(endpoints());
    expect({ code: listing.code, outputs: listing.outputs }).toEqual({ code: 1, outputs: {} });
    expect(listing.error).toMatch(/^GetResourceDirectory failed: NoPermission: .*\n.*resourcemanager:GetResourceDirectory, resourcemanager:ListAccounts/s);
  });

  it('a role without resourcemanager:ListAccounts: names the permissions to grant', async () => {
    const denied = await em.addUser({ accountId: MANAGEMENT, name: 'no-rd', deniedActions: ['resourcemanager:ListAccounts'] });
    const job = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: denied.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: denied.accessKeySecret });
    const listing = await job.listAccounts(endpoints());
    expect(listing.code).toBe(1);
    expect(listing.outputs).toEqual({});
    expect(listing.error).toMatch(/^ListAccounts failed: NoPermission: .*\n.*resourcemanager:ListAccounts, resourcemanager:ListAccountsForParent/s);
  });

  it('a folder that is not in the directory: names `folders`', async () => {
    const { listing } = await listingJob({ folders: 'fd-NoSuchFolder1' });
    expect(listing.code).toBe(1);
    expect(listing.outputs).toEqual({});
    expect(listing.error).toMatch(/^ListAccountsForParent failed: EntityNotExists\.Folder: .*\nCheck `folders`/);
  });

  const bad: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
    ['an input it does not have', {}, { INPUT_FOLDER: 'fd-abc' }, /^Input folder: is not an input of this action\.\nDid you mean folders\?$/],
    ['a folder ID of another shape', { folders: 'prod' }, {}, /^Input folders: "prod" is not a folder ID\./],
    ['an account ID that is not one', { 'exclude-accounts': '123,abc' }, {}, /^Input exclude-accounts: "abc" is not an account ID\./],
    [
      'a status with a typo',
      { statuses: 'CreateSucess' },
      {},
      /^Input statuses: "CreateSucess" is not a status of a Resource Directory member\.\nDid you mean CreateSuccess\?/,
    ],
    ['a role name with a path', { 'role-name': 'a/b' }, {}, /^Input role-name: "a\/b" is not a RAM role name\./],
    ['plain http off loopback', { endpoint: 'http://resourcemanager.aliyuncs.com' }, {}, /^Input endpoint: plain http to resourcemanager\.aliyuncs\.com/],
    [
      'no credentials in the environment',
      {},
      { ALIBABA_CLOUD_ACCESS_KEY_ID: '' },
      /^list-accounts found no ALIBABA_CLOUD_ACCESS_KEY_ID .*\nRun configure-alibabacloud-credentials/,
    ],
  ];
  it.each(bad)('before any request: %s', async (_name, inputs, env, error) => {
    const job = newJob({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tValidationKey01', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ValidationSecret0123456789', ...env });
    await em.resetRequests();
    const listing = await job.listAccounts({ ...endpoints(), ...inputs });
    expect({ code: listing.code, outputs: listing.outputs, error: listing.error }).toEqual({ code: 1, outputs: {}, error: expect.stringMatching(error) });
    expect(await em.requests()).toEqual([]);
    expect(findLeaks(listing, ['ValidationSecret0123456789'])).toEqual([]);
    expect(listing.masks).toContain('ValidationSecret0123456789');
  });
});

describe('a matrix job of the organisation scan: OIDC into the management role, then chaining into a listed account', () => {
  it('a later step is the member; the source identity reaches STS and stays along the chain', async () => {
    const { listing } = await listingJob();
    const accounts = accountsOf(listing).slice(0, 3);
    await em.resetRequests();
    const results = await Promise.all(
      accounts.map(async (account) => {
        const job = newJob(oidcJobEnv(em));
        const management = await job.main({ 'role-to-assume': managementRole, 'oidc-provider-arn': provider, 'sts-endpoint': `http://${em.stsHost}` });
        const member = await job.main({
          'role-chaining': 'true',
          'role-to-assume': account.role,
          'role-session-name': `scan-${account.id}`,
          'source-identity': 'octocat',
          'sts-endpoint': `http://${em.stsHost}`,
        });
        const later = await runNode(join(ROOT, '__tests__/e2e/consumer.mjs'), job.laterStepEnv(), [em.stsHost]);
        return { account, management, member, later: JSON.parse(later.stdout) as { ok: boolean; calls: Array<{ accountId: string; arn: string }> } };
      }),
    );
    const requests = await em.requests();
    for (const { account, management, member, later } of results) {
      expect([management.code, member.code]).toEqual([0, 0]);
      expect(member.outputs['account-id']).toBe(account.id);
      expect(member.stdout).toContain(`-> AssumeRole ${account.role} as scan-${account.id} for octocat (STS`);
      expect(later).toMatchObject({
        ok: true,
        calls: [{ accountId: account.id, arn: `acs:ram::${account.id}:assumed-role/ResourceDirectoryAccountAccessRole/scan-${account.id}` }],
      });
      // The chained AssumeRole set it; every request of the member session (the later step's) carries it.
      const assume = requests.find((r) => r.target === 'AssumeRole' && r.params?.RoleArn === account.role);
      expect(assume).toMatchObject({ status: 200, sourceIdentity: 'octocat', params: expect.objectContaining({ SourceIdentity: 'octocat' }) });
      const consumer = requests.filter((r) => r.target === 'GetCallerIdentity' && r.accessKeyId === member.exported.ALIBABA_CLOUD_ACCESS_KEY_ID);
      expect(consumer).toEqual([expect.objectContaining({ status: 200, sourceIdentity: 'octocat' })]);
      await expectNoLeaks(management, member);
    }
    // The OIDC session of the management role has none: AssumeRoleWithOIDC takes no SourceIdentity.
    expect(requests.filter((r) => r.target === 'AssumeRoleWithOIDC').every((r) => r.sourceIdentity === undefined)).toBe(true);
  });

  it('a third role keeps the first source identity, given again or not, and refuses another', async () => {
    const [account] = accountsOf((await listingJob()).listing);
    const next = (await em.addRole({ accountId: account.id, name: 'ReadOnlyScan', trustedAccounts: [account.id] })).arn;
    const job = newJob(oidcJobEnv(em));
    const sts = { 'sts-endpoint': `http://${em.stsHost}` };
    await job.main({ 'role-to-assume': managementRole, 'oidc-provider-arn': provider, ...sts });
    await job.main({ 'role-chaining': 'true', 'role-to-assume': account.role, 'source-identity': 'octocat', ...sts });
    const member = job.laterStepEnv();
    await em.resetRequests();
    const kept = await job.main({ 'role-chaining': 'true', 'role-to-assume': next, ...sts });
    const repeated = await job.main({ 'role-chaining': 'true', 'role-to-assume': next, 'source-identity': 'octocat', ...sts }, pick(member));
    const changed = await job.main({ 'role-chaining': 'true', 'role-to-assume': next, 'source-identity': 'someone-else', ...sts }, pick(member));
    expect([kept.code, repeated.code, changed.code]).toEqual([0, 0, 1]);
    expect(changed.error).toMatch(/^AssumeRole failed: InvalidParameter\.SourceIdentity: .*\n.*a chain of roles keeps the first one/s);
    const assumed = (await em.requests()).filter((r) => r.target === 'AssumeRole');
    expect(assumed.map((r) => [r.status, r.sourceIdentity, r.params?.SourceIdentity])).toEqual([
      [200, 'octocat', undefined],
      [200, 'octocat', 'octocat'],
      // The refused request is logged with the source identity of the session that signed it.
      [400, 'octocat', 'someone-else'],
    ]);
    await expectNoLeaks(kept, repeated, changed);
  });
});

/** The member session's credentials as an earlier step exported them (to chain from it again). */
function pick(env: Record<string, string>): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    ALIBABA_CLOUD_SECURITY_TOKEN: env.ALIBABA_CLOUD_SECURITY_TOKEN,
  };
}
