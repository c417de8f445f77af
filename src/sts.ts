// The only module that talks to STS. Signed calls (AssumeRole, GetCallerIdentity) go through Alibaba's own SDK
// (@alicloud/sts20150401), loaded on first use. AssumeRoleWithOIDC is anonymous: one form POST, sent without the
// SDK, whose loading alone costs more than three bare Node starts (`npm run bench`), and with the token in the
// body rather than the URL, where proxies and error messages would repeat it.

import { accountIdOf, assumedRoleArn } from './arn.js';
import type { Endpoint } from './config.js';
import { randomUUID } from 'node:crypto';
import { isoSeconds, type Credentials, type Identity } from './credentials.js';
import { ActionError } from './errors.js';
import { jsonObject, request, type HttpResponse, type Timeouts } from './http.js';
import type { AssumeRoleParams, OidcRoleParams } from './plan.js';
import { describeStsCode } from './sts-codes.js';

export interface StsSettings extends Timeouts {
  readonly endpoint: Endpoint;
}

export interface AssumedRole {
  readonly credentials: Credentials;
  readonly identity: Identity;
}

// From ESM, this CommonJS package is one object: the client class is its `.default`, the models sit beside it.
type StsModule = typeof import('@alicloud/sts20150401', { with: { 'resolution-mode': 'require' }});
type StsClient = InstanceType<StsModule['default']>;

const USER_AGENT = 'configure-alibabacloud-credentials';

let sdk: Promise<StsModule> | undefined;
function loadSdk(): Promise<StsModule> {
  silenceUrlParseDeprecation();
  // Node hands over module.exports as `default`; a bundler that honours `__esModule` hands over the exports
  // themselves, whose `default` is then the class.
  sdk ??= import('@alicloud/sts20150401').then((mod) => (typeof mod.default === 'function' ? mod : mod.default) as unknown as StsModule);
  return sdk;
}

// The SDK calls url.parse(), which Node 24 reports as deprecated (DEP0169): noise in every job log that the user
// can do nothing about. Only that warning is dropped; any other goes to stderr as Node would print it.
function silenceUrlParseDeprecation(): void {
  if (process.listeners('warning').some((listener) => listener.name === 'printUnlessUrlParse')) return;
  process.noDeprecation = false;
  process.removeAllListeners('warning');
  process.on('warning', function printUnlessUrlParse(warning: Error & { code?: string }) {
    if (warning.code !== 'DEP0169') process.stderr.write(`${warning.stack ?? `${warning.name}: ${warning.message}`}\n`);
  });
}

async function client(settings: StsSettings, credentials?: Credentials): Promise<{ sts: StsClient; mod: StsModule }> {
  const mod = await loadSdk();
  const Client = mod.default;
  // The SDK reads its Config and RuntimeOptions as plain fields, so plain objects do; this keeps the
  // SDK's own base package out of our imports.
  const config = {
    endpoint: settings.endpoint.host,
    protocol: settings.endpoint.protocol,
    accessKeyId: credentials?.accessKeyId,
    accessKeySecret: credentials?.accessKeySecret,
    securityToken: credentials?.securityToken,
    connectTimeout: settings.connectTimeoutMs,
    readTimeout: settings.readTimeoutMs,
  };
  return { sts: new Client(config as ConstructorParameters<StsModule['default']>[0]), mod };
}

// retryOptions stays unset: the SDK then never retries, and retry.ts owns every attempt.
function runtime(settings: StsSettings): Parameters<StsClient['getCallerIdentityWithOptions']>[0] {
  return { connectTimeout: settings.connectTimeoutMs, readTimeout: settings.readTimeoutMs } as Parameters<StsClient['getCallerIdentityWithOptions']>[0];
}

export async function assumeRoleWithOidc(settings: StsSettings, token: string, params: OidcRoleParams): Promise<AssumedRole> {
  const action = 'AssumeRoleWithOIDC';
  const form = new URLSearchParams({
    Action: action,
    Version: '2015-04-01',
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
  let res: HttpResponse;
  try {
    res = await request({
      url: `${settings.endpoint.protocol}://${settings.endpoint.host}/`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
      body: form.toString(),
      service: 'STS',
      connectTimeoutMs: settings.connectTimeoutMs,
      readTimeoutMs: settings.readTimeoutMs,
    });
  } catch (error) {
    if (!(error instanceof ActionError) || error.kind !== 'network') throw error;
    throw networkError(action, error.message.replace(/^STS did not answer: /, ''), undefined);
  }
  let body: Record<string, unknown>;
  try {
    body = jsonObject(res, 'STS');
  } catch {
    const { kind } = describeStsCode(undefined, res.status);
    throw new ActionError(
      kind,
      `${action}: STS answered with a body that is not JSON (HTTP ${res.status}, ${String(res.headers['content-type'] ?? 'no content type')}).`,
      'A proxy or load balancer may have answered instead of STS; the action retries.',
      { status: res.status },
    );
  }
  if (res.status !== 200) {
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    const deniedBy = (body.AccessDeniedDetail as { PolicyType?: unknown } | undefined)?.PolicyType;
    throw stsError(action, { code: text('Code'), status: res.status, message: text('Message') ?? '', requestId: text('RequestId'), deniedBy });
  }
  const credentials = body.Credentials as Record<string, string | undefined> | undefined;
  const user = body.AssumedRoleUser as { Arn?: string } | undefined;
  return assumed(
    action,
    credentials && {
      accessKeyId: credentials.AccessKeyId,
      accessKeySecret: credentials.AccessKeySecret,
      securityToken: credentials.SecurityToken,
      expiration: credentials.Expiration,
    },
    user?.Arn,
  );
}

export async function assumeRole(settings: StsSettings, source: Credentials, params: AssumeRoleParams): Promise<AssumedRole> {
  const { sts, mod } = await client(settings, source);
  const request = new mod.AssumeRoleRequest({
    roleArn: params.roleArn,
    roleSessionName: params.sessionName,
    durationSeconds: params.durationSeconds,
    policy: params.policy,
    externalId: params.externalId,
  });
  const response = await call('AssumeRole', () => sts.assumeRoleWithOptions(request, runtime(settings)));
  return assumed('AssumeRole', response.body?.credentials, response.body?.assumedRoleUser?.arn);
}

export async function getCallerIdentity(settings: StsSettings, credentials: Credentials): Promise<Identity> {
  const { sts } = await client(settings, credentials);
  const response = await call('GetCallerIdentity', () => sts.getCallerIdentityWithOptions(runtime(settings)));
  const { accountId, arn } = response.body ?? {};
  if (!accountId || !arn) throw malformed('GetCallerIdentity');
  return { accountId, arn };
}

function assumed(
  action: string,
  credentials: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string; expiration?: string } | undefined,
  userArn: string | undefined,
): AssumedRole {
  const accountId = userArn && accountIdOf(userArn);
  const expiration = credentials?.expiration ? new Date(credentials.expiration) : undefined;
  if (
    !credentials?.accessKeyId ||
    !credentials.accessKeySecret ||
    !credentials.securityToken ||
    !userArn ||
    !accountId ||
    !expiration ||
    Number.isNaN(expiration.getTime())
  ) {
    throw malformed(action);
  }
  return {
    credentials: { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret, securityToken: credentials.securityToken, expiration },
    identity: { accountId, arn: assumedRoleArn(userArn) },
  };
}

function malformed(action: string): ActionError {
  return new ActionError(
    'server',
    `${action} answered without the expected fields.`,
    'The endpoint may not be STS: check `sts-endpoint`, `region` and any proxy in between.',
  );
}

interface SdkError {
  code?: unknown;
  statusCode?: unknown;
  data?: { Code?: unknown; Message?: unknown; RequestId?: unknown; statusCode?: unknown };
  requestId?: unknown;
  message?: unknown;
  name?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toActionError(action, error);
  }
}

/** Maps whatever the SDK throws to an ActionError. */
function toActionError(action: string, error: unknown): ActionError {
  const e = (error ?? {}) as SdkError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const errno = typeof e.code === 'string' ? e.code : undefined;
  // An answer from STS has a Code; only an error without one can be the network's (an STS message may say "timeout").
  const answered = typeof e.data?.Code === 'string';
  if (!answered && ((errno && NETWORK_CODES.has(errno)) || e.name === 'RequestTimeoutError' || /timeout|socket hang up/i.test(message))) {
    // The SDK's HTTP client appends "<METHOD> <full URL> failed." with no space before it; the URL adds nothing.
    return networkError(action, message.replace(/\s*(?:GET|POST|PUT)\s+https?:\/\/\S+\s+failed\.?/, '').trim() || message, errno);
  }
  if (error instanceof SyntaxError) {
    return new ActionError(
      'server',
      `${action}: STS answered with a body that is not JSON (${message}).`,
      'A proxy or load balancer may have answered instead of STS; the action retries.',
    );
  }
  const code = typeof e.data?.Code === 'string' ? e.data.Code : errno;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const requestId =
    typeof e.data?.RequestId === 'string' ? e.data.RequestId : typeof e.requestId === 'string' && e.requestId !== 'undefined' ? e.requestId : undefined;
  const deniedBy = (e.data as { AccessDeniedDetail?: { PolicyType?: unknown } } | undefined)?.AccessDeniedDetail?.PolicyType;
  return stsError(action, { code, status, message: typeof e.data?.Message === 'string' ? e.data.Message : message, requestId, deniedBy });
}

function networkError(action: string, reason: string, errno: string | undefined): ActionError {
  const hint =
    errno === 'ENOTFOUND' || errno === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(reason)
      ? 'The STS host name does not resolve: check `region`, `use-vpc-endpoint` (VPC endpoints resolve only inside a VPC) and `sts-endpoint`.'
      : 'Check that the runner can reach the STS endpoint (firewall, proxy, `region`, `sts-endpoint`).';
  return new ActionError('network', `${action} could not reach STS: ${reason}`, hint);
}

interface StsAnswer {
  readonly code?: string;
  readonly status?: number;
  readonly message: string;
  readonly requestId?: string;
  /** AccessDeniedDetail.PolicyType of a NoPermission answer. */
  readonly deniedBy?: unknown;
}

/** An STS error answer, whichever way it arrived. */
function stsError(action: string, { code, status, message, requestId, deniedBy }: StsAnswer): ActionError {
  // STS answers a failed trust-policy condition (oidc:sub, oidc:aud, oidc:iss, or an untrusted account) with
  // plain NoPermission; its AccessDeniedDetail names the trust policy.
  const trustDenied = code === 'NoPermission' && (action === 'AssumeRoleWithOIDC' || deniedBy === 'AssumeRolePolicy');
  // The OIDC trust hint speaks of token claims; AssumeRole's trust policy names accounts and the ExternalId.
  const { kind, hint } = trustDenied
    ? { kind: 'trust' as const, hint: describeStsCode(action === 'AssumeRoleWithOIDC' ? 'AuthenticationFail.NoPermission' : 'NoPermission', status).hint }
    : describeStsCode(code, status);
  return new ActionError(kind, `${action} failed: ${code ?? `HTTP ${status ?? '?'}`}: ${message}`, hint, { code, requestId, status });
}
