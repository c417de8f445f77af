// The only module that talks to ResourceManager (2020-03-31, RPC style, resourcemanager.aliyuncs.com): the three list
// actions of the Resource Directory, one page per call, and GetResourceDirectory (which account manages it), signed
// with ACS3-HMAC-SHA256 like STS (acs.ts). All of it goes through the RPC caller shared with STS (rpc.ts) and http.ts,
// so proxies, timeouts, answer size caps and the gateway's codes are those of every other request; this module adds
// ResourceManager's own codes. Answers are checked against the grammar of account IDs, folder IDs and statuses
// before they are used.
//
// Shapes, parameters and codes: Alibaba Cloud's API reference of ResourceManager 2020-03-31 (its API metadata, as
// mirrored by github.com/dew-serverless/acs-metadata, en_us/resourcemanager/2020-03-31/api-docs.json @
// b3c749cc875faf56035035ed91fb8aa173d2abd7): PageSize 1-100 (default 10), PageNumber from 1, TotalCount,
// Accounts.Account[] of {AccountId, DisplayName, FolderId, Type, Status, JoinMethod, …}, Folders.Folder[] of
// {FolderId, FolderName}; only the management account or a delegated administrator may call them (ListAccounts).
// GetResourceDirectory answers ResourceDirectory {ResourceDirectoryId, RootFolderId, MasterAccountId, …} to the
// management account and to any member, ResourceDirectoryNotInUse (404) to an account in no directory.

import { isAccountId } from './arn.js';
import type { Endpoint } from './config.js';
import type { Credentials } from './credentials.js';
import type { ErrorKind } from './errors.js';
import type { Timeouts } from './http.js';
import { callRpc, malformed as malformedAnswer, type RpcProductSettings, signedRequest } from './rpc.js';

export interface ResourceManagerSettings extends Timeouts {
  readonly endpoint: Endpoint;
}

/** One member of the directory, as ListAccounts and ListAccountsForParent give it. */
export interface Member {
  readonly accountId: string;
  readonly displayName: string;
  readonly folderId: string;
  readonly status: string;
}

/** The directory the caller belongs to, as GetResourceDirectory gives it. */
export interface ResourceDirectory {
  readonly resourceDirectoryId: string;
  readonly rootFolderId: string;
  readonly managementAccountId: string;
}

export interface Folder {
  readonly folderId: string;
  readonly name: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
}

export const RESOURCE_MANAGER_HOST = 'resourcemanager.aliyuncs.com';
/** Every ResourceManager action this module calls: the permissions list-accounts needs (docs/SETUP.md, section 9.1). */
export const RESOURCE_MANAGER_ACTIONS = ['GetResourceDirectory', 'ListAccounts', 'ListAccountsForParent', 'ListFoldersForParent'] as const;
type ResourceManagerAction = (typeof RESOURCE_MANAGER_ACTIONS)[number];
/** The most ListAccounts and its kin return in one page. */
export const PAGE_SIZE = 100;
const VERSION = '2020-03-31';
const RESOURCE_MANAGER: RpcProductSettings = { name: 'ResourceManager', endpointInputs: '`endpoint`' };
export const FOLDER_ID = /^(?:r|fd)-[A-Za-z0-9]{1,64}$/;
const TOKEN = /^[A-Za-z0-9._-]{1,64}$/;
const DIRECTORY_ID = /^rd-[A-Za-z0-9]{1,64}$/;

/** GetResourceDirectory: the directory of the caller's account, and its management account. */
export async function getResourceDirectory(settings: ResourceManagerSettings, credentials: Credentials): Promise<ResourceDirectory> {
  const body = await signedCall('GetResourceDirectory', settings, credentials, {});
  const { ResourceDirectoryId, RootFolderId, MasterAccountId } = (body.ResourceDirectory ?? {}) as Record<string, unknown>;
  if (
    typeof ResourceDirectoryId !== 'string' ||
    !DIRECTORY_ID.test(ResourceDirectoryId) ||
    typeof RootFolderId !== 'string' ||
    !FOLDER_ID.test(RootFolderId) ||
    typeof MasterAccountId !== 'string' ||
    !isAccountId(MasterAccountId)
  ) {
    throw malformed('GetResourceDirectory', 'no well-formed ResourceDirectory (ResourceDirectoryId, RootFolderId, MasterAccountId)');
  }
  return { resourceDirectoryId: ResourceDirectoryId, rootFolderId: RootFolderId, managementAccountId: MasterAccountId };
}

/** ListAccounts: a page of every member of the directory. */
export async function listAccounts(settings: ResourceManagerSettings, credentials: Credentials, pageNumber: number): Promise<Page<Member>> {
  const body = await signedCall('ListAccounts', settings, credentials, { PageSize: String(PAGE_SIZE), PageNumber: String(pageNumber) });
  return page('ListAccounts', body, 'Accounts', 'Account', member);
}

/** ListAccountsForParent: a page of the members directly in one folder (not in its subfolders). */
export async function listAccountsForParent(
  settings: ResourceManagerSettings,
  credentials: Credentials,
  folderId: string,
  pageNumber: number,
): Promise<Page<Member>> {
  const query = { ParentFolderId: folderId, PageSize: String(PAGE_SIZE), PageNumber: String(pageNumber) };
  return page('ListAccountsForParent', await signedCall('ListAccountsForParent', settings, credentials, query), 'Accounts', 'Account', member);
}

/** ListFoldersForParent: a page of the folders one level below one folder. */
export async function listFoldersForParent(
  settings: ResourceManagerSettings,
  credentials: Credentials,
  folderId: string,
  pageNumber: number,
): Promise<Page<Folder>> {
  const query = { ParentFolderId: folderId, PageSize: String(PAGE_SIZE), PageNumber: String(pageNumber) };
  return page('ListFoldersForParent', await signedCall('ListFoldersForParent', settings, credentials, query), 'Folders', 'Folder', folder);
}

function member(value: Record<string, unknown>): Member | undefined {
  const { AccountId, DisplayName, FolderId, Status } = value;
  if (typeof AccountId !== 'string' || !isAccountId(AccountId) || typeof FolderId !== 'string' || !FOLDER_ID.test(FolderId)) return undefined;
  if (typeof Status !== 'string' || !TOKEN.test(Status)) return undefined;
  return { accountId: AccountId, displayName: typeof DisplayName === 'string' ? DisplayName : '', folderId: FolderId, status: Status };
}

function folder(value: Record<string, unknown>): Folder | undefined {
  const { FolderId, FolderName } = value;
  if (typeof FolderId !== 'string' || !FOLDER_ID.test(FolderId)) return undefined;
  return { folderId: FolderId, name: typeof FolderName === 'string' ? FolderName : '' };
}

/** `{TotalCount, <list>: {<item>: [...]}}`, every item checked; anything else is a malformed answer. */
function page<T>(action: string, body: Record<string, unknown>, list: string, item: string, parse: (value: Record<string, unknown>) => T | undefined): Page<T> {
  const { TotalCount: totalCount } = body;
  const raw = (body[list] as Record<string, unknown> | undefined)?.[item] ?? [];
  if (typeof totalCount !== 'number' || !Number.isInteger(totalCount) || totalCount < 0 || !Array.isArray(raw)) {
    throw malformed(action, `no TotalCount and ${list}.${item} list`);
  }
  const items = raw.map((value: unknown) => (typeof value === 'object' && value !== null ? parse(value as Record<string, unknown>) : undefined));
  if (items.some((value) => value === undefined)) throw malformed(action, `an entry of ${list}.${item} that is not a well-formed ${item.toLowerCase()}`);
  return { items: items as T[], totalCount };
}

function signedCall(
  action: ResourceManagerAction,
  settings: ResourceManagerSettings,
  credentials: Credentials,
  query: Record<string, string>,
): Promise<Record<string, unknown>> {
  const req = signedRequest({ version: VERSION, action, query }, settings.endpoint, credentials);
  return callRpc(RESOURCE_MANAGER, action, settings, req, ({ code }) => (code ? RESOURCE_MANAGER_ERROR_CODES[code] : undefined));
}

function malformed(action: string, what: string) {
  return malformedAnswer(RESOURCE_MANAGER, action, what);
}

/** What to do when the caller's account may not list the directory. */
export const MANAGEMENT_ACCOUNT_HINT =
  'Only the management account of a Resource Directory (or a delegated administrator) can list its accounts. Run ' +
  'configure-alibabacloud-credentials with a role of the management account before this step (docs/SETUP.md, section 9).';

/**
 * The codes that mean the caller's account may not list the directory: the one ListAccounts, ListAccountsForParent
 * and ListFoldersForParent document (EntityNotExists.ResourceDirectory, 404: "You can use only the management account
 * of a resource directory or a delegated administrator account …", the API reference of ListAccounts,
 * https://www.alibabacloud.com/help/en/resource-management/developer-reference/api-resourcemanager-2020-03-31-listaccounts,
 * and its error codes in the API metadata cited above), GetResourceDirectory's for an account in no directory, and
 * the code the same service documents for a member account refused a management action (MemberAccountAccessDenied,
 * 403, SetMemberDeletionPermission), in case a list action answers it to a member.
 */
export const NOT_AN_ADMINISTRATOR_CODES: readonly string[] = ['EntityNotExists.ResourceDirectory', 'MemberAccountAccessDenied', 'ResourceDirectoryNotInUse'];

/**
 * The kind of each code a ResourceManager action can answer, and what to change. The gateway's codes are classified
 * as for STS (acs.ts); this table gives the ones it names hints that speak of the credentials in the environment.
 */
export const RESOURCE_MANAGER_ERROR_CODES: Readonly<Record<string, { kind: ErrorKind; hint: string }>> = {
  ...Object.fromEntries(NOT_AN_ADMINISTRATOR_CODES.map((code) => [code, { kind: 'permission' as const, hint: MANAGEMENT_ACCOUNT_HINT }])),
  'EntityNotExists.Folder': { kind: 'input', hint: 'Check `folders`: each must be a folder ID of this directory (`fd-…`, or the root `r-…`).' },
  'InvalidParameter.ParentFolderId': { kind: 'input', hint: 'Check `folders`: each must be a folder ID (`fd-…`, or the root `r-…`).' },
  NoPermission: {
    kind: 'permission',
    hint:
      `Grant the role ${RESOURCE_MANAGER_ACTIONS.map((action) => `resourcemanager:${action}`).join(', ')} ` +
      '(or the AliyunResourceDirectoryReadOnlyAccess policy): docs/SETUP.md, section 9.1.',
  },
  'InvalidAccessKeyId.NotFound': { kind: 'credentials', hint: 'The AccessKey ID in the environment is not known: check the step that exported it.' },
  'InvalidAccessKeyId.Inactive': { kind: 'credentials', hint: 'The AccessKey in the environment is disabled.' },
  'InvalidSecurityToken.Expired': {
    kind: 'credentials',
    hint: 'The STS credentials in the environment expired: run configure-alibabacloud-credentials again right before this step.',
  },
  'InvalidSecurityToken.Malformed': { kind: 'credentials', hint: 'ALIBABA_CLOUD_SECURITY_TOKEN is not the token of these credentials.' },
  'InvalidSecurityToken.MismatchWithAccessKey': { kind: 'credentials', hint: 'ALIBABA_CLOUD_SECURITY_TOKEN belongs to other credentials.' },
  SignatureDoesNotMatch: { kind: 'credentials', hint: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET does not match the AccessKey ID in the environment.' },
};
