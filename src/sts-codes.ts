// Every STS error code the action can meet: its kind and what to change. docs/TROUBLESHOOTING.md lists the same
// codes; a test keeps the two in step. Pure: no I/O.

import { describeGatewayCode, type RpcProduct } from './acs.js';
import { parseRoleArn } from './arn.js';
import { DURATION } from './config.js';
import type { ErrorKind } from './errors.js';

export interface CodeInfo {
  readonly kind: ErrorKind;
  readonly hint: string;
}

/** How hints name STS and the inputs that choose its endpoint. */
export const STS_PRODUCT: RpcProduct = { name: 'STS', endpointInputs: '`region`, `sts-endpoint`' };

const TRUST_POLICY =
  "Check the role's trust policy: the Federated principal must be `oidc-provider-arn`, and the oidc:iss, oidc:aud " +
  'and oidc:sub conditions must match the token claims printed above.';

export const STS_ERROR_CODES: Readonly<Record<string, CodeInfo>> = {
  'AuthenticationFail.OIDCToken.Expired': {
    kind: 'trust',
    hint: 'The OIDC token expired before STS checked it. The action fetches a fresh one on retry; if this persists, check the runner clock and the token file refresh (`oidc-token-file`).',
  },
  'AuthenticationFail.OIDCToken.Invalid': {
    kind: 'trust',
    hint: "STS could not verify the OIDC token. Check the RAM OIDC identity provider: its issuer URL must be the token's `iss` (https://token.actions.githubusercontent.com for GitHub) and its fingerprint must be current.",
  },
  'AuthenticationFail.OIDCToken.IssuerNotMatch': {
    kind: 'trust',
    hint: "The token's issuer is not the issuer URL of the OIDC identity provider named by `oidc-provider-arn`. Set the IdP's issuer URL to the token's `iss`, or use the IdP made for this issuer.",
  },
  'AuthenticationFail.OIDCToken.AudienceNotMatch': {
    kind: 'trust',
    hint: "The token's audience is not a Client ID of the OIDC identity provider. Add the value of `audience` (default sts.aliyuncs.com) to the IdP's Client IDs, or set `audience` to one of them; the trust policy's oidc:aud must match too.",
  },
  'AuthenticationFail.OIDCToken.InvalidSignature': {
    kind: 'trust',
    hint: "The token's signature does not verify against the issuer's keys. Check the IdP's issuer URL; if you use `oidc-token-file`, the file must hold a token from that issuer.",
  },
  'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch': {
    kind: 'trust',
    hint: "The issuer's TLS certificate no longer matches the IdP's fingerprint. Update the fingerprint of the OIDC identity provider in RAM (docs/SETUP.md shows how to compute it).",
  },
  'AuthenticationFail.OIDCToken.IssuerConfigurationBroken': {
    kind: 'trust',
    hint: "STS could not read the issuer's OpenID configuration or keys. Check the IdP's issuer URL; for a self-hosted issuer, its /.well-known/openid-configuration must be reachable from the internet.",
  },
  'AuthenticationFail.NoPermission': {
    kind: 'trust',
    hint: `The role does not trust this token. ${TRUST_POLICY}`,
  },
  'EntityNotExist.Role': {
    kind: 'permission',
    hint: 'No such role. Check `role-to-assume` (acs:ram::<account-id>:role/<name>): the account ID and the role name as shown in the RAM console.',
  },
  // RAM's own API answers this code for a provider that does not exist (aliyun/terraform-provider-alicloud,
  // alicloud/service_alicloud_ims_v2.go @ 174d3b3ab7933a57aa682bc16419984d0d85e970, GetOIDCProvider). STS's
  // AssumeRoleWithOIDC answers AuthenticationFail.NoPermission instead (STS_MESSAGE_CODES below); kept in case.
  'EntityNotExist.OIDCProvider': {
    kind: 'trust',
    hint: 'No such OIDC identity provider. Check `oidc-provider-arn` (acs:ram::<account-id>:oidc-provider/<name>) against RAM > SSO > OIDC.',
  },
  NoPermission: {
    kind: 'permission',
    hint: 'The source identity may not assume this role. Grant it sts:AssumeRole (for example the AliyunSTSAssumeRoleAccess policy) and make the role trust its account or principal; with `role-external-id`, the value must match the trust policy.',
  },
  'NoPermission.AssumeRole': {
    kind: 'permission',
    hint: 'The source identity may not assume this role. Grant it sts:AssumeRole and make the role trust its account or principal.',
  },
  'InvalidParameter.RoleArn': {
    kind: 'input',
    hint: 'STS rejected the role ARN. Write `role-to-assume` as acs:ram::<account-id>:role/<name>.',
  },
  'InvalidParameter.OIDCProviderArn': {
    kind: 'input',
    hint: 'STS rejected the OIDC provider ARN. Write `oidc-provider-arn` as acs:ram::<account-id>:oidc-provider/<name>.',
  },
  'InvalidParameter.SourceIdentity': {
    kind: 'input',
    hint: "STS refused `source-identity`: it must be 2-64 characters of letters, digits and _ + = , . @ -, and a chain of roles keeps the first one. With `role-chaining`, give the earlier step's `source-identity` or leave it empty.",
  },
  'InvalidParameter.RoleSessionName': {
    kind: 'input',
    hint: 'Set `role-session-name` to 2-64 characters of A-Z a-z 0-9 . @ - _.',
  },
  'InvalidParameter.DurationSeconds': {
    kind: 'input',
    hint: "Lower `role-session-expiration` to at most the role's maximum session duration, or raise that maximum (RAM console > role > Maximum session duration); a session must cover the run (docs/SETUP.md, section 4).",
  },
  'InvalidParameter.PolicyGrammar': {
    kind: 'input',
    hint: 'Fix `inline-session-policy`: it must be a RAM policy document ({"Version":"1","Statement":[...]}).',
  },
  'InvalidParameter.ExternalId': {
    kind: 'input',
    hint: "Set `role-external-id` to the ExternalId required by the role's trust policy.",
  },
  'InvalidParameter.PolicySize': {
    kind: 'input',
    hint: 'Shorten `inline-session-policy`: STS limits its length (2048 characters). Use wildcards or fewer statements.',
  },
  MissingParameter: {
    kind: 'input',
    hint: 'A required parameter did not reach STS. Check `role-to-assume`, `oidc-provider-arn` and the token source.',
  },
  'MissingParameter.RoleArn': { kind: 'input', hint: 'Set `role-to-assume`.' },
  'MissingParameter.RoleSessionName': { kind: 'input', hint: 'Set `role-session-name`, or leave it out for the default.' },
  'MissingParameter.OIDCProviderArn': { kind: 'input', hint: 'Set `oidc-provider-arn`.' },
  MissingSecurityToken: {
    kind: 'credentials',
    hint: 'STS AccessKeys (STS.…) need their security token: pass `security-token` (or ALIBABA_CLOUD_SECURITY_TOKEN with `role-chaining`).',
  },
  IncompleteSignature: {
    kind: 'credentials',
    hint: 'STS found the request signature incomplete. A proxy may be rewriting requests; otherwise report it with the RequestId.',
  },
  InvalidSignatureMethod: {
    kind: 'credentials',
    hint: 'STS does not accept the signature method. A proxy may be rewriting requests; otherwise report it with the RequestId.',
  },
  SignatureNonceUsed: {
    kind: 'server',
    hint: 'STS saw the same request twice (a replayed nonce). A proxy may be retrying requests; the action retries with a fresh nonce.',
  },
  'InvalidTimeStamp.Format': {
    kind: 'credentials',
    hint: "STS could not read the request's timestamp. Check the runner's clock and locale settings.",
  },
  'InvalidAction.NotFound': {
    kind: 'input',
    hint: 'The endpoint does not know this STS action: `sts-endpoint` may point at another service.',
  },
  InvalidVersion: {
    kind: 'input',
    hint: 'The endpoint does not speak STS 2015-04-01: `sts-endpoint` may point at another service.',
  },
  UnsupportedHTTPMethod: {
    kind: 'input',
    hint: 'The endpoint refused the HTTP method: `sts-endpoint` may point at another service, or a proxy rewrites requests.',
  },
  'InvalidAccessKeyId.NotFound': {
    kind: 'credentials',
    hint: 'The AccessKey ID does not exist. Check the secret behind `access-key-id` (or the ALIBABA_CLOUD_ACCESS_KEY_ID of the earlier step with `role-chaining`).',
  },
  'InvalidAccessKeyId.Inactive': {
    kind: 'credentials',
    hint: 'The AccessKey is disabled. Enable it in the RAM console or use an active one.',
  },
  SignatureDoesNotMatch: {
    kind: 'credentials',
    hint: 'The AccessKey secret does not belong to the AccessKey ID. Check the secret behind `access-key-secret`.',
  },
  'InvalidSecurityToken.Expired': {
    kind: 'credentials',
    hint: "The source STS credentials have expired: the session behind `security-token` (or, with `role-chaining`, the earlier step's credentials) is over. Get fresh ones closer to this step, or give the step that makes them a longer `role-session-expiration`.",
  },
  'InvalidSecurityToken.MismatchWithAccessKey': {
    kind: 'credentials',
    hint: 'The security token does not belong to the AccessKey ID. Pass the three values of one STS session (`security-token` with its own keys).',
  },
  'InvalidSecurityToken.Malformed': {
    kind: 'credentials',
    hint: 'The security token is malformed or missing. STS AccessKeys (STS.…) need `security-token`.',
  },
  'InvalidTimeStamp.Expired': {
    kind: 'credentials',
    hint: "The request's timestamp is too far from STS's clock. Check the runner's clock (NTP).",
  },
  Throttling: {
    kind: 'throttled',
    hint: 'STS throttled the request. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.',
  },
  'Throttling.User': {
    kind: 'throttled',
    hint: 'STS throttled the requests of this account. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.',
  },
  'Throttling.Api': {
    kind: 'throttled',
    hint: 'STS throttled this API. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.',
  },
  InternalError: {
    kind: 'server',
    hint: 'STS failed on its side. The action retries; if it persists, try another `region` endpoint and quote the RequestId to Alibaba Cloud support.',
  },
  ServiceUnavailable: { kind: 'server', hint: 'STS is unavailable. The action retries; if it persists, try another `region` endpoint.' },
};

/** A cause that STS answers with a code it also uses for another cause: only the message tells them apart. */
export interface MessageCode {
  readonly code: string;
  /** Part of STS's Message, compared case-insensitively. */
  readonly message: string;
  readonly info: CodeInfo;
}

export const STS_MESSAGE_CODES: readonly MessageCode[] = [
  // An OIDC provider ARN that names no provider: 401 AuthenticationFail.NoPermission "No such OIDC Provider
  // registered.", the code of a role that does not trust the provider ("There is no permission"). Sources:
  // Alibaba Cloud's STS error codes, https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes,
  // and the same answer quoted by the ACK RRSA guide for a cluster whose provider was never created,
  // https://help.aliyun.com/zh/ack/ack-managed-and-ack-dedicated/user-guide/use-rrsa-to-authorize-pods-to-access-different-cloud-services.
  {
    code: 'AuthenticationFail.NoPermission',
    message: 'No such OIDC Provider registered',
    info: {
      kind: 'input',
      hint:
        'No OIDC identity provider has the ARN given as `oidc-provider-arn`. Copy the ARN from RAM console > SSO > OIDC: ' +
        'acs:ram::<account-id>:oidc-provider/<name>, where the account ID is the account of `role-to-assume` (the provider ' +
        "must exist in the role's account) and the name is the provider's exactly.",
    },
  },
];

/**
 * Kind and hint for an STS error: the code with its message when that tells causes apart, else the code itself,
 * else its family, else the HTTP status.
 */
export function describeStsCode(code: string | undefined, status: number | undefined, message?: string): CodeInfo {
  const text = message?.toLowerCase();
  const byMessage = text === undefined ? undefined : STS_MESSAGE_CODES.find((m) => m.code === code && text.includes(m.message.toLowerCase()));
  if (byMessage) return byMessage.info;
  if (code && STS_ERROR_CODES[code]) return STS_ERROR_CODES[code];
  if (code?.startsWith('AuthenticationFail.')) return STS_ERROR_CODES['AuthenticationFail.NoPermission'];
  if (code?.startsWith('EntityNotExist')) return STS_ERROR_CODES['EntityNotExist.Role'];
  // The rest is the gateway's, classified as for every RPC product (acs.ts), with STS's hint where it has one.
  const gateway = describeGatewayCode(code, status ?? 0, STS_PRODUCT);
  const family =
    gateway.kind === 'throttled'
      ? 'Throttling'
      : gateway.kind === 'permission'
        ? 'NoPermission'
        : code?.startsWith('InvalidAccessKeyId')
          ? 'InvalidAccessKeyId.NotFound'
          : code?.startsWith('InvalidSecurityToken')
            ? 'InvalidSecurityToken.Malformed'
            : gateway.kind === 'server' && (status ?? 0) >= 500
              ? 'ServiceUnavailable'
              : undefined;
  return family ? STS_ERROR_CODES[family] : gateway;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, min: 60, h: 3600, hr: 3600 };

/**
 * The hint for STS refusing `role-session-expiration` (InvalidParameter.DurationSeconds): the role's limit when STS's
 * message gives it ("The Min/Max value of DurationSeconds is 15min/3hr."), the table's hint, and the exact changes
 * that raise the limit to the duration asked for.
 */
export function durationRefusedHint(message: string, request: { readonly roleArn: string; readonly durationSeconds: number }): string {
  const limit = /DurationSeconds is\s*\d+\s*(?:s|min|hr?)\s*\/\s*(\d+)\s*(s|min|hr?)\b/i.exec(message);
  const max = limit ? Number(limit[1]) * UNIT_SECONDS[limit[2].toLowerCase()] : undefined;
  const role = parseRoleArn(request.roleArn)?.roleName ?? '<role-name>';
  const wanted = Math.min(request.durationSeconds, DURATION.max);
  const hours = (seconds: number) => (seconds >= 3600 && seconds % 3600 === 0 ? ` (${seconds / 3600} h)` : '');
  const found =
    max !== undefined && request.durationSeconds > max
      ? `The role ${role} allows sessions of at most ${max} s${hours(max)}; \`role-session-expiration\` asks for ${request.durationSeconds} s. `
      : '';
  return (
    `${found}${STS_ERROR_CODES['InvalidParameter.DurationSeconds'].hint} To raise it to ${wanted} s: ` +
    `\`aliyun ram UpdateRole --RoleName ${role} --NewMaxSessionDuration ${wanted}\`, or in Terraform ` +
    `\`max_session_duration = ${wanted}\` on the role's \`alicloud_ram_role\`.`
  );
}
