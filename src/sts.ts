// The only module that talks to STS (2015-04-01, RPC style). AssumeRole and GetCallerIdentity are signed with
// ACS3-HMAC-SHA256 (acs.ts, shared with ResourceManager); AssumeRoleWithOIDC is anonymous,
// one form POST with the token in the body, never in a URL that proxies and error messages repeat. All of it goes
// through the RPC caller shared with ResourceManager (rpc.ts) and http.ts, so proxies, timeouts, answer size caps and
// the reading of failures are the same as for every other request; this module adds STS's own codes.

import { randomUUID } from 'node:crypto';
import { accountIdOf, assumedRoleArn, isAccountId, isAssumedRoleUserArn, isCallerArn } from './arn.js';
import type { Endpoint } from './config.js';
import { type Credentials, type Identity, isoSeconds, parseCredentials } from './credentials.js';
import type { ErrorKind } from './errors.js';
import { type Connection, preconnect, type Timeouts } from './http.js';
import type { AssumeRoleParams, OidcRoleParams, RoleSession } from './plan.js';
import { callRpc, type ErrorAnswer, malformed as malformedAnswer, type RpcProductSettings, type RpcRequest, signedRequest, USER_AGENT } from './rpc.js';
import { describeStsCode, durationRefusedHint, STS_PRODUCT } from './sts-codes.js';

export interface StsSettings extends Timeouts {
  readonly endpoint: Endpoint;
}

export interface AssumedRole {
  readonly credentials: Credentials;
  readonly identity: Identity;
}

const VERSION = '2015-04-01';
const STS: RpcProductSettings = {
  ...STS_PRODUCT,
  unresolvedInputs: '`region`, `use-vpc-endpoint` (VPC endpoints resolve only inside a VPC) and `sts-endpoint`',
};

/** Opens the connection to STS ahead of the call that will use it. */
export function connectSts(settings: StsSettings): Connection {
  return preconnect(originOf(settings), settings, STS.name);
}

export async function assumeRoleWithOidc(settings: StsSettings, token: string, params: OidcRoleParams, connection?: Connection): Promise<AssumedRole> {
  const action = 'AssumeRoleWithOIDC';
  const form = new URLSearchParams({
    Action: action,
    Version: VERSION,
    Format: 'JSON',
    Timestamp: isoSeconds(new Date()),
    SignatureNonce: randomUUID(),
    RoleArn: params.roleArn,
    OIDCProviderArn: params.oidcProviderArn,
    OIDCToken: token,
    RoleSessionName: params.sessionName,
    DurationSeconds: String(params.durationSeconds),
  });
  if (params.policy) form.set('Policy', params.policy);
  const body = await call(
    action,
    settings,
    connection,
    {
      url: `${originOf(settings)}/`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
      body: form.toString(),
    },
    params,
  );
  return assumed(action, body);
}

export async function assumeRole(settings: StsSettings, source: Credentials, params: AssumeRoleParams, connection?: Connection): Promise<AssumedRole> {
  const query: Record<string, string> = {
    RoleArn: params.roleArn,
    RoleSessionName: params.sessionName,
    DurationSeconds: String(params.durationSeconds),
  };
  if (params.policy) query.Policy = params.policy;
  if (params.externalId) query.ExternalId = params.externalId;
  if (params.sourceIdentity) query.SourceIdentity = params.sourceIdentity;
  return assumed('AssumeRole', await signedCall('AssumeRole', settings, source, query, connection, params));
}

export async function getCallerIdentity(settings: StsSettings, credentials: Credentials, connection?: Connection): Promise<Identity> {
  const action = 'GetCallerIdentity';
  const { AccountId: accountId, Arn: arn } = await signedCall(action, settings, credentials, {}, connection);
  if (typeof accountId !== 'string' || !isAccountId(accountId) || typeof arn !== 'string' || !isCallerArn(arn) || accountIdOf(arn) !== accountId) {
    throw malformed(action, 'an AccountId and Arn that are not an account ID and a RAM ARN of that account');
  }
  return { accountId, arn };
}

function signedCall(
  action: string,
  settings: StsSettings,
  credentials: Credentials,
  query: Record<string, string>,
  connection: Connection | undefined,
  role?: RoleSession,
): Promise<Record<string, unknown>> {
  return call(action, settings, connection, signedRequest({ version: VERSION, action, query }, settings.endpoint, credentials), role);
}

/** One request to STS: its JSON answer, or an ActionError that says what went wrong and what to change. */
function call(
  action: string,
  settings: StsSettings,
  connection: Connection | undefined,
  req: RpcRequest,
  role?: RoleSession,
): Promise<Record<string, unknown>> {
  return callRpc(STS, action, settings, req, (answer) => stsError(action, answer, role), connection);
}

function assumed(action: string, body: Record<string, unknown>): AssumedRole {
  const fields = (body.Credentials ?? {}) as Record<string, unknown>;
  const parsed = parseCredentials(
    { accessKeyId: fields.AccessKeyId, accessKeySecret: fields.AccessKeySecret, securityToken: fields.SecurityToken, expiration: fields.Expiration },
    true,
  );
  if (parsed.problem !== undefined) throw malformed(action, `credentials that ${parsed.problem}`);
  const userArn = (body.AssumedRoleUser as { Arn?: unknown } | undefined)?.Arn;
  if (typeof userArn !== 'string' || !isAssumedRoleUserArn(userArn)) throw malformed(action, 'an AssumedRoleUser.Arn that is not the ARN of a role session');
  return { credentials: parsed.credentials, identity: { accountId: accountIdOf(userArn) as string, arn: assumedRoleArn(userArn) } };
}

function malformed(action: string, what: string) {
  return malformedAnswer(STS, action, what);
}

/** The kind and hint of an STS error answer: STS's own codes (sts-codes.ts), its trust policy, the refused duration. */
function stsError(action: string, { code, message, status, body }: ErrorAnswer, role?: RoleSession): { kind: ErrorKind; hint: string } {
  const deniedBy = (body.AccessDeniedDetail as { PolicyType?: unknown } | undefined)?.PolicyType;
  // STS answers a failed trust-policy condition (oidc:sub, oidc:aud, oidc:iss, or an untrusted account) with
  // plain NoPermission; its AccessDeniedDetail names the trust policy.
  const trustDenied = code === 'NoPermission' && (action === 'AssumeRoleWithOIDC' || deniedBy === 'AssumeRolePolicy');
  // The OIDC trust hint speaks of token claims; AssumeRole's trust policy names accounts and the ExternalId.
  const { kind, hint } = trustDenied
    ? { kind: 'trust' as const, hint: describeStsCode(action === 'AssumeRoleWithOIDC' ? 'AuthenticationFail.NoPermission' : 'NoPermission', status).hint }
    : describeStsCode(code, status, message);
  // The refused duration: the role's limit from STS's message, and the change that raises it.
  const durationHint = code === 'InvalidParameter.DurationSeconds' && role ? durationRefusedHint(message, role) : undefined;
  return { kind, hint: durationHint ?? hint };
}

function originOf(settings: StsSettings): string {
  return `${settings.endpoint.protocol}://${settings.endpoint.host}`;
}
