// @ts-check
// The accounts' identities, shared by every service: permanent AccessKeys (RAM users, root), roles, OIDC
// providers, the sessions STS and the credential services issue, the GitHub issuer's signing key, and every
// secret handed out (so tests can scan for leaks). Admin methods that create identities are here too.
import crypto from 'node:crypto';
import { isoSeconds, randomAlnum, randomDigits, requireDigits, requireName } from './util.js';

/** @typedef {import('./types.js').PermanentKey} PermanentKey */
/** @typedef {import('./types.js').Role} Role */
/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').OidcProvider} OidcProvider */
/** @typedef {ReturnType<typeof createState>} State */

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_CLIENT_ID = 'sts.aliyuncs.com';
export const ROLE_ARN = /^acs:ram::(\d+):role\/([^/\s]{1,64})$/i;
export const PROVIDER_ARN = /^acs:ram::(\d+):oidc-provider\/([^/\s]{1,128})$/i;

/** @param {unknown} v */
function actions(v) {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((a) => typeof a === 'string' && /^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a)))
    throw new Error('deniedActions must be a list of RAM actions such as resourcemanager:ListAccounts');
  return v;
}

/** @param {string} accountId @param {string} name */
export const roleArn = (accountId, name) => `acs:ram::${accountId}:role/${name}`;

/** @param {{ timeScale: number }} opts */
export function createState({ timeScale }) {
  /** @type {Map<string, PermanentKey>} */ const keys = new Map();
  /** @type {Map<string, Session>} */ const sessions = new Map();
  /** @type {Map<string, Session>} */ const sessionsByToken = new Map();
  /** @type {Map<string, Role>} lower-cased ARN -> role (RAM compares role names case-insensitively) */ const roles = new Map();
  /** @type {Map<string, OidcProvider>} lower-cased ARN -> provider */ const providers = new Map();
  /** @type {Set<string>} */ const secrets = new Set();

  // The GitHub issuer's key: the token endpoint signs with it, its JWKS publishes it, STS verifies with it.
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto
    .createHash('sha256')
    .update(signingKey.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 32);

  /** @param {Role} role @param {string} sessionName @param {number} durationSeconds @param {string} [sourceIdentity] */
  function issueSession(role, sessionName, durationSeconds, sourceIdentity) {
    const expiresAt = Math.ceil((Date.now() + durationSeconds * timeScale * 1000) / 1000) * 1000;
    /** @type {Session} */
    const s = {
      kind: 'session',
      accessKeyId: `STS.${randomAlnum(25)}`,
      secret: randomAlnum(44),
      // Real tokens are long base64 (with + / =), which tests URL-encoding on the client side.
      token: `CAIS${crypto.randomBytes(400).toString('base64')}`,
      accountId: role.accountId,
      roleName: role.name,
      roleId: role.roleId,
      sessionName,
      expiresAt,
      ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    };
    sessions.set(s.accessKeyId, s);
    sessionsByToken.set(s.token, s);
    secrets.add(s.secret);
    secrets.add(s.token);
    return s;
  }

  /** @param {{accountId: string, name: string}} o @param {Partial<Role>} [defaults] */
  function ensureRole(o, defaults = {}) {
    const arn = roleArn(o.accountId, o.name).toLowerCase();
    let role = roles.get(arn);
    if (!role) {
      role = {
        accountId: o.accountId,
        name: o.name,
        roleId: randomDigits(17),
        maxSessionDuration: 43200,
        trustedAccounts: [o.accountId],
        deniedActions: [],
        ...defaults,
      };
      roles.set(arn, role);
    }
    return role;
  }

  /**
   * @param {'user' | 'root'} kind @param {string} accountId @param {string} name @param {string} userId
   * @param {boolean} canAssumeRole @param {string[]} [deniedActions]
   */
  function addKey(kind, accountId, name, userId, canAssumeRole, deniedActions = []) {
    /** @type {PermanentKey} */
    const k = { kind, accessKeyId: `LTAI${randomAlnum(20)}`, secret: randomAlnum(30), accountId, name, userId, canAssumeRole, active: true, deniedActions };
    keys.set(k.accessKeyId, k);
    secrets.add(k.secret);
    return k;
  }

  /** @type {Pick<import('../types.js').EmulatorAdmin, 'addUser' | 'addRootKey' | 'setKeyActive' | 'addRole' | 'addOidcProvider' | 'secrets'>} */
  const admin = {
    async addUser(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const k = addKey('user', accountId, name, randomDigits(16), o.canAssumeRole ?? true, actions(o.deniedActions));
      return { accessKeyId: k.accessKeyId, accessKeySecret: k.secret, arn: `acs:ram::${accountId}:user/${name}`, userId: k.userId };
    },
    async addRootKey(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const k = addKey('root', accountId, 'root', accountId, false);
      return { accessKeyId: k.accessKeyId, accessKeySecret: k.secret, arn: `acs:ram::${accountId}:root`, userId: accountId };
    },
    async setKeyActive(o) {
      const k = keys.get(o?.accessKeyId);
      if (!k) throw new Error(`unknown permanent AccessKey ${o?.accessKeyId}`);
      k.active = Boolean(o.active);
    },
    async addRole(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const arn = roleArn(accountId, name);
      if (o.oidc && !PROVIDER_ARN.test(o.oidc.providerArn ?? '')) throw new Error('oidc.providerArn must be acs:ram::<digits>:oidc-provider/<name>');
      /** @type {Role} */
      const role = {
        accountId,
        name,
        roleId: roles.get(arn.toLowerCase())?.roleId ?? randomDigits(17),
        maxSessionDuration: o.maxSessionDuration ?? 3600,
        trustedAccounts: (o.trustedAccounts ?? [accountId]).map((a) => requireDigits(a, 'trustedAccounts[]')),
        externalId: o.externalId,
        oidc: o.oidc,
        deniedActions: actions(o.deniedActions),
      };
      roles.set(arn.toLowerCase(), role);
      return { arn, roleId: role.roleId };
    },
    async addOidcProvider(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const arn = `acs:ram::${accountId}:oidc-provider/${name}`;
      providers.set(arn.toLowerCase(), { accountId, name, issuerUrl: o.issuerUrl ?? GITHUB_ISSUER, clientIds: o.clientIds ?? [DEFAULT_CLIENT_ID] });
      return { arn };
    },
    async secrets() {
      return [...secrets];
    },
  };

  /**
   * Whether the principal's RAM policies allow an action: a root key may do anything, a user or a role session
   * what its user or role does not deny (a role's denials are read when the session acts, as RAM evaluates them).
   * @param {import('./types.js').Principal} principal @param {string} action
   */
  function allows(principal, action) {
    if (principal.kind !== 'session') {
      if (principal.kind === 'root') return true;
      return !principal.deniedActions.includes(action) && (action !== 'sts:AssumeRole' || principal.canAssumeRole);
    }
    const role = roles.get(roleArn(principal.accountId, principal.roleName).toLowerCase());
    return !role?.deniedActions.includes(action);
  }

  return {
    timeScale,
    keys,
    sessions,
    sessionsByToken,
    roles,
    providers,
    secrets,
    issuer: { signingKey, kid },
    issueSession,
    ensureRole,
    allows,
    admin,
    /** @type {import('./types.js').SetupStep[]} providers first: roles name them */
    setup: [
      ['oidcProviders', 'addOidcProvider', 'each'],
      ['roles', 'addRole', 'each'],
      ['users', 'addUser', 'each'],
      ['rootKeys', 'addRootKey', 'each'],
    ],
  };
}

/** The credentials of a session, as STS and the credential services write them. @param {Session} s */
export const credentialsOf = (s) => ({
  AccessKeyId: s.accessKeyId,
  AccessKeySecret: s.secret,
  SecurityToken: s.token,
  Expiration: isoSeconds(s.expiresAt),
});
