// @ts-check
// Alibaba Cloud RAM 2015-05-01, the read-only actions Prowler's Alibaba Cloud provider makes: GetAccountAlias
// (AlibabacloudProvider.get_account_alias) and what its RAM service reads for its checks (ListUsers,
// GetPasswordPolicy, ListVirtualMFADevices, ListGroups, ListPolicies, ListAccessKeys, GetLoginProfile,
// ListPoliciesForUser, ListGroupsForUser; GetPolicy and GetPolicyVersion only for custom policies, of which the
// emulator's accounts have none), in prowler-cloud/prowler at tag 5.46.0 (the release the tests run):
// prowler/providers/alibabacloud/alibabacloud_provider.py and prowler/providers/alibabacloud/services/ram/ram_service.py. RPC style on `/` like STS, told apart by its Version;
// Prowler calls it at ram.aliyuncs.com, which the tests route here through a proxy.
//
// The account's RAM users are the emulator's (addUser), each with its AccessKeys; setRamAccount gives an account
// its alias, password policy and the users' console logins (login profiles, with or without MFA). Every
// authenticated principal of an account may read it (no RAM policy is evaluated).
import { createRpcHandler, optionalParameter } from '../core/rpc.js';
import { isoSeconds, requestId } from '../core/util.js';

/** @typedef {import('../core/types.js').Principal} Principal */

export const RAM_VERSION = '2015-05-01';
const USER_NAME = /^[\w.@-]{1,64}$/;

/** RAM's password policy of a new account (the console's defaults), in the API's field names. */
const DEFAULT_PASSWORD_POLICY = {
  MinimumPasswordLength: 8,
  RequireLowercaseCharacters: true,
  RequireUppercaseCharacters: true,
  RequireNumbers: true,
  RequireSymbols: false,
  HardExpiry: false,
  MaxPasswordAge: 0,
  PasswordReusePrevention: 0,
  // Sic: the API's field is spelt so (and Prowler reads max_login_attemps).
  MaxLoginAttemps: 5,
};

/**
 * RAM's answer for a user or login profile that does not exist (HTTP 404). RAM's codes are not STS's: codes.js is
 * the STS table the action's error module mirrors, so this service answers them itself.
 */
class EntityNotExist extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** @type {import('../core/types.js').ServiceFactory} */
export function ram(core) {
  const { state, plumbing } = core;
  const started = isoSeconds(Date.now());
  /** @type {Map<string, { alias: string, passwordPolicy: Record<string, unknown>, loginProfiles: Map<string, { mfaBindRequired: boolean }> }>} */
  const accounts = new Map();
  const accountOf = (/** @type {string} */ accountId) => {
    let account = accounts.get(accountId);
    if (!account) {
      account = { alias: '', passwordPolicy: { ...DEFAULT_PASSWORD_POLICY }, loginProfiles: new Map() };
      accounts.set(accountId, account);
    }
    return account;
  };

  /** The account's RAM users (addUser), by name, with their AccessKeys. @param {string} accountId */
  function usersOf(accountId) {
    /** @type {Map<string, { userId: string, keys: import('../core/types.js').PermanentKey[] }>} */
    const users = new Map();
    for (const key of state.keys.values()) {
      if (key.kind !== 'user' || key.accountId !== accountId) continue;
      const user = users.get(key.name) ?? { userId: key.userId, keys: [] };
      user.keys.push(key);
      users.set(key.name, user);
    }
    return users;
  }

  /** @param {Principal} principal @param {Map<string, string>} p */
  function userOf(principal, p) {
    const name = optionalParameter(p, 'UserName', USER_NAME) ?? '';
    const user = usersOf(principal.accountId).get(name);
    if (!user) throw new EntityNotExist('EntityNotExist.User', `The user does not exist: ${name}.`);
    return { name, user };
  }

  const empty = (/** @type {string} */ plural, /** @type {string} */ singular) => ({ [plural]: { [singular]: [] }, IsTruncated: false });

  const rpc = createRpcHandler(core, {
    product: 'Ram',
    host: 'ram.aliyuncs.com',
    version: RAM_VERSION,
    family: 'ram',
    truncated: () => JSON.stringify({ RequestId: requestId(), Users: { User: [{ UserName: 'truncated', UserId: '0' }] }, IsTruncated: false }),
    actions: {
      GetAccountAlias: { run: (_p, principal) => ({ AccountAlias: accountOf(principal.accountId).alias }) },
      ListUsers: {
        run: (_p, principal) => ({
          Users: {
            User: [...usersOf(principal.accountId)].map(([name, { userId }]) => ({
              UserName: name,
              UserId: userId,
              DisplayName: name,
              CreateDate: started,
              UpdateDate: started,
            })),
          },
          IsTruncated: false,
        }),
      },
      GetPasswordPolicy: { run: (_p, principal) => ({ PasswordPolicy: accountOf(principal.accountId).passwordPolicy }) },
      ListVirtualMFADevices: { run: () => ({ VirtualMFADevices: { VirtualMFADevice: [] } }) },
      ListGroups: { run: () => empty('Groups', 'Group') },
      ListPolicies: { run: () => empty('Policies', 'Policy') },
      ListAccessKeys: {
        run: (p, principal) => {
          // Without UserName: the caller's own keys (Prowler asks so only as the account's root).
          const keys = p.has('UserName')
            ? userOf(principal, p).user.keys
            : [...state.keys.values()].filter((k) => k.accountId === principal.accountId && k.kind === principal.kind && k.name === principal.name);
          return {
            AccessKeys: { AccessKey: keys.map((k) => ({ AccessKeyId: k.accessKeyId, Status: k.active ? 'Active' : 'Inactive', CreateDate: started })) },
          };
        },
      },
      GetLoginProfile: {
        run: (p, principal) => {
          const { name } = userOf(principal, p);
          const profile = accountOf(principal.accountId).loginProfiles.get(name);
          if (!profile) throw new EntityNotExist('EntityNotExist.User.LoginProfile', `The login policy does not exist: ${name}.`);
          return { LoginProfile: { UserName: name, PasswordResetRequired: false, MFABindRequired: profile.mfaBindRequired, CreateDate: started } };
        },
      },
      ListPoliciesForUser: {
        run: (p, principal) => {
          userOf(principal, p);
          return { Policies: { Policy: [] } };
        },
      },
      ListGroupsForUser: {
        run: (p, principal) => {
          userOf(principal, p);
          return { Groups: { Group: [] } };
        },
      },
    },
  });

  return {
    name: 'ram',
    match: (ctx) => ctx.url.pathname === '/' && (ctx.url.searchParams.get('Version') ?? ctx.req.headers['x-acs-version'] ?? formVersion(ctx)) === RAM_VERSION,
    handle(ctx) {
      try {
        rpc(ctx);
      } catch (error) {
        if (!(error instanceof EntityNotExist)) throw error;
        const id = requestId();
        const body = {
          RequestId: id,
          HostId: 'ram.aliyuncs.com',
          Code: error.code,
          Message: error.message,
          Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Ram&requestId=${id}`,
        };
        plumbing.sendJson(ctx, 404, body, { 'x-acs-request-id': id }, error.code);
      }
    },
    faultTargets: ['ram'],
    admin: {
      /** @param {import('../types.js').RamAccountOptions} o */
      async setRamAccount(o) {
        const account = accountOf(String(o.accountId));
        if (o.alias !== undefined) account.alias = o.alias;
        if (o.passwordPolicy) account.passwordPolicy = { ...account.passwordPolicy, ...o.passwordPolicy };
        for (const [name, profile] of Object.entries(o.loginProfiles ?? {}))
          if (profile === null) account.loginProfiles.delete(name);
          else account.loginProfiles.set(name, { mfaBindRequired: profile.mfaBindRequired ?? false });
        return {};
      },
    },
    setup: [['ramAccounts', 'setRamAccount', 'each']],
  };
}

/** Version from a form body (an RPC POST may carry its common parameters there). @param {import('../core/types.js').Ctx} ctx */
function formVersion(ctx) {
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (!ctx.body.length || !(type === '' || type.startsWith('application/x-www-form-urlencoded'))) return undefined;
  return new URLSearchParams(ctx.body.toString('utf8')).get('Version') ?? undefined;
}
