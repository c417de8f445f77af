// The only module that talks to STS (2015-04-01, RPC style). AssumeRole and GetCallerIdentity are signed with
// ACS3-HMAC-SHA256 exactly as Alibaba's SDK signs them (a test compares the two); AssumeRoleWithOIDC is anonymous,
// one form POST with the token in the body, never in a URL that proxies and error messages repeat. All of it goes
// through http.ts, so proxies, timeouts and answer size caps are the same as for every other request.

import { createHash, createHmac, randomUUID } from 'node:crypto';
import { accountIdOf, assumedRoleArn, isAssumedRoleUserArn, isCallerArn } from './arn.js';
import type { Endpoint } from './config.js';
import { type Credentials, type Identity, isoSeconds, parseCredentials } from './credentials.js';
import { ActionError } from './errors.js';
import { type Connection, type HttpResponse, parseJsonObject, preconnect, request, type Timeouts } from './http.js';
import type { AssumeRoleParams, OidcRoleParams, RoleSession } from './plan.js';
import { describeStsCode, durationRefusedHint } from './sts-codes.js';
import { clip } from './text.js';

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
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

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
  return assumed('AssumeRole', await signedCall('AssumeRole', settings, source, query, connection, params));
}

export async function getCallerIdentity(settings: StsSettings, credentials: Credentials, connection?: Connection): Promise<Identity> {
  const action = 'GetCallerIdentity';
  const { AccountId: accountId, Arn: arn } = await signedCall(action, settings, credentials, {}, connection);
  if (typeof accountId !== 'string' || !/^\d{1,20}$/.test(accountId) || typeof arn !== 'string' || !isCallerArn(arn) || accountIdOf(arn) !== accountId) {
    throw malformed(action, 'an AccountId and Arn that are not an account ID and a RAM ARN of that account');
  }
  return { accountId, arn };
}

export interface SignedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/**
 * An ACS3-HMAC-SHA256 signed RPC request with an empty body, as @alicloud/openapi-core builds it: the API parameters
 * in the query, the action and version in x-acs-* headers, every x-acs-* header and host signed.
 */
export function signRequest(
  action: string,
  host: string,
  protocol: 'http' | 'https',
  credentials: Credentials,
  query: Readonly<Record<string, string>>,
  now = new Date(),
  nonce: string = randomUUID(),
): SignedRequest {
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-version': VERSION,
    'x-acs-date': isoSeconds(now),
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': EMPTY_BODY_SHA256,
  };
  if (credentials.securityToken) {
    headers['x-acs-accesskey-id'] = credentials.accessKeyId;
    headers['x-acs-security-token'] = credentials.securityToken;
  }
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${key}=${percentEncode(query[key])}`)
    .join('&');
  const signedNames = Object.keys(headers).sort();
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name].trim()}\n`).join('');
  const canonicalRequest = ['POST', '/', canonicalQuery, canonicalHeaders, signedNames.join(';'), EMPTY_BODY_SHA256].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signedNames.join(';')},Signature=${signature}`;
  return { url: `${protocol}://${host}/${canonicalQuery ? `?${canonicalQuery}` : ''}`, headers };
}

/** RFC 3986 percent-encoding, as Alibaba Cloud's signatures use it. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function signedCall(
  action: string,
  settings: StsSettings,
  credentials: Credentials,
  query: Record<string, string>,
  connection: Connection | undefined,
  role?: RoleSession,
): Promise<Record<string, unknown>> {
  const { url, headers } = signRequest(action, settings.endpoint.host, settings.endpoint.protocol, credentials, query);
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
  const text = (name: string, grammar: RegExp) => {
    const value = body[name];
    return typeof value === 'string' && grammar.test(value) ? value : undefined;
  };
  // Codes and RequestIds are short tokens; anything else is not quoted, so an answer cannot write into the log.
  const code = text('Code', /^[A-Za-z0-9._-]{1,128}$/);
  const requestId = text('RequestId', /^[A-Za-z0-9-]{1,64}$/);
  // At most 300 characters of the Message (text.ts clip), for the code tables and the error: STS may echo a long
  // request back, and the answer may be up to 1 MiB.
  const message = clip(typeof body.Message === 'string' ? body.Message : '');
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
