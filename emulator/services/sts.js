// @ts-check
// Alibaba Cloud STS 2015-04-01: AssumeRole, AssumeRoleWithOIDC, GetCallerIdentity on `/`, RPC style.
// The protocol (signatures, gateway checks, error body, faults, flow control) is core/rpc.js; this file is the
// three actions and their parameter, trust and OIDC token rules.
import crypto from 'node:crypto';
import { ApiError, createRpcHandler, noPermission, optionalParameter, requiredParameter } from '../core/rpc.js';
import { credentialsOf, PROVIDER_ARN, ROLE_ARN, roleArn } from '../core/state.js';
import { globToRegExp, isoSeconds, requestId } from '../core/util.js';

/** @typedef {import('../core/types.js').Principal} Principal */
/** @typedef {import('../core/types.js').Role} Role */
/** @typedef {import('../core/types.js').Session} Session */

export const STS_VERSION = '2015-04-01';
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
// 2-64 characters of [\w+=,.@-], the rule of Alibaba Cloud's API reference for AssumeRole (zh_cn API metadata of
// STS 2015-04-01, as mirrored by dew-serverless/acs-metadata, zh_cn/sts/2015-04-01/api-docs.json @ b3c749cc). Its
// reserved prefixes acs:, aliyun: and alibabacloud: cannot occur: the rule has no colon.
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

/** @param {string} policy */
function policyGrammarOk(policy) {
  /** @param {unknown} v */
  const strings = (v) => typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
  let p;
  try {
    p = JSON.parse(policy);
  } catch {
    return false;
  }
  if (!p || typeof p !== 'object' || Array.isArray(p) || p.Version !== '1') return false;
  if (!Array.isArray(p.Statement) || p.Statement.length === 0) return false;
  return p.Statement.every(
    (/** @type {any} */ st) =>
      st &&
      typeof st === 'object' &&
      !Array.isArray(st) &&
      typeof st.Effect === 'string' &&
      /^(allow|deny)$/i.test(st.Effect) &&
      strings(st.Action ?? st.NotAction) &&
      strings(st.Resource ?? st.NotResource),
  );
}

/** @param {Map<string, string>} p the requested duration, or undefined for the default */
function durationOf(p) {
  const raw = p.get('DurationSeconds');
  if (raw === undefined || raw === '') return undefined;
  const d = Number(raw);
  if (!/^\d+$/.test(raw) || d < 900) throw new ApiError('InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
  return d;
}
/** @param {Role} role @param {number | undefined} requested */
function checkDurationForRole(role, requested) {
  const d = requested ?? Math.min(3600, role.maxSessionDuration);
  if (d > role.maxSessionDuration) {
    const max = role.maxSessionDuration;
    throw new ApiError(
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is 15min/${max % 3600 === 0 ? `${max / 3600}hr` : `${max}s`}.`,
    );
  }
  return d;
}
/** @param {Map<string, string>} p */
function checkPolicy(p) {
  const policy = p.get('Policy');
  if (policy === undefined) return;
  if (Buffer.byteLength(policy) > 2048) throw new ApiError('InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.');
  if (!policyGrammarOk(policy)) throw new ApiError('InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.');
}

/** @param {Session} s */
const assumedRoleUser = (s) => ({
  Arn: `${roleArn(s.accountId, s.roleName)}/${s.sessionName}`,
  AssumedRoleId: `${s.roleId}:${s.sessionName}`,
});

/** @param {Principal} principal */
function getCallerIdentity(principal) {
  if (principal.kind === 'session') {
    return {
      AccountId: principal.accountId,
      Arn: `acs:ram::${principal.accountId}:assumed-role/${principal.roleName}/${principal.sessionName}`,
      IdentityType: 'AssumedRoleUser',
      PrincipalId: `${principal.roleId}:${principal.sessionName}`,
      RoleId: principal.roleId,
    };
  }
  if (principal.kind === 'root') {
    return {
      AccountId: principal.accountId,
      Arn: `acs:ram::${principal.accountId}:root`,
      IdentityType: 'Account',
      PrincipalId: principal.accountId,
      UserId: principal.accountId,
    };
  }
  return {
    AccountId: principal.accountId,
    Arn: `acs:ram::${principal.accountId}:user/${principal.name}`,
    IdentityType: 'RAMUser',
    PrincipalId: principal.userId,
    UserId: principal.userId,
  };
}

/** @type {import('../core/types.js').ServiceFactory} */
export function sts(core) {
  const { state } = core;

  /** @param {string} arn */
  function findRole(arn) {
    const role = state.roles.get(arn.toLowerCase());
    if (!role) throw new ApiError('EntityNotExist.Role', `The specified Role not exists: ${arn}.`);
    return role;
  }

  /** @param {Map<string, string>} p @param {Principal} principal @param {import('../core/types.js').Ctx} ctx */
  function assumeRole(p, principal, ctx) {
    const arn = requiredParameter(p, 'RoleArn', ROLE_ARN);
    const name = requiredParameter(p, 'RoleSessionName', SESSION_NAME);
    const requested = durationOf(p);
    checkPolicy(p);
    const externalId = optionalParameter(p, 'ExternalId', EXTERNAL_ID);
    const sourceIdentity = sourceIdentityOf(p, principal);
    const role = findRole(arn);
    const duration = checkDurationForRole(role, requested);
    if (principal.kind === 'root') throw new ApiError('NoPermission', 'Roles may not be assumed by root accounts.');
    if (!state.allows(principal, 'sts:AssumeRole')) throw noPermission(principal, 'AccountLevelIdentityBasedPolicy', 'sts:AssumeRole');
    if (!role.trustedAccounts.includes(principal.accountId)) throw noPermission(principal, 'AssumeRolePolicy', 'sts:AssumeRole');
    if (role.externalId !== undefined && externalId !== role.externalId) throw noPermission(principal, 'AssumeRolePolicy', 'sts:AssumeRole');
    const s = state.issueSession(role, name, duration, sourceIdentity);
    ctx.record.sourceIdentity = s.sourceIdentity;
    // The answer names the source identity only when the session has one (the API reference of AssumeRole).
    return { AssumedRoleUser: assumedRoleUser(s), Credentials: credentialsOf(s), ...(s.sourceIdentity ? { SourceIdentity: s.sourceIdentity } : {}) };
  }

  /**
   * The source identity of the new session: the caller session's, which a role chain keeps and cannot change, else
   * the one the request sets. Alibaba Cloud documents that the value persists along the chain and cannot be changed
   * (RAM user guide, "Use SourceIdentity for role assumption traceability and access control",
   * https://www.alibabacloud.com/help/en/ram/user-guide/session-tagging-and-fine-grained-access-control-for-assumed-roles-using-sourceidentity),
   * not which code refuses a different value: the emulator answers InvalidParameter.SourceIdentity, like a malformed one.
   * @param {Map<string, string>} p @param {Principal} principal
   */
  function sourceIdentityOf(p, principal) {
    const requested = optionalParameter(p, 'SourceIdentity', SOURCE_IDENTITY);
    const inherited = principal.kind === 'session' ? principal.sourceIdentity : undefined;
    if (inherited !== undefined && requested !== undefined && requested !== inherited)
      throw new ApiError('InvalidParameter.SourceIdentity', 'The SourceIdentity of the role session cannot be changed.');
    return inherited ?? requested;
  }

  /** The token's header and claims, or AuthenticationFail.OIDCToken.Invalid. @param {string} token */
  function decodeToken(token) {
    if (token === '') throw new ApiError('AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.');
    const parts = token.split('.');
    if (parts.length !== 3) throw new ApiError('AuthenticationFail.OIDCToken.Invalid', "The number of Jwt field should be divided into 3 parts with '.' .");
    /** @type {any} */ let header;
    /** @type {any} */ let claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw new ApiError('AuthenticationFail.OIDCToken.Invalid', 'Cannot decode base64 encoded response(format invalided).');
    }
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object')
      throw new ApiError('AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
    if (header.alg !== 'RS256')
      throw new ApiError('AuthenticationFail.OIDCToken.Invalid', `The algorithm ${header.alg} that be specified in Jwt header is unknown.`);
    if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || claims.aud === undefined || typeof claims.exp !== 'number') {
      throw new ApiError('AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
    }
    return { parts, header, claims };
  }

  /** @param {Map<string, string>} p */
  function assumeRoleWithOidc(p) {
    const arn = requiredParameter(p, 'RoleArn', ROLE_ARN);
    const providerArn = requiredParameter(p, 'OIDCProviderArn', PROVIDER_ARN);
    const name = requiredParameter(p, 'RoleSessionName', SESSION_NAME);
    const requested = durationOf(p);
    checkPolicy(p);
    const { parts, header, claims } = decodeToken(p.get('OIDCToken') ?? '');
    const provider = state.providers.get(providerArn.toLowerCase());
    // An ARN that names no provider: 401 AuthenticationFail.NoPermission with this message, the code of a role that
    // does not trust the provider (below) with another. Alibaba Cloud's STS error codes list both rows
    // (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes), and the ACK RRSA guide quotes
    // this answer for a cluster whose provider was never created
    // (https://help.aliyun.com/zh/ack/ack-managed-and-ack-dedicated/user-guide/use-rrsa-to-authorize-pods-to-access-different-cloud-services).
    // EntityNotExist.OIDCProvider is RAM's GetOIDCProvider answer, not STS's.
    if (!provider) throw new ApiError('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
    if (claims.iss !== provider.issuerUrl)
      throw new ApiError('AuthenticationFail.OIDCToken.IssuerNotMatch', "The issuer in the OIDC Token doesn't match the OIDC Provider registered.");
    const { kid, signingKey } = state.issuer;
    const sigOk =
      header.kid === kid && crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), signingKey.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!sigOk) throw new ApiError('AuthenticationFail.OIDCToken.InvalidSignature', 'OIDC token validate failed: invalid signature.');
    if (Date.now() / 1000 >= claims.exp) throw new ApiError('AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.');
    /** @type {string[]} */
    const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
    if (!auds.some((a) => provider.clientIds.includes(a))) throw new ApiError('AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.');
    const role = findRole(arn);
    const duration = checkDurationForRole(role, requested);
    if (!role.oidc || role.oidc.providerArn.toLowerCase() !== providerArn.toLowerCase()) {
      throw new ApiError('AuthenticationFail.NoPermission', 'There is no permission');
    }
    const trust = role.oidc;
    const subOk = !trust.sub || trust.sub.some((pat) => globToRegExp(pat).test(claims.sub));
    const audOk = !trust.aud || auds.some((a) => trust.aud?.includes(a));
    const issOk = !trust.iss || trust.iss === claims.iss;
    if (!subOk || !audOk || !issOk) {
      throw new ApiError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', {
        AccessDeniedDetail: {
          PolicyType: 'AssumeRolePolicy',
          AuthPrincipalOwnerId: provider.accountId,
          AuthPrincipalType: 'OIDCProvider',
          AuthPrincipalDisplayName: provider.name,
          NoPermissionType: 'ImplicitDeny',
          AuthAction: 'sts:AssumeRole',
        },
      });
    }
    const s = state.issueSession(role, name, duration);
    return {
      OIDCTokenInfo: {
        Subject: claims.sub,
        Issuer: claims.iss,
        ClientIds: auds.join(','),
        ExpirationTime: isoSeconds(claims.exp * 1000),
        IssuanceTime: isoSeconds((typeof claims.iat === 'number' ? claims.iat : claims.exp) * 1000),
        VerificationInfo: 'Success',
      },
      AssumedRoleUser: assumedRoleUser(s),
      Credentials: credentialsOf(s),
    };
  }

  const handle = createRpcHandler(core, {
    product: 'Sts',
    host: 'sts.aliyuncs.com',
    version: STS_VERSION,
    family: 'sts',
    truncated: () =>
      JSON.stringify({
        RequestId: requestId(),
        AssumedRoleUser: { Arn: 'acs:ram::0:role/truncated/truncated' },
        Credentials: { AccessKeyId: 'STS.TRUNCATED', AccessKeySecret: 'TRUNCATED' },
      }),
    actions: {
      AssumeRole: { run: (p, principal, ctx) => assumeRole(p, principal, ctx) },
      // Anonymous API: the role's account is the one throttled.
      AssumeRoleWithOIDC: { anonymous: true, accountOf: (p) => ROLE_ARN.exec(p.get('RoleArn') ?? '')?.[1], run: (p) => assumeRoleWithOidc(p) },
      GetCallerIdentity: { run: (_p, principal) => getCallerIdentity(principal) },
    },
  });

  return {
    name: 'sts',
    match: (ctx) => ctx.url.pathname === '/',
    handle,
    faultTargets: ['AssumeRole', 'AssumeRoleWithOIDC', 'GetCallerIdentity', 'sts'],
  };
}
