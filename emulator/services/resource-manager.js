// @ts-check
// ResourceManager 2020-03-31, the part of the Resource Directory that an organisation-wide scan needs: ListAccounts,
// ListAccountsForParent, ListFoldersForParent and GetResourceDirectory, RPC style on `/`, signed like STS (core/rpc.js). The real service
// is another host (resourcemanager.aliyuncs.com); here a request is ResourceManager's when its Version
// (x-acs-version or the Version parameter) is 2020-03-31, or its Host starts with `resourcemanager.`.
//
// Shapes, parameters and codes follow Alibaba Cloud's API reference of ResourceManager 2020-03-31 (its API metadata,
// as mirrored by dew-serverless/acs-metadata, en_us/resourcemanager/2020-03-31/api-docs.json @ b3c749cc, and the SDK
// models of @alicloud/resourcemanager20200331 2.6): PageSize 1-100 (default 10), PageNumber from 1, TotalCount,
// Accounts.Account[] of {AccountId, DisplayName, FolderId, Type, Status, JoinMethod, JoinTime, ModifyTime,
// ResourceDirectoryId, ResourceDirectoryPath (ListAccounts only)}, Folders.Folder[] of {FolderId, FolderName,
// CreateTime}. Only the management account and delegated administrators may list (the reference of ListAccounts);
// any other caller gets EntityNotExists.ResourceDirectory, the one code those actions document for it.
// GetResourceDirectory answers any account of a directory, management or member, ResourceDirectory {RootFolderId,
// ResourceDirectoryId, CreateTime, MasterAccountId, MasterAccountName, ControlPolicyStatus, MemberDeletionStatus},
// and ResourceDirectoryNotInUse (404) to an account in no directory.
// Not modelled: tags (IncludeTags, Tag), other actions.
import { ApiError, createRpcHandler, noPermission, paramOrHeader } from '../core/rpc.js';
import { roleArn } from '../core/state.js';
import { randomAlnum, randomDigits, requestId, requireDigits } from '../core/util.js';

/** @typedef {import('../core/types.js').Principal} Principal */
/** @typedef {import('../types.js').AddMemberAccountsOptions} AddMemberAccountsOptions */
/** @typedef {import('../types.js').MemberAccount} MemberAccount */
/** @typedef {import('../types.js').ResourceDirectorySetup} ResourceDirectorySetup */
/** @typedef {import('../types.js').FolderSetup} FolderSetup */
/**
 * @typedef {{ id: string, name: string, parentId?: string, createTime: string }} Folder
 * @typedef {{ accountId: string, displayName: string, folderId: string, type: string, status: string, joinMethod: string,
 *   joinTime: string }} Member
 * @typedef {{ id: string, rootFolderId: string, managementAccountId: string, managementAccountName: string, createTime: string,
 *   delegatedAdministrators: Set<string>, folders: Map<string, Folder>, members: Member[], names: Map<string, number> }} Directory
 */

export const RESOURCE_MANAGER_VERSION = '2020-03-31';
export const ACCESS_ROLE = 'ResourceDirectoryAccountAccessRole';
const FOLDER_ID = /^(r|fd)-[A-Za-z0-9]{1,64}$/;
const NO_DIRECTORY = 'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.';

/** @type {import('../core/types.js').ServiceFactory} */
export function resourceManager(core) {
  const { state } = core;
  /** @type {Map<string, Directory>} account ID (management or member) -> its directory */ const byAccount = new Map();
  /** @type {Map<string, Directory>} folder ID -> its directory */ const byFolder = new Map();

  /** The directory the caller may list: it is its management account or one of its delegated administrators. @param {Principal} principal */
  function listableDirectory(principal) {
    const d = byAccount.get(principal.accountId);
    if (!d || (d.managementAccountId !== principal.accountId && !d.delegatedAdministrators.has(principal.accountId)))
      throw new ApiError('EntityNotExists.ResourceDirectory', NO_DIRECTORY);
    return d;
  }

  /** @param {Principal} principal @param {string} action */
  function permit(principal, action) {
    if (!state.allows(principal, action)) throw noPermission(principal, 'AccountLevelIdentityBasedPolicy', action);
  }

  /** An integer parameter with a default and a range. @param {Map<string, string>} p @param {string} name @param {number} fallback @param {number} max */
  function integer(p, name, fallback, max) {
    const raw = p.get(name);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new ApiError(`InvalidParameter.${name}`, `The specified parameter ${name} is not valid.`);
    return n;
  }

  /** @template T @param {T[]} items @param {Map<string, string>} p @param {string} list @param {string} item @param {(t: T) => unknown} shape */
  function page(items, p, list, item, shape) {
    const size = integer(p, 'PageSize', 10, 100);
    const number = integer(p, 'PageNumber', 1, Number.MAX_SAFE_INTEGER);
    const slice = items.slice((number - 1) * size, number * size);
    return { TotalCount: items.length, PageNumber: number, PageSize: size, [list]: { [item]: slice.map(shape) } };
  }

  /** The folder a request names (ParentFolderId; absent: the root). @param {Directory} d @param {Map<string, string>} p */
  function parentFolder(d, p) {
    const id = p.get('ParentFolderId');
    if (id === undefined || id === '') return d.rootFolderId;
    if (!FOLDER_ID.test(id)) throw new ApiError('InvalidParameter.ParentFolderId', 'The ParentFolderId is invalid.');
    if (!d.folders.has(id)) throw new ApiError('EntityNotExists.Folder', 'The resource directory folder does not exist.');
    return id;
  }

  /** Fuzzy match of QueryKeyword, as the reference says: here a case-insensitive substring. @param {Map<string, string>} p @param {string} text */
  const matches = (p, text) => text.toLowerCase().includes((p.get('QueryKeyword') ?? '').toLowerCase());

  /** rd-…/r-…/fd-…/<account>: the member's path from the directory down. @param {Directory} d @param {Member} m */
  function pathOf(d, m) {
    const parts = [m.accountId];
    for (let f = d.folders.get(m.folderId); f; f = f.parentId ? d.folders.get(f.parentId) : undefined) parts.unshift(f.id);
    return [d.id, ...parts].join('/');
  }

  /** @param {Directory} d @param {Member} m @param {boolean} withPath */
  const account = (d, m, withPath) => ({
    AccountId: m.accountId,
    DisplayName: m.displayName,
    FolderId: m.folderId,
    Type: m.type,
    Status: m.status,
    JoinMethod: m.joinMethod,
    JoinTime: m.joinTime,
    ModifyTime: m.joinTime,
    ResourceDirectoryId: d.id,
    ...(withPath ? { ResourceDirectoryPath: pathOf(d, m) } : {}),
  });

  const handle = createRpcHandler(core, {
    product: 'ResourceManager',
    host: 'resourcemanager.aliyuncs.com',
    version: RESOURCE_MANAGER_VERSION,
    family: 'resourcemanager',
    truncated: () => JSON.stringify({ RequestId: requestId(), TotalCount: 1, Accounts: { Account: [{ AccountId: '0', DisplayName: 'truncated' }] } }),
    actions: {
      GetResourceDirectory: {
        run(_p, principal) {
          permit(principal, 'resourcemanager:GetResourceDirectory');
          const d = byAccount.get(principal.accountId);
          if (!d)
            throw new ApiError(
              'ResourceDirectoryNotInUse',
              'The specified account is not an Alibaba Cloud account or a member account of the resource directory.',
            );
          return {
            ResourceDirectory: {
              RootFolderId: d.rootFolderId,
              ResourceDirectoryId: d.id,
              CreateTime: d.createTime,
              MasterAccountId: d.managementAccountId,
              MasterAccountName: d.managementAccountName,
              ControlPolicyStatus: 'Disabled',
              MemberDeletionStatus: 'Disabled',
            },
          };
        },
      },
      ListAccounts: {
        run(p, principal) {
          permit(principal, 'resourcemanager:ListAccounts');
          const d = listableDirectory(principal);
          return page(d.members, p, 'Accounts', 'Account', (m) => account(d, m, true));
        },
      },
      ListAccountsForParent: {
        run(p, principal) {
          permit(principal, 'resourcemanager:ListAccountsForParent');
          const d = listableDirectory(principal);
          const folderId = parentFolder(d, p);
          const members = d.members.filter((m) => m.folderId === folderId && matches(p, m.displayName));
          return page(members, p, 'Accounts', 'Account', (m) => account(d, m, false));
        },
      },
      ListFoldersForParent: {
        run(p, principal) {
          permit(principal, 'resourcemanager:ListFoldersForParent');
          const d = listableDirectory(principal);
          const parentId = parentFolder(d, p);
          // One level only, as the reference says.
          const folders = [...d.folders.values()].filter((f) => f.parentId === parentId && matches(p, f.name));
          return page(folders, p, 'Folders', 'Folder', (f) => ({ FolderId: f.id, FolderName: f.name, CreateTime: f.createTime }));
        },
      },
    },
  });

  // --- admin ---

  /** A 16-digit account ID no account of the emulator has. */
  function newAccountId() {
    for (;;) {
      const id = randomDigits(16);
      if (!byAccount.has(id)) return id;
    }
  }

  /** `<prefix>-001`, `<prefix>-002`, …: display names are unique in a directory. @param {Directory} d @param {string} prefix */
  function nextName(d, prefix) {
    const n = (d.names.get(prefix) ?? 0) + 1;
    d.names.set(prefix, n);
    return `${prefix}-${String(n).padStart(3, '0')}`;
  }

  /** @param {string} folderId */
  function directoryOfFolder(folderId) {
    const d = byFolder.get(folderId);
    if (!d) throw new Error(`no folder ${folderId}: use the rootFolderId of createResourceDirectory or a folderId of addFolder`);
    return d;
  }

  /** @param {Directory} d @param {Member} m */
  function join(d, m) {
    if (byAccount.has(m.accountId)) throw new Error(`account ${m.accountId} is already in a Resource Directory`);
    d.members.push(m);
    byAccount.set(m.accountId, d);
  }

  /** @param {Directory} d @param {string} accountId @param {number} maxSessionDuration */
  function addAccessRole(d, accountId, maxSessionDuration) {
    const arn = roleArn(accountId, ACCESS_ROLE);
    // The role Resource Directory creates in each member it creates: it trusts the management account, whose RAM
    // users and roles may assume it (with sts:AssumeRole in their own policies).
    state.roles.set(arn.toLowerCase(), {
      accountId,
      name: ACCESS_ROLE,
      roleId: randomDigits(17),
      maxSessionDuration,
      trustedAccounts: [d.managementAccountId],
      deniedActions: [],
    });
    return arn;
  }

  const admin = {
    /** @param {{ managementAccountId: string, includeManagementAccount?: boolean, managementDisplayName?: string }} o */
    async createResourceDirectory(o) {
      const managementAccountId = requireDigits(o?.managementAccountId, 'managementAccountId');
      if (byAccount.has(managementAccountId)) throw new Error(`account ${managementAccountId} is already in a Resource Directory`);
      const now = new Date().toISOString();
      /** @type {Directory} */
      const d = {
        id: `rd-${randomAlnum(6)}`,
        rootFolderId: `r-${randomAlnum(6)}`,
        managementAccountId,
        managementAccountName: o.managementDisplayName ?? 'management-account',
        createTime: now,
        delegatedAdministrators: new Set(),
        folders: new Map(),
        members: [],
        names: new Map(),
      };
      d.folders.set(d.rootFolderId, { id: d.rootFolderId, name: 'Root', createTime: now });
      byFolder.set(d.rootFolderId, d);
      byAccount.set(managementAccountId, d);
      // The management account is a member of its own directory, in the root folder.
      if (o.includeManagementAccount ?? true) {
        d.members.push({
          accountId: managementAccountId,
          displayName: d.managementAccountName,
          folderId: d.rootFolderId,
          type: 'CloudAccount',
          status: 'CreateSuccess',
          joinMethod: 'created',
          joinTime: now,
        });
      }
      return { resourceDirectoryId: d.id, rootFolderId: d.rootFolderId };
    },

    /** @param {{ parentFolderId: string, name: string }} o */
    async addFolder(o) {
      const d = directoryOfFolder(o?.parentFolderId);
      if (typeof o.name !== 'string' || !/^[\w.-]{1,24}$/.test(o.name)) throw new Error('name must be 1-24 of A-Za-z0-9_.-');
      const folder = { id: `fd-${randomAlnum(10)}`, name: o.name, parentId: o.parentFolderId, createTime: new Date().toISOString() };
      d.folders.set(folder.id, folder);
      byFolder.set(folder.id, d);
      return { folderId: folder.id };
    },

    /** @param {AddMemberAccountsOptions} o @returns {Promise<{ accounts: MemberAccount[] }>} */
    async addMemberAccounts(o) {
      const d = directoryOfFolder(o?.folderId);
      const count = o.accounts ? o.accounts.length : (o.count ?? 1);
      if (!Number.isInteger(count) || count < 0 || count > 100000) throw new Error('count must be an integer 0-100000');
      const prefix = o.displayNamePrefix ?? 'member';
      /** @type {MemberAccount[]} */
      const out = [];
      const now = new Date().toISOString();
      for (let i = 0; i < count; i++) {
        const spec = o.accounts?.[i] ?? {};
        const accountId = spec.accountId === undefined ? newAccountId() : requireDigits(spec.accountId, 'accounts[].accountId');
        const m = {
          accountId,
          displayName: spec.displayName ?? nextName(d, prefix),
          folderId: o.folderId,
          type: spec.type ?? o.type ?? 'ResourceAccount',
          status: spec.status ?? o.status ?? 'CreateSuccess',
          joinMethod: spec.joinMethod ?? o.joinMethod ?? 'created',
          joinTime: now,
        };
        join(d, m);
        const withRole = spec.accessRole ?? o.accessRole ?? true;
        const role = withRole ? addAccessRole(d, accountId, o.accessRoleMaxSessionDuration ?? 3600) : undefined;
        out.push({ accountId, displayName: m.displayName, folderId: m.folderId, ...(role ? { roleArn: role } : {}) });
      }
      return { accounts: out };
    },

    /** A member account that may list the directory as the management account does. @param {{ accountId: string }} o */
    async addDelegatedAdministrator(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const d = byAccount.get(accountId);
      if (!d || d.managementAccountId === accountId) throw new Error(`account ${accountId} is not a member account of a Resource Directory`);
      d.delegatedAdministrators.add(accountId);
    },

    /**
     * A whole directory in one call (and one key of the setup file): the management account, nested folders by
     * name, members in each, delegated administrators. Folder paths in the answer are names joined with '/'.
     * @param {ResourceDirectorySetup} o
     */
    async setupResourceDirectory(o) {
      const { resourceDirectoryId, rootFolderId } = await admin.createResourceDirectory(o);
      /** @type {Record<string, string>} */ const folders = {};
      /** @type {MemberAccount[]} */ const accounts = [];
      /** @param {string} folderId @param {ResourceDirectorySetup['members']} members */
      const addMembers = async (folderId, members) => {
        if (members) accounts.push(...(await admin.addMemberAccounts({ ...members, folderId })).accounts);
      };
      /** @param {string} parentFolderId @param {string} path @param {FolderSetup[]} list */
      const addFolders = async (parentFolderId, path, list) => {
        for (const f of list) {
          const { folderId } = await admin.addFolder({ parentFolderId, name: f.name });
          const here = path ? `${path}/${f.name}` : f.name;
          folders[here] = folderId;
          await addMembers(folderId, f.members);
          await addFolders(folderId, here, f.folders ?? []);
        }
      };
      await addMembers(rootFolderId, o.members);
      await addFolders(rootFolderId, '', o.folders ?? []);
      for (const accountId of o.delegatedAdministrators ?? []) await admin.addDelegatedAdministrator({ accountId });
      return { resourceDirectoryId, rootFolderId, folders, accounts };
    },
  };

  return {
    name: 'resource-manager',
    match: (ctx) =>
      ctx.url.pathname === '/' &&
      (paramOrHeader(ctx, 'Version', 'x-acs-version') === RESOURCE_MANAGER_VERSION || /^resourcemanager\./i.test(String(ctx.req.headers.host ?? ''))),
    handle,
    faultTargets: ['GetResourceDirectory', 'ListAccounts', 'ListAccountsForParent', 'ListFoldersForParent', 'resourcemanager'],
    admin,
    setup: [['resourceDirectory', 'setupResourceDirectory', 'once']],
  };
}
