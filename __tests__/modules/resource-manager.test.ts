// src/resource-manager.ts in-process against the emulator's ResourceManager: the three list actions, page by page,
// signed like STS, and how every kind of failure maps to an ActionError (kind, code, hint), malformed answers included.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { getResourceDirectory, listAccounts, listAccountsForParent, listFoldersForParent, type ResourceManagerSettings } from '../../src/resource-manager.js';
import { ACCOUNT, actionError, closedPort, NO_PROXY_VARIABLES, setEnv } from './helpers.js';

let em: Emulator;
let settings: ResourceManagerSettings;
let management: AccessKey;
let directory: Awaited<ReturnType<Emulator['setupResourceDirectory']>>;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv(NO_PROXY_VARIABLES);
  em = await startEmulator();
  settings = { endpoint: { host: em.stsHost, protocol: 'http' }, connectTimeoutMs: 2000, readTimeoutMs: 2000 };
  management = await em.addUser({ accountId: ACCOUNT, name: 'rd-reader' });
  directory = await em.setupResourceDirectory({
    managementAccountId: ACCOUNT,
    members: { count: 150 },
    folders: [{ name: 'prod', members: { count: 3, displayNamePrefix: 'prod' }, folders: [{ name: 'eu' }, { name: 'us' }] }],
  });
});

afterAll(async () => {
  await em?.close();
  restoreEnv();
});

describe('the list actions', () => {
  it('ListAccounts: pages of 100, TotalCount, every member checked', async () => {
    await em.resetRequests();
    const first = await listAccounts(settings, management, 1);
    const second = await listAccounts(settings, management, 2);
    expect([first.totalCount, first.items.length, second.items.length]).toEqual([154, 100, 54]);
    expect(first.items[0]).toEqual({
      accountId: ACCOUNT,
      displayName: 'management-account',
      folderId: directory.rootFolderId,
      status: 'CreateSuccess',
    });
    expect(second.items.at(-1)).toMatchObject({ displayName: 'prod-003', folderId: directory.folders.prod });
    const records = await em.requests();
    expect(records.map((r) => [r.target, r.status, r.auth, r.params?.PageSize, r.params?.PageNumber])).toEqual([
      ['ListAccounts', 200, 'ACS3-HMAC-SHA256', '100', '1'],
      ['ListAccounts', 200, 'ACS3-HMAC-SHA256', '100', '2'],
    ]);
  });

  it('ListAccountsForParent and ListFoldersForParent: one folder, one level', async () => {
    const members = await listAccountsForParent(settings, management, directory.folders.prod, 1);
    expect(members.items.map((m) => m.displayName)).toEqual(['prod-001', 'prod-002', 'prod-003']);
    const folders = await listFoldersForParent(settings, management, directory.folders.prod, 1);
    expect(folders).toEqual({
      totalCount: 2,
      items: [
        { folderId: directory.folders['prod/eu'], name: 'eu' },
        { folderId: directory.folders['prod/us'], name: 'us' },
      ],
    });
  });
});

describe('GetResourceDirectory', () => {
  it('names the directory and its management account, to a member too; an account in no directory is refused', async () => {
    const expected = { resourceDirectoryId: directory.resourceDirectoryId, rootFolderId: directory.rootFolderId, managementAccountId: ACCOUNT };
    expect(await getResourceDirectory(settings, management)).toEqual(expected);
    const member = await em.addUser({ accountId: directory.accounts[2].accountId, name: 'member-get' });
    expect(await getResourceDirectory(settings, member)).toEqual(expected);
    const solo = await em.addUser({ accountId: '3000000000000003', name: 'solo' });
    const error = await actionError(getResourceDirectory(settings, solo));
    expect(error).toMatchObject({ kind: 'permission', details: { code: 'ResourceDirectoryNotInUse', status: 404 } });
    expect(error.hint).toMatch(/management account/);
  });

  it('an answer without a well-formed MasterAccountId is malformed (server)', async () => {
    await em.queueFault('GetResourceDirectory', {
      kind: 'answer',
      body: { RequestId: 'R', ResourceDirectory: { ResourceDirectoryId: 'rd-a1', RootFolderId: 'r-a1', MasterAccountId: 'acs:ram::1:root' } },
    });
    const error = await actionError(getResourceDirectory(settings, management));
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/^GetResourceDirectory answered with no well-formed ResourceDirectory/);
  });
});

describe('failures', () => {
  it('a member account: permission, with the code and the hint to use the management account', async () => {
    const member = await em.addUser({ accountId: directory.accounts[0].accountId, name: 'member' });
    const error = await actionError(listAccounts(settings, member, 1));
    expect(error).toMatchObject({ kind: 'permission', details: { code: 'EntityNotExists.ResourceDirectory', status: 404 } });
    expect(error.details.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(error.hint).toMatch(/management account/);
  });

  it('an unknown folder is an input error that names `folders`', async () => {
    const error = await actionError(listAccountsForParent(settings, management, 'fd-NoSuchFolder1', 1));
    expect(error).toMatchObject({ kind: 'input', details: { code: 'EntityNotExists.Folder' } });
    expect(error.hint).toContain('`folders`');
  });

  it.each([
    ['flow control', 'throttled', true, { kind: 'throttle' }],
    ['a 503', 'server', true, { kind: 'status', status: 503 }],
    ['an HTML page from a proxy', 'server', true, { kind: 'html502' }],
    ['a cut body', 'server', true, { kind: 'truncated' }],
    ['a wrong signature', 'credentials', false, { kind: 'error', code: 'SignatureDoesNotMatch', status: 400 }],
    ['an expired token', 'credentials', false, { kind: 'error', code: 'InvalidSecurityToken.Expired', status: 400 }],
  ] as const)('%s: %s, retryable %s', async (_name, kind, retryable, fault) => {
    await em.queueFault('ListAccounts', fault);
    const error = await actionError(listAccounts(settings, management, 1));
    expect([error.kind, error.retryable]).toEqual([kind, retryable]);
  });

  it.each([
    ['an account ID that is not one', { AccountId: 'x1', DisplayName: 'a', FolderId: 'fd-a1', Status: 'CreateSuccess' }],
    ['a folder ID that is not one', { AccountId: '1', DisplayName: 'a', FolderId: '../x', Status: 'CreateSuccess' }],
    ['a status that is no token', { AccountId: '1', DisplayName: 'a', FolderId: 'fd-a1', Status: '::error::x' }],
  ])('an answer with %s is malformed (server)', async (_name, account) => {
    await em.queueFault('ListAccounts', { kind: 'answer', body: { RequestId: 'R', TotalCount: 1, Accounts: { Account: [account] } } });
    const error = await actionError(listAccounts(settings, management, 1));
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/^ListAccounts answered with an entry of Accounts\.Account that is not a well-formed account\.$/);
  });

  it('an answer without TotalCount is malformed; a long message is cut', async () => {
    await em.queueFault('ListAccounts', { kind: 'answer', body: { RequestId: 'R', Accounts: { Account: [] } } });
    expect((await actionError(listAccounts(settings, management, 1))).message).toBe('ListAccounts answered with no TotalCount and Accounts.Account list.');
    await em.queueFault('ListAccounts', { kind: 'error', code: 'InternalError', status: 500, message: 'x'.repeat(5000) });
    const error = await actionError(listAccounts(settings, management, 1));
    expect(error.message.length).toBeLessThan(400);
  });

  it('nothing listening: a network error that names the endpoint input', async () => {
    const closed = { ...settings, endpoint: { host: `127.0.0.1:${await closedPort()}`, protocol: 'http' as const } };
    const error = await actionError(listAccounts(closed, management, 1));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^ListAccounts could not reach ResourceManager: ECONNREFUSED/);
    expect(error.hint).toContain('`endpoint`');
  });
});
