// The only module that talks to STS (2015-04-01, RPC style). AssumeRole and GetCallerIdentity are signed with
// ACS3-HMAC-SHA256 (acs.ts, shared with ResourceManager); AssumeRoleWithOIDC is anonymous,
// one form POST with the token in the body, never in a URL that proxies and error messages repeat. All of it goes
// through http.ts, so proxies, timeouts and answer size caps are the same as for every other request.

import { randomUUID } from 'node:crypto';
import { errorFields, signRequest } from './acs.js';
import { accountIdOf, assumedRoleArn, isAccountId, isAssumedRoleUserArn, isCallerArn } from './arn.js';
import type { Endpoint } from './config.js';
import { type Credentials, type Identity, isoSeconds, parseCredentials } from './credentials.js';
import { ActionError } from './errors.js';
import { type Connection, type HttpResponse, parseJsonObject, preconnect, request, type Timeouts } from './http.js';
import type { AssumeRoleParams, OidcRoleParams, RoleSession } from './plan.js';
import { describeStsCode, durationRefusedHint } from './sts-codes.js';

export interface StsSettings extends Timeouts {
  readonly endpoint: Endpoint;
}

export interface AssumedRole {
  readonly credentials: Credentials;
  readonly identity: Identity;
}

const VERSION = '2015-04-01';
const USER_AGENT = 'configure-alibabacloud-credentials';
const SERVICE = 'STS';

/** Opens the connection to STS ahead of the call that will use it. */
export function connectSts(settings: StsSettings): Connection {
  return preconnect(originOf(settings), settings, SERVICE);
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
      method: 'POST',
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
  const { url, headers } = signRequest({ version: VERSION, action, query }, settings.endpoint, credentials);
  return call(action, settings, connection, { url, method: 'POST', headers: { ...headers, accept: 'application/json', 'user-agent': USER_AGENT } }, role);
}

/** One request to STS: its JSON answer, or an ActionError that says what went wrong and what to change. */
async function call(
  action: string,
  settings: StsSettings,
  connection: Connection | undefined,
  req: { url: string; method: 'POST'; headers: Record<string, string>; body?: string },
  role?: RoleSession,
): Promise<Record<string, unknown>> {
  let res: HttpResponse;
  try {
    res = await request({ ...req, service: SERVICE, connection, connectTimeoutMs: settings.connectTimeoutMs, readTimeoutMs: settings.readTimeoutMs });
  } catch (error) {
    if (!(error instanceof ActionError) || error.kind !== 'network') throw error;
    throw networkError(action, error);
  }
  const body = parseJsonObject(res.body);
  if (!body) {
    const { kind } = describeStsCode(undefined, res.status);
    throw new ActionError(
      res.status === 200 ? 'server' : kind,
      `${action}: STS answered with a body that is not JSON (HTTP ${res.status}, ${String(res.headers['content-type'] ?? 'no content type')}).`,
      'A proxy or load balancer may have answered instead of STS; the action retries.',
      { status: res.status },
    );
  }
  if (res.status !== 200) throw stsError(action, res.status, body, role);
  return body;
}

function networkError(action: string, error: ActionError): ActionError {
  const reason = error.message.replace(/^STS did not answer/, 'could not reach STS');
  const hint = /ENOTFOUND|EAI_AGAIN/.test(reason)
    ? 'The STS host name does not resolve: check `region`, `use-vpc-endpoint` (VPC endpoints resolve only inside a VPC) and `sts-endpoint`.'
    : reason.includes('through the proxy')
      ? (error.hint ?? '')
      : 'Check that the runner can reach the STS endpoint (firewall, proxy, `region`, `sts-endpoint`).';
  return new ActionError('network', `${action} ${reason}`, hint);
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

function malformed(action: string, what: string): ActionError {
  return new ActionError('server', `${action} answered with ${what}.`, 'The endpoint may not be STS: check `sts-endpoint`, `region` and any proxy in between.');
}

/** An STS error answer: its code, kind, hint and RequestId, with the STS fields checked before they are used. */
function stsError(action: string, status: number, body: Record<string, unknown>, role?: RoleSession): ActionError {
  const { code, requestId, message } = errorFields(body);
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
  return new ActionError(kind, `${action} failed: ${code ?? `HTTP ${status}`}: ${message}`, durationHint ?? hint, { code, requestId, status });
}

function originOf(settings: StsSettings): string {
  return `${settings.endpoint.protocol}://${settings.endpoint.host}`;
}
