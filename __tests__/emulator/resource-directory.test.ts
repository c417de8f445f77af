// The emulator's Resource Directory (ResourceManager 2020-03-31) and STS's SourceIdentity, over real HTTP with
// Alibaba's own SDKs (@alicloud/resourcemanager20200331, @alicloud/sts20150401): paging, folders, refusals, the
// management account's chain into members' access roles, and a source identity kept along that chain.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import RmModule from '@alicloud/resourcemanager20200331';
import StsModule from '@alicloud/sts20150401';
import { connectEmulator } from '../../emulator/client.js';
import { failure, startCliEmulator } from './helpers.js';
import { codes, resourceManagerCodes } from '../../emulator/codes.js';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator, MemberAccount, RequestRecord, ResourceDirectorySetupResult } from '../../emulator/types.js';

const RmClient = RmModule.default;
const StsClient = StsModule.default;

const MANAGEMENT = '1000000000000001';
const STANDALONE = '3000000000000003';
const SCANNER_ROLE = 'org-scanner';

type Keys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };

function config(em: Emulator, keys: Keys, extra: Record<string, unknown> = {}) {
  return new $OpenApiUtil.Config({ ...keys, endpoint: em.stsHost, protocol: 'http', readTimeout: 5000, connectTimeout: 3000, ...extra });
}
/** callApi's runtime options: none (it reads only the ones it is given). */
const NO_RUNTIME = {} as Parameters<InstanceType<typeof RmClient>['callApi']>[2];
const rm = (em: Emulator, keys: Keys, extra: Record<string, unknown> = {}) => new RmClient(config(em, keys, extra));
const sts = (em: Emulator, keys: Keys) => new StsClient(config(em, keys));

/** Every member, page by page, the way a client pages: until it holds TotalCount. */
async function listAll(client: InstanceType<typeof RmClient>) {
  const accounts: { accountId?: string; folderId?: string; displayName?: string }[] = [];
  let total = Number.POSITIVE_INFINITY;
  for (let page = 1; accounts.length < total; page++) {
    const { body } = await client.listAccounts(new RmModule.ListAccountsRequest({ pageSize: 100, pageNumber: page }));
    total = body!.totalCount!;
    accounts.push(...(body!.accounts?.account ?? []));
    if (!body!.accounts?.account?.length) break;
  }
  return { accounts, total };
}

const seen: RequestRecord[] = [];

describe('Resource Directory', () => {
  let em: Emulator;
  let directory: ResourceDirectorySetupResult;
  let admin: AccessKey;
  let scanner: Keys;
  let members: MemberAccount[];

  beforeAll(async () => {
    em = await startEmulator();
    // 230 members: 200 in prod (100 of them in prod/eu), 30 in the root folder; the management account is a member too.
    directory = await em.setupResourceDirectory({
      managementAccountId: MANAGEMENT,
      members: { count: 30, displayNamePrefix: 'sandbox' },
      folders: [
        {
          name: 'prod',
          members: { count: 100, displayNamePrefix: 'prod' },
          folders: [{ name: 'eu', members: { count: 100, displayNamePrefix: 'prod-eu' } }],
        },
        { name: 'empty' },
      ],
    });
    members = directory.accounts;
    admin = await em.addUser({ accountId: MANAGEMENT, name: 'ci' });
    await em.addRole({ accountId: MANAGEMENT, name: SCANNER_ROLE });
    // The management account's role session is what a workflow lists and chains with.
    const { body } = await sts(em, admin).assumeRole(
      new StsModule.AssumeRoleRequest({ roleArn: `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`, roleSessionName: 'list' }),
    );
    scanner = {
      accessKeyId: body!.credentials!.accessKeyId!,
      accessKeySecret: body!.credentials!.accessKeySecret!,
      securityToken: body!.credentials!.securityToken!,
    };
  });
  afterAll(async () => {
    seen.push(...(await em.requests()));
    await em.close();
  });

  it('creates 230 members with their own IDs, folders and access roles trusting the management account', () => {
    expect(members).toHaveLength(230);
    expect(new Set(members.map((m) => m.accountId)).size).toBe(230);
    expect(members.every((m) => /^\d{16}$/.test(m.accountId) && m.accountId !== MANAGEMENT)).toBe(true);
    expect(members[0].roleArn).toBe(`acs:ram::${members[0].accountId}:role/ResourceDirectoryAccountAccessRole`);
    expect(Object.keys(directory.folders).sort()).toEqual(['empty', 'prod', 'prod/eu']);
    expect(directory.rootFolderId).toMatch(/^r-\w+$/);
    expect(directory.folders.prod).toMatch(/^fd-\w+$/);
  });

  it('lists them all in 3 pages of 100, signed with ACS3 by a role session of the management account', async () => {
    const before = (await em.requests()).length;
    const { accounts, total } = await listAll(rm(em, scanner));
    expect(total).toBe(231);
    expect(accounts).toHaveLength(231);
    const ids = new Set(accounts.map((a) => a.accountId));
    for (const m of members) expect(ids.has(m.accountId)).toBe(true);
    // The management account is listed as a member of the root folder.
    expect(accounts.find((a) => a.accountId === MANAGEMENT)).toMatchObject({ folderId: directory.rootFolderId });
    const requests = (await em.requests()).slice(before);
    expect(requests.map((r) => [r.target, r.status, r.auth])).toEqual([
      ['ListAccounts', 200, 'ACS3-HMAC-SHA256'],
      ['ListAccounts', 200, 'ACS3-HMAC-SHA256'],
      ['ListAccounts', 200, 'ACS3-HMAC-SHA256'],
    ]);
    expect(requests.map((r) => r.params?.PageNumber)).toEqual(['1', '2', '3']);
  });

  it("answers the API reference's shape: TotalCount, PageNumber, PageSize, Accounts.Account[] with every field", async () => {
    const { body } = await rm(em, scanner).listAccounts(new RmModule.ListAccountsRequest({ pageSize: 2, pageNumber: 2 }));
    expect(body).toMatchObject({ totalCount: 231, pageNumber: 2, pageSize: 2 });
    // The management account comes first, then the members in the order they joined.
    const [first] = body!.accounts!.account!;
    expect(first.toMap()).toEqual({
      AccountId: members[1].accountId,
      DisplayName: 'sandbox-002',
      FolderId: directory.rootFolderId,
      Type: 'ResourceAccount',
      Status: 'CreateSuccess',
      JoinMethod: 'created',
      JoinTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      ModifyTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      ResourceDirectoryId: directory.resourceDirectoryId,
      ResourceDirectoryPath: `${directory.resourceDirectoryId}/${directory.rootFolderId}/${members[1].accountId}`,
    });
    const { body: eu } = await rm(em, scanner).listAccounts(new RmModule.ListAccountsRequest({ pageSize: 1, pageNumber: 231 }));
    const last = members[229];
    expect(eu!.accounts!.account![0]).toMatchObject({
      accountId: last.accountId,
      displayName: 'prod-eu-100',
      resourceDirectoryPath: `${directory.resourceDirectoryId}/${directory.rootFolderId}/${directory.folders.prod}/${directory.folders['prod/eu']}/${last.accountId}`,
    });
    // Default page size 10; a page past the end is empty.
    const { body: defaults } = await rm(em, scanner).listAccounts(new RmModule.ListAccountsRequest({}));
    expect(defaults).toMatchObject({ pageNumber: 1, pageSize: 10 });
    expect(defaults!.accounts!.account).toHaveLength(10);
    const { body: beyond } = await rm(em, scanner).listAccounts(new RmModule.ListAccountsRequest({ pageSize: 100, pageNumber: 4 }));
    expect(beyond!.accounts!.account).toEqual([]);
  });

  it('walks folders one level at a time and lists the members of one folder', async () => {
    const client = rm(em, scanner);
    const top = await client.listFoldersForParent(new RmModule.ListFoldersForParentRequest({ pageSize: 100 }));
    expect(top.body!.folders!.folder!.map((f) => f.folderName).sort()).toEqual(['empty', 'prod']);
    expect(top.body!.totalCount).toBe(2);
    const below = await client.listFoldersForParent(new RmModule.ListFoldersForParentRequest({ parentFolderId: directory.folders.prod }));
    expect(below.body!.folders!.folder).toEqual([{ folderId: directory.folders['prod/eu'], folderName: 'eu', createTime: expect.any(String) }]);

    const prod = await client.listAccountsForParent(new RmModule.ListAccountsForParentRequest({ parentFolderId: directory.folders.prod, pageSize: 100 }));
    expect(prod.body!.totalCount).toBe(100);
    expect(prod.body!.accounts!.account!.every((a) => a.folderId === directory.folders.prod && a.displayName?.startsWith('prod-'))).toBe(true);
    const eu = await client.listAccountsForParent(
      new RmModule.ListAccountsForParentRequest({ parentFolderId: directory.folders['prod/eu'], pageSize: 10, pageNumber: 10 }),
    );
    expect(eu.body).toMatchObject({ totalCount: 100, pageNumber: 10 });
    expect(eu.body!.accounts!.account).toHaveLength(10);
    const keyword = await client.listAccountsForParent(
      new RmModule.ListAccountsForParentRequest({ parentFolderId: directory.rootFolderId, queryKeyword: 'SANDBOX-03', pageSize: 100 }),
    );
    expect(keyword.body!.accounts!.account!.map((a) => a.displayName)).toEqual(['sandbox-030']);
  });

  it('refuses bad paging and folder parameters with 400 and 404 codes of the API reference', async () => {
    const client = rm(em, scanner);
    for (const [request, code, status] of [
      [new RmModule.ListAccountsRequest({ pageSize: 0 }), 'InvalidParameter.PageSize', 400],
      [new RmModule.ListAccountsRequest({ pageSize: 101 }), 'InvalidParameter.PageSize', 400],
      [new RmModule.ListAccountsRequest({ pageNumber: 0 }), 'InvalidParameter.PageNumber', 400],
    ] as const) {
      const error = await failure(client.listAccounts(request));
      expect({ code: error.code, status: error.statusCode }).toEqual({ code, status });
    }
    const malformed = await failure(client.listAccountsForParent(new RmModule.ListAccountsForParentRequest({ parentFolderId: 'folder-1' })));
    expect({ code: malformed.code, status: malformed.statusCode }).toEqual({ code: 'InvalidParameter.ParentFolderId', status: 400 });
    const unknown = await failure(client.listFoldersForParent(new RmModule.ListFoldersForParentRequest({ parentFolderId: 'fd-NoSuchFolder' })));
    expect({ code: unknown.code, status: unknown.statusCode }).toEqual({ code: 'EntityNotExists.Folder', status: 404 });
    expect(unknown.data.HostId).toBe('resourcemanager.aliyuncs.com');
  });

  it('refuses a member account, an account without a directory, and a caller whose policies deny the action', async () => {
    const member = await em.addUser({ accountId: members[5].accountId, name: 'member-ci' });
    const standalone = await em.addUser({ accountId: STANDALONE, name: 'solo' });
    for (const keys of [member, standalone]) {
      const error = await failure(rm(em, keys).listAccounts(new RmModule.ListAccountsRequest({})));
      expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'EntityNotExists.ResourceDirectory', status: 404 });
      expect(error.data.Message).toMatch(/resource directory for the account is not enabled/);
    }
    const denied = await em.addUser({ accountId: MANAGEMENT, name: 'no-rd-read', deniedActions: ['resourcemanager:ListAccounts'] });
    const error = await failure(rm(em, denied).listAccounts(new RmModule.ListAccountsRequest({})));
    expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'NoPermission', status: 403 });
    expect(error.data.AccessDeniedDetail).toMatchObject({ AuthAction: 'resourcemanager:ListAccounts', NoPermissionType: 'ImplicitDeny' });
    // The same user may still read the folders: only the denied action is refused.
    await rm(em, denied).listFoldersForParent(new RmModule.ListFoldersForParentRequest({}));
  });

  it('GetResourceDirectory: the directory and its management account, to the management account and to any member', async () => {
    const member = await em.addUser({ accountId: members[7].accountId, name: 'member-reader' });
    for (const keys of [scanner, member]) {
      const { body } = await rm(em, keys).getResourceDirectory();
      expect(body!.resourceDirectory!.toMap()).toEqual({
        RootFolderId: directory.rootFolderId,
        ResourceDirectoryId: directory.resourceDirectoryId,
        CreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        MasterAccountId: MANAGEMENT,
        MasterAccountName: 'management-account',
        ControlPolicyStatus: 'Disabled',
        MemberDeletionStatus: 'Disabled',
      });
    }
    const standalone = await em.addUser({ accountId: STANDALONE, name: 'solo-reader' });
    const error = await failure(rm(em, standalone).getResourceDirectory());
    expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'ResourceDirectoryNotInUse', status: 404 });
    const denied = await em.addUser({ accountId: MANAGEMENT, name: 'no-rd-get', deniedActions: ['resourcemanager:GetResourceDirectory'] });
    const refused = await failure(rm(em, denied).getResourceDirectory());
    expect({ code: refused.code, status: refused.statusCode }).toEqual({ code: 'NoPermission', status: 403 });
  });

  it('lets a delegated administrator list, as the management account does', async () => {
    const { accounts } = await em.addMemberAccounts({
      folderId: directory.folders.empty,
      accounts: [{ accountId: '2000000000000002', displayName: 'security' }],
    });
    await em.addDelegatedAdministrator({ accountId: accounts[0].accountId });
    const security = await em.addUser({ accountId: accounts[0].accountId, name: 'auditor' });
    const { body } = await rm(em, security).listAccounts(new RmModule.ListAccountsRequest({ pageSize: 1 }));
    expect(body!.totalCount).toBe(232);
  });

  it('verifies the HMAC-SHA1 signature too (signatureAlgorithm v2)', async () => {
    const before = (await em.requests()).length;
    const { body } = await rm(em, scanner, { signatureAlgorithm: 'v2' }).listFoldersForParent(new RmModule.ListFoldersForParentRequest({}));
    expect(body!.totalCount).toBe(2);
    const [record] = (await em.requests()).slice(before);
    expect(record).toMatchObject({ target: 'ListFoldersForParent', status: 200, auth: 'HMAC-SHA1' });
    const wrong = await failure(rm(em, { ...admin, accessKeySecret: 'WrongSecretWrongSecretWrong12' }).listAccounts(new RmModule.ListAccountsRequest({})));
    expect(wrong.code).toBe('SignatureDoesNotMatch');
  });

  it('throttles under flow control, counting ResourceManager apart from STS', async () => {
    await em.setFlowControl({ perSecond: 2 });
    try {
      const client = rm(em, scanner);
      await client.listAccounts(new RmModule.ListAccountsRequest({}));
      await client.listAccounts(new RmModule.ListAccountsRequest({}));
      const error = await failure(client.listAccounts(new RmModule.ListAccountsRequest({})));
      expect(error.name).toBe('ThrottlingError');
      expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'Throttling.User', status: 400 });
      // STS has its own budget for the same account.
      await sts(em, scanner).getCallerIdentity();
    } finally {
      await em.setFlowControl(null);
    }
  });

  it('applies queued faults to an action or to every ResourceManager action', async () => {
    await em.queueFault('ListAccounts', { kind: 'throttle' });
    await em.queueFault('resourcemanager', { kind: 'status', status: 503 });
    const client = rm(em, scanner);
    expect((await failure(client.listAccounts(new RmModule.ListAccountsRequest({})))).code).toBe('Throttling.User');
    const unavailable = await failure(client.listFoldersForParent(new RmModule.ListFoldersForParentRequest({})));
    expect({ code: unavailable.code, status: unavailable.statusCode }).toEqual({ code: 'ServiceUnavailable', status: 503 });
    await client.listFoldersForParent(new RmModule.ListFoldersForParentRequest({}));
  });

  it('tells STS from ResourceManager by Version: the other product answers InvalidAction.NotFound', async () => {
    // An RPC action signed for a product's version, through the SDK's generic callApi (the clients have no method
    // for the other product's action).
    const call = (client: Pick<InstanceType<typeof RmClient>, 'callApi'>, action: string, version: string) =>
      failure(
        client.callApi(
          new $OpenApiUtil.Params({
            action,
            version,
            protocol: 'HTTP',
            pathname: '/',
            method: 'POST',
            authType: 'AK',
            style: 'RPC',
            reqBodyType: 'formData',
            bodyType: 'json',
          }),
          new $OpenApiUtil.OpenApiRequest({}),
          NO_RUNTIME,
        ),
      );
    // GetCallerIdentity signed for ResourceManager's version reaches ResourceManager, which has no such action.
    const asRm = await call(rm(em, scanner), 'GetCallerIdentity', '2020-03-31');
    expect({ code: asRm.code, host: asRm.data.HostId }).toEqual({ code: 'InvalidAction.NotFound', host: 'resourcemanager.aliyuncs.com' });
    const asSts = await call(sts(em, scanner), 'ListAccounts', '2015-04-01');
    expect({ code: asSts.code, host: asSts.data.HostId }).toEqual({ code: 'InvalidAction.NotFound', host: 'sts.aliyuncs.com' });
  });

  describe('chaining into the members', () => {
    const assume = (keys: Keys, roleArn: string, extra: Record<string, unknown> = {}) =>
      sts(em, keys).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'scan', ...extra }));
    const keysOf = (body: any): Keys => ({
      accessKeyId: body.credentials.accessKeyId,
      accessKeySecret: body.credentials.accessKeySecret,
      securityToken: body.credentials.securityToken,
    });

    it("gives the management account's role session each listed member's identity", async () => {
      const { accounts } = await listAll(rm(em, scanner));
      const listed = accounts.filter((a) => a.accountId !== MANAGEMENT).slice(0, 3);
      for (const a of listed) {
        const roleArn = `acs:ram::${a.accountId}:role/ResourceDirectoryAccountAccessRole`;
        const { body } = await assume(scanner, roleArn);
        expect(body!.assumedRoleUser!.arn).toBe(`${roleArn}/scan`);
        const who = await sts(em, keysOf(body)).getCallerIdentity();
        expect(who.body).toMatchObject({
          accountId: a.accountId,
          arn: `acs:ram::${a.accountId}:assumed-role/ResourceDirectoryAccountAccessRole/scan`,
          identityType: 'AssumedRoleUser',
        });
      }
    });

    it("refuses a member's session into another member's access role: the role trusts the management account only", async () => {
      const [a, b] = members;
      const { body } = await assume(scanner, a.roleArn!);
      const error = await failure(assume(keysOf(body), b.roleArn!));
      expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'NoPermission', status: 403 });
      expect(error.data.AccessDeniedDetail.PolicyType).toBe('AssumeRolePolicy');
    });

    it('keeps a SourceIdentity along the chain, answers it, and records it on every request of the chain', async () => {
      const before = (await em.requests()).length;
      const first = await assume(admin, `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`, { sourceIdentity: 'octocat' });
      expect(first.body!.sourceIdentity).toBe('octocat');
      // The next hop does not repeat it (or repeats the same value): the member session keeps it.
      const second = await assume(keysOf(first.body), members[7].roleArn!);
      expect(second.body!.sourceIdentity).toBe('octocat');
      const third = await assume(keysOf(first.body), members[8].roleArn!, { sourceIdentity: 'octocat' });
      expect(third.body!.sourceIdentity).toBe('octocat');
      // GetCallerIdentity does not show it (the API reference's answer has no such field), the request log does.
      const who = await sts(em, keysOf(second.body)).getCallerIdentity();
      expect(who.body!.accountId).toBe(members[7].accountId);
      expect(JSON.stringify(who.body)).not.toContain('octocat');
      const log = (await em.requests()).slice(before);
      expect(log.map((r) => [r.target, r.status, r.params?.SourceIdentity, r.sourceIdentity])).toEqual([
        ['AssumeRole', 200, 'octocat', 'octocat'],
        ['AssumeRole', 200, undefined, 'octocat'],
        ['AssumeRole', 200, 'octocat', 'octocat'],
        ['GetCallerIdentity', 200, undefined, 'octocat'],
      ]);
      // Without one, a session carries none and the answer has no SourceIdentity.
      const plain = await assume(admin, `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`);
      expect(plain.body!.sourceIdentity).toBeUndefined();
    });

    it('refuses a different SourceIdentity along a chain, and a malformed one', async () => {
      const first = await assume(admin, `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`, { sourceIdentity: 'octocat' });
      const changed = await failure(assume(keysOf(first.body), members[9].roleArn!, { sourceIdentity: 'mallory' }));
      expect({ code: changed.code, status: changed.statusCode }).toEqual({ code: 'InvalidParameter.SourceIdentity', status: 400 });
      for (const bad of ['a', 'has space', 'acs:octocat', 'x'.repeat(65)]) {
        const error = await failure(assume(admin, `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`, { sourceIdentity: bad }));
        expect(error.code).toBe('InvalidParameter.SourceIdentity');
      }
      // Every character the rule allows.
      const ok = await assume(admin, `acs:ram::${MANAGEMENT}:role/${SCANNER_ROLE}`, { sourceIdentity: 'a_Z0+=,.@-' });
      expect(ok.body!.sourceIdentity).toBe('a_Z0+=,.@-');
    });

    it("refuses the chain when the scanner role's policies deny sts:AssumeRole", async () => {
      await em.addRole({ accountId: MANAGEMENT, name: 'list-only', deniedActions: ['sts:AssumeRole'] });
      const { body } = await assume(admin, `acs:ram::${MANAGEMENT}:role/list-only`);
      const error = await failure(assume(keysOf(body), members[10].roleArn!));
      expect({ code: error.code, status: error.statusCode }).toEqual({ code: 'NoPermission', status: 403 });
      expect(error.data.AccessDeniedDetail.PolicyType).toBe('AccountLevelIdentityBasedPolicy');
    });
  });
});

describe('the setup file and another process', () => {
  it('cli.js --setup creates the directory, and client.js has the directory methods without a change', async () => {
    const { child, started } = await startCliEmulator({
      users: [{ accountId: MANAGEMENT, name: 'ci' }],
      resourceDirectory: { managementAccountId: MANAGEMENT, folders: [{ name: 'prod', members: { count: 3 }, folders: [{ name: 'eu' }] }] },
    });
    try {
      const created = started.created.resourceDirectory as ResourceDirectorySetupResult;
      expect(Object.keys(created.folders)).toEqual(['prod', 'prod/eu']);
      expect(created.accounts).toHaveLength(3);
      const remote = await connectEmulator(started.url);
      const more = await remote.addMemberAccounts({ folderId: created.folders['prod/eu'], count: 2 });
      expect(more.accounts).toHaveLength(2);
      const [user] = started.created.users as AccessKey[];
      const { body } = await new RmClient(new $OpenApiUtil.Config({ ...user, endpoint: started.stsHost, protocol: 'http' })).listAccountsForParent(
        new RmModule.ListAccountsForParentRequest({ parentFolderId: created.folders['prod/eu'] }),
      );
      expect(body!.totalCount).toBe(2);
      await remote.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('codes.js', () => {
  it('lists every ResourceManager code the suite saw, with its status', () => {
    const listed = new Map([...codes, ...resourceManagerCodes].map((c) => [c.code, c.status]));
    expect(listed.size).toBe(codes.length + resourceManagerCodes.length);
    const answered = seen.filter((r) => r.code && r.status >= 400 && r.fault === undefined);
    for (const r of answered) expect({ code: r.code, status: listed.get(r.code!) }).toEqual({ code: r.code, status: r.status });
    const rmTargets = ['ListAccounts', 'ListAccountsForParent', 'ListFoldersForParent', 'GetResourceDirectory'];
    const rmSeen = new Set(answered.filter((r) => rmTargets.includes(r.target)).map((r) => r.code));
    // A code the emulator answers only as a queued fault is listed for its status, never answered on its own.
    for (const { code } of resourceManagerCodes.filter((c) => c.source !== 'fault')) expect(rmSeen.has(code)).toBe(true);
  });
});
