// @ts-check
// Every error code the emulator answers with, its HTTP status, and when.
// The server looks statuses up here and refuses to answer a code that is not listed, so this table
// is complete by construction (the emulator's own test checks it). Codes, statuses and messages follow
// Alibaba Cloud's STS 2015-04-01 and common (POP gateway) error documentation.
// `source` is 'emulator' when the emulator decides it by itself, 'fault' when only queueFault produces it.

/** @type {import('./types.js').ErrorCodeInfo[]} */
export const codes = [
  // Gateway / common errors (checked before the API runs).
  {
    code: 'MissingParameter',
    status: 400,
    source: 'emulator',
    when: 'a common parameter is missing: Action, Version, or for signed actions the AccessKeyId (no Authorization header and no Signature), Timestamp or SignatureNonce',
  },
  {
    code: 'InvalidAction.NotFound',
    status: 404,
    source: 'emulator',
    when: 'Action (query/form or x-acs-action header) is not an action of the product: AssumeRole, AssumeRoleWithOIDC or GetCallerIdentity for STS; ListAccounts, ListAccountsForParent or ListFoldersForParent for ResourceManager',
  },
  { code: 'InvalidVersion', status: 400, source: 'emulator', when: 'Version (or x-acs-version) is neither 2015-04-01 (STS) nor 2020-03-31 (ResourceManager)' },
  { code: 'UnsupportedHTTPMethod', status: 400, source: 'emulator', when: 'an STS request that is neither GET nor POST' },
  {
    code: 'IncompleteSignature',
    status: 400,
    source: 'emulator',
    when: 'a malformed ACS3 Authorization header, or one that does not sign host, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256 (and x-acs-security-token when sent)',
  },
  {
    code: 'InvalidSignatureMethod',
    status: 400,
    source: 'emulator',
    when: 'an algorithm other than ACS3-HMAC-SHA256 (Authorization) or HMAC-SHA1 / SignatureVersion 1.0 (RPC Signature)',
  },
  { code: 'InvalidTimeStamp.Format', status: 400, source: 'emulator', when: 'Timestamp or x-acs-date is not YYYY-MM-DDTHH:mm:ssZ' },
  { code: 'InvalidTimeStamp.Expired', status: 400, source: 'emulator', when: 'Timestamp or x-acs-date more than 15 minutes away from the emulator clock' },
  {
    code: 'SignatureNonceUsed',
    status: 400,
    source: 'emulator',
    when: 'a SignatureNonce / x-acs-signature-nonce already used by an accepted request in the last 15 minutes',
  },
  {
    code: 'InvalidAccessKeyId.NotFound',
    status: 404,
    source: 'emulator',
    when: 'the AccessKey ID is unknown (never issued, or an STS key of another emulator)',
  },
  { code: 'InvalidAccessKeyId.Inactive', status: 400, source: 'emulator', when: 'the AccessKey was disabled with setKeyActive({accessKeyId, active:false})' },
  { code: 'MissingSecurityToken', status: 400, source: 'emulator', when: 'an STS AccessKey ID (STS.*) is used without SecurityToken / x-acs-security-token' },
  { code: 'InvalidSecurityToken.Malformed', status: 400, source: 'emulator', when: 'the security token is not one the emulator issued' },
  {
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
    source: 'emulator',
    when: 'the security token belongs to another STS AccessKey ID, or a token is sent with a permanent AccessKey',
  },
  { code: 'InvalidSecurityToken.Expired', status: 400, source: 'emulator', when: 'the STS session (Expiration, scaled by timeScale) has passed' },
  {
    code: 'SignatureDoesNotMatch',
    status: 400,
    source: 'emulator',
    when: 'the ACS3-HMAC-SHA256 or HMAC-SHA1 signature does not verify with the secret of the AccessKey (wrong secret, tampered parameters, headers or body); the Message carries the server string to sign',
  },
  {
    code: 'Throttling.User',
    status: 400,
    source: 'emulator',
    when: "setFlowControl({perSecond}) and more requests a second for one account and product (STS and ResourceManager are counted apart), or queueFault(target, {kind:'throttle'})",
  },
  { code: 'InternalError', status: 500, source: 'fault', when: "queueFault(target, {kind:'status', status:500})" },
  {
    code: 'ServiceUnavailable',
    status: 503,
    source: 'fault',
    when: "queueFault(target, {kind:'status', status:502|503|504}) (the body says ServiceUnavailable whatever the 5xx status)",
  },

  // API parameter rules.
  { code: 'MissingParameter.RoleArn', status: 400, source: 'emulator', when: 'AssumeRole or AssumeRoleWithOIDC without RoleArn' },
  { code: 'MissingParameter.RoleSessionName', status: 400, source: 'emulator', when: 'AssumeRole or AssumeRoleWithOIDC without RoleSessionName' },
  { code: 'MissingParameter.OIDCProviderArn', status: 400, source: 'emulator', when: 'AssumeRoleWithOIDC without OIDCProviderArn' },
  { code: 'InvalidParameter.RoleArn', status: 400, source: 'emulator', when: 'RoleArn is not acs:ram::<digits>:role/<name>' },
  { code: 'InvalidParameter.OIDCProviderArn', status: 400, source: 'emulator', when: 'OIDCProviderArn is not acs:ram::<digits>:oidc-provider/<name>' },
  { code: 'InvalidParameter.RoleSessionName', status: 400, source: 'emulator', when: 'RoleSessionName is not 2-64 characters of A-Za-z0-9.@_-' },
  {
    code: 'InvalidParameter.DurationSeconds',
    status: 400,
    source: 'emulator',
    when: "DurationSeconds is not an integer, below 900, or above the role's maxSessionDuration",
  },
  {
    code: 'InvalidParameter.PolicyGrammar',
    status: 400,
    source: 'emulator',
    when: 'Policy is not a JSON policy: {"Version":"1","Statement":[{"Effect":"Allow|Deny","Action":...,"Resource":...}]}',
  },
  { code: 'InvalidParameter.PolicySize', status: 400, source: 'emulator', when: 'Policy longer than 2048 bytes' },
  { code: 'InvalidParameter.ExternalId', status: 400, source: 'emulator', when: 'ExternalId not 2-1224 characters of [A-Za-z0-9_+=,.@:/-]' },
  {
    code: 'InvalidParameter.SourceIdentity',
    status: 400,
    source: 'emulator',
    when: "AssumeRole's SourceIdentity is not 2-64 characters of [A-Za-z0-9_+=,.@-] (the rule of the AssumeRole API reference), or differs from the source identity of the calling role session, which a chain cannot change. The code follows STS's InvalidParameter.<name> for every other parameter; Alibaba Cloud documents the rule, not the code",
  },

  // Entities, permission and trust.
  { code: 'EntityNotExist.Role', status: 404, source: 'emulator', when: 'RoleArn names a role that was not added (role names compare case-insensitively)' },
  {
    code: 'NoPermission',
    status: 403,
    source: 'emulator',
    when: "AssumeRole by a root AccessKey, by a user with canAssumeRole:false or a principal whose user or role denies sts:AssumeRole (deniedActions), by a principal whose account is not in the role's trustedAccounts, or with a missing/wrong ExternalId; AssumeRoleWithOIDC whose token fails the role's oidc conditions (sub/aud/iss); a ResourceManager action that the caller's user or role denies (deniedActions). The body has AccessDeniedDetail {PolicyType, NoPermissionType:'ImplicitDeny', AuthAction, ...}",
  },
  {
    code: 'AuthenticationFail.NoPermission',
    status: 401,
    source: 'emulator',
    when: "AssumeRoleWithOIDC with an OIDCProviderArn that was not added ('No such OIDC Provider registered.'), or a role whose trust names no OIDC provider or another one ('There is no permission'); both rows are in Alibaba Cloud's STS error codes (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes)",
  },
  {
    code: 'AuthenticationFail.OIDCToken.Invalid',
    status: 401,
    source: 'emulator',
    when: 'OIDCToken empty, not three dot-separated base64url parts, undecodable JSON, alg other than RS256, or missing iss/sub/aud/exp',
  },
  {
    code: 'AuthenticationFail.OIDCToken.InvalidSignature',
    status: 401,
    source: 'emulator',
    when: "the token's RS256 signature does not verify against the issuer's JWKS (mintToken({signWithUnknownKey:true}), tampered payload)",
  },
  {
    code: 'AuthenticationFail.OIDCToken.Expired',
    status: 401,
    source: 'emulator',
    when: 'the token exp is in the past (token lifetime is scaled by timeScale)',
  },
  { code: 'AuthenticationFail.OIDCToken.IssuerNotMatch', status: 401, source: 'emulator', when: "the token iss differs from the OIDC provider's issuerUrl" },
  { code: 'AuthenticationFail.OIDCToken.AudienceNotMatch', status: 401, source: 'emulator', when: "no token aud is among the OIDC provider's clientIds" },
  {
    code: 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch',
    status: 401,
    source: 'fault',
    when: "only through queueFault(..., {kind:'error', code, status:401}): real STS answers it when the IdP's certificate fingerprint changed",
  },
  {
    code: 'AuthenticationFail.OIDCToken.IssuerConfigurationBroken',
    status: 401,
    source: 'fault',
    when: "only through queueFault(..., {kind:'error', code, status:401}): real STS answers it when it cannot fetch the issuer's keys",
  },
];

/**
 * The codes only ResourceManager 2020-03-31 answers (the emulator's services/resource-manager.js); it shares the
 * gateway codes above (signature, AccessKey, Throttling.User, NoPermission, ...). Codes and statuses are those of
 * the API reference's error codes for ListAccounts, ListAccountsForParent and ListFoldersForParent (Alibaba Cloud's
 * API metadata of ResourceManager 2020-03-31, as mirrored by dew-serverless/acs-metadata,
 * en_us/resourcemanager/2020-03-31/api-docs.json @ b3c749cc), except where `when` says it is the emulator's choice.
 * @type {import('./types.js').ErrorCodeInfo[]}
 */
export const resourceManagerCodes = [
  {
    code: 'EntityNotExists.ResourceDirectory',
    status: 404,
    source: 'emulator',
    when: "the caller is neither the management account of a Resource Directory nor one of its delegated administrators: an account without a Resource Directory (documented), or a member account that is not a delegated administrator (the emulator's choice: the API reference names no other code for it)",
  },
  {
    code: 'EntityNotExists.Folder',
    status: 404,
    source: 'emulator',
    when: "ParentFolderId is well formed but names no folder of the caller's Resource Directory",
  },
  { code: 'InvalidParameter.ParentFolderId', status: 400, source: 'emulator', when: 'ParentFolderId is not r-<alnum> or fd-<alnum>' },
  {
    code: 'ResourceDirectoryNotInUse',
    status: 404,
    source: 'emulator',
    when: 'GetResourceDirectory: the caller is neither the management account nor a member of a Resource Directory',
  },
  {
    code: 'MemberAccountAccessDenied',
    status: 403,
    source: 'fault',
    when: "only through queueFault(..., {kind:'error', code, status:403}): the code ResourceManager documents for a member account refused a management action (SetMemberDeletionPermission); the list actions document none but EntityNotExists.ResourceDirectory",
  },
  {
    code: 'InvalidParameter.PageSize',
    status: 400,
    source: 'emulator',
    when: "PageSize is not an integer from 1 to 100 (the documented range; the code is the emulator's choice, the API reference lists none)",
  },
  {
    code: 'InvalidParameter.PageNumber',
    status: 400,
    source: 'emulator',
    when: "PageNumber is not an integer from 1 (the code is the emulator's choice, the API reference lists none)",
  },
];

/** Every code of every product: what the emulator may answer at all. */
export const allCodes = [...codes, ...resourceManagerCodes];

export default codes;

/**
 * HTTP status of a listed code.
 * @param {string} code
 * @returns {number | undefined}
 */
export function statusOf(code) {
  return allCodes.find((c) => c.code === code)?.status;
}
