// Reads and validates the inputs every flow shares into one immutable Config. The inputs of a credential source
// are read by that source (sources/). Pure: inputs and environment come in as values, and every problem is an
// InputError that names the input and what to write instead.

import { checkRoleAccount } from './account.js';
import { isAccountId, parseOidcProviderArn, parseRoleArn, type RoleArn } from './arn.js';
import { InputError } from './errors.js';
import { type Env, type InputReader, isLoopback, optional, readBoolean, readInteger } from './inputs.js';
import { hasScheme, parseUrl } from './url.js';

export interface Endpoint {
  readonly host: string; // host[:port]
  readonly protocol: 'https' | 'http';
}

export interface Config {
  readonly role?: RoleArn;
  readonly oidcProviderArn?: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly sourceIdentity?: string;
  readonly sessionPolicy?: string;
  readonly region?: string;
  readonly endpoint: Endpoint;
  readonly exportEnv: boolean;
  readonly outputCredentials: boolean;
  readonly aliyunProfile?: string;
  readonly allowedAccountIds: readonly string[];
  readonly maskAccountId: boolean;
  readonly retryMaxAttempts: number;
  readonly refreshCredentials: boolean;
}

/** The inputs readConfig reads; with the sources' inputs (sources/index.ts), every input of action.yml. */
export const CONFIG_INPUTS: readonly string[] = [
  'role-to-assume',
  'oidc-provider-arn',
  'role-session-name',
  'role-session-expiration',
  'role-external-id',
  'source-identity',
  'inline-session-policy',
  'region',
  'use-vpc-endpoint',
  'sts-endpoint',
  'export-env',
  'output-credentials',
  'aliyun-profile',
  'allowed-account-ids',
  'mask-account-id',
  'retry-max-attempts',
  'refresh-credentials',
];
/** The environment variables readConfig reads (the default session name). */
export const CONFIG_VARIABLES = ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID'];
export const DEFAULT_DURATION_SECONDS = 3600;
export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
/** The range of `role-session-expiration`: STS grants sessions of 15 min to 12 h. */
export const DURATION = { min: 900, max: 43200, unit: 'seconds' };
/** The range of `retry-max-attempts`, in both actions. */
export const RETRY_ATTEMPTS = { min: 1, max: 10, unit: 'attempts' };
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[A-Za-z0-9=,.@:/_-]{2,1224}$/;
// AssumeRole's SourceIdentity: 2-64 of letters, digits and _ + = , . @ - (Alibaba Cloud's API reference of AssumeRole,
// STS 2015-04-01). Its reserved prefixes acs:, aliyun: and alibabacloud: cannot occur: the rule has no colon.
const SOURCE_IDENTITY = /^[A-Za-z0-9_+=,.@-]{2,64}$/;
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
// The aliyun CLI keeps profile names as JSON keys and shows them in `aliyun configure list`.
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function readConfig(input: InputReader, env: Env): Config {
  const { region, endpoint } = readStsEndpoint(input);
  const config: Config = {
    role: optional(input('role-to-assume'), readRole),
    oidcProviderArn: optional(input('oidc-provider-arn'), readOidcProviderArn),
    roleSessionName: optional(input('role-session-name'), readSessionName) ?? defaultSessionName(env),
    durationSeconds: readInteger(input, 'role-session-expiration', DEFAULT_DURATION_SECONDS, DURATION),
    externalId: optional(input('role-external-id'), readExternalId),
    sourceIdentity: optional(input('source-identity'), readSourceIdentity),
    sessionPolicy: optional(input('inline-session-policy'), readPolicy),
    region,
    endpoint,
    exportEnv: readBoolean(input, 'export-env', true),
    outputCredentials: readBoolean(input, 'output-credentials', false),
    aliyunProfile: optional(input('aliyun-profile'), readProfileName),
    allowedAccountIds: optional(input('allowed-account-ids'), readAccountIds) ?? [],
    maskAccountId: readBoolean(input, 'mask-account-id', false),
    retryMaxAttempts: readInteger(input, 'retry-max-attempts', DEFAULT_RETRY_MAX_ATTEMPTS, RETRY_ATTEMPTS),
    refreshCredentials: readBoolean(input, 'refresh-credentials', false),
  };
  const conflict = CONFLICTS.find((rule) => rule.applies(config));
  if (conflict) throw new InputError(conflict.input, conflict.message, conflict.hint);
  checkRoleAccount(config.role, config.allowedAccountIds);
  return config;
}

/** Inputs that make no sense together, or one without the other; the conflicts between sources are the plan's. */
const CONFLICTS: ReadonlyArray<{ input: string; applies: (config: Config) => boolean; message: string; hint: string }> = [
  {
    input: 'oidc-provider-arn',
    applies: (config) => Boolean(config.oidcProviderArn && !config.role),
    message: 'needs `role-to-assume`.',
    hint: 'Add the ARN of the RAM role that trusts this identity provider: role-to-assume: acs:ram::<account-id>:role/<name>.',
  },
  {
    input: 'role-external-id',
    applies: (config) => Boolean(config.externalId && !config.role),
    message: 'needs `role-to-assume`.',
    hint: 'Add the role whose trust policy asks for this ExternalId, or remove `role-external-id`.',
  },
  {
    input: 'role-external-id',
    applies: (config) => Boolean(config.externalId && config.oidcProviderArn),
    message: 'does not apply to the OIDC flow (AssumeRoleWithOIDC has no ExternalId).',
    hint: 'Remove `role-external-id`, or use a key-based source with AssumeRole.',
  },
  {
    input: 'source-identity',
    applies: (config) => Boolean(config.sourceIdentity && !config.role),
    message: 'needs `role-to-assume`: STS records a source identity on a role session it issues.',
    hint: 'Add the role to assume, or remove `source-identity`.',
  },
  {
    input: 'source-identity',
    applies: (config) => Boolean(config.sourceIdentity && config.oidcProviderArn),
    message: 'does not apply to the OIDC flow (AssumeRoleWithOIDC has no SourceIdentity parameter).',
    hint: 'Set it on the next role instead: a second step with `role-chaining: true`, `role-to-assume` and `source-identity`. The chain keeps it from there on.',
  },
  {
    input: 'inline-session-policy',
    applies: (config) => Boolean(config.sessionPolicy && !config.role),
    message: 'needs `role-to-assume`: only an assumed session can be narrowed.',
    hint: 'Add `role-to-assume`, or remove `inline-session-policy`.',
  },
  {
    input: 'refresh-credentials',
    applies: (config) => config.refreshCredentials && !config.exportEnv,
    message: 'needs `export-env: true`: later steps find the refreshing credentials URI through ALIBABA_CLOUD_CREDENTIALS_URI.',
    hint: 'Remove `export-env: false`, or turn off `refresh-credentials`.',
  },
  {
    input: 'export-env',
    applies: (config) => !config.exportEnv && !config.outputCredentials && !config.aliyunProfile,
    message: 'is false and nothing else delivers the credentials.',
    hint: 'Keep export-env: true, or set output-credentials: true or aliyun-profile.',
  },
];

function readRole(value: string): RoleArn {
  const role = parseRoleArn(value);
  if (!role) {
    throw new InputError(
      'role-to-assume',
      `"${value}" is not a RAM role ARN.`,
      'Write it as acs:ram::<account-id>:role/<role-name>, e.g. acs:ram::123456789012:role/ProwlerAuditRole.',
    );
  }
  return role;
}

function readOidcProviderArn(value: string): string {
  if (!parseOidcProviderArn(value)) {
    throw new InputError(
      'oidc-provider-arn',
      `"${value}" is not a RAM OIDC provider ARN.`,
      'Write it as acs:ram::<account-id>:oidc-provider/<name>, e.g. acs:ram::123456789012:oidc-provider/github.',
    );
  }
  return value;
}

function readRegion(value: string): string {
  if (!REGION.test(value)) throw new InputError('region', `"${value}" is not a region ID.`, 'Use a region ID such as cn-hangzhou or ap-southeast-1.');
  return value;
}

function readSessionName(value: string): string {
  if (!SESSION_NAME.test(value)) {
    throw new InputError(
      'role-session-name',
      `"${value}" is not a valid session name.`,
      'Use 2-64 characters of A-Z a-z 0-9 . @ - _, e.g. prowler-${{ github.run_id }}.',
    );
  }
  return value;
}

/** `gha-<run id>-<owner>-<repo>`, cut to 64 characters: ActionTrail then shows which run used the role. */
export function defaultSessionName(env: Env): string {
  const parts = ['gha', env.GITHUB_RUN_ID, env.GITHUB_REPOSITORY?.replace('/', '-')].filter(Boolean);
  const name = parts
    .join('-')
    .replace(/[^A-Za-z0-9.@_-]/g, '-')
    .slice(0, 64);
  return name.length >= 2 && name !== 'gha' ? name : 'configure-alibabacloud-credentials';
}

function readExternalId(value: string): string {
  if (!EXTERNAL_ID.test(value)) {
    throw new InputError('role-external-id', 'has characters STS does not accept.', 'Use 2-1224 characters of letters, digits and = , . @ : / - _.');
  }
  return value;
}

function readSourceIdentity(value: string): string {
  if (!SOURCE_IDENTITY.test(value)) {
    throw new InputError(
      'source-identity',
      `"${value}" is not a source identity STS accepts.`,
      "Use 2-64 characters of letters, digits and _ + = , . @ -. GitHub names bots with brackets (dependabot[bot]): replace other characters in a step before, e.g. `tr -c 'A-Za-z0-9_+=,.@-' -` as docs/SETUP.md section 9.3 shows.",
    );
  }
  return value;
}

function readPolicy(value: string): string {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch (error) {
    throw new InputError(
      'inline-session-policy',
      `is not valid JSON (${(error as Error).message}).`,
      'Pass a RAM policy document, e.g. {"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}.',
    );
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy) || !Array.isArray((policy as { Statement?: unknown }).Statement)) {
    throw new InputError(
      'inline-session-policy',
      'is not a RAM policy document.',
      'It must be a JSON object with a "Statement" array, e.g. {"Version":"1","Statement":[...]}.',
    );
  }
  // STS counts the policy's length; sending it without white space leaves the most room.
  return JSON.stringify(policy);
}

function readProfileName(value: string): string {
  if (!PROFILE_NAME.test(value)) {
    throw new InputError('aliyun-profile', `"${value}" is not a usable profile name.`, 'Use 1-64 letters, digits, ".", "-" or "_", e.g. prowler.');
  }
  return value;
}

/** The values of a list input, in every action: separated by commas, blanks or new lines (a YAML block), empty ones dropped. */
export function listOf(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

function readAccountIds(value: string): string[] {
  const ids = listOf(value);
  const bad = ids.find((id) => !isAccountId(id));
  if (bad !== undefined || ids.length === 0) {
    throw new InputError(
      'allowed-account-ids',
      `"${bad ?? value}" is not an account ID.`,
      'Write account IDs (digits only), separated by commas, blanks or new lines, e.g. 123456789012,210987654321.',
    );
  }
  return ids;
}

/** `region` and the STS endpoint: the inputs both actions read the same way. */
export function readStsEndpoint(input: InputReader): { region?: string; endpoint: Endpoint } {
  const region = optional(input('region'), readRegion);
  return { region, endpoint: readEndpoint(input, region) };
}

/** `sts-endpoint` as given, else the VPC or public endpoint of `region`, else the central one. */
function readEndpoint(input: InputReader, region: string | undefined): Endpoint {
  const useVpcEndpoint = readBoolean(input, 'use-vpc-endpoint', false);
  const value = input('sts-endpoint');
  if (useVpcEndpoint && !region)
    throw new InputError('use-vpc-endpoint', 'needs `region`.', 'Set `region` (e.g. cn-hangzhou) so the action can use sts-vpc.<region>.aliyuncs.com.');
  if (useVpcEndpoint && value)
    throw new InputError('use-vpc-endpoint', 'cannot be combined with `sts-endpoint`.', 'Remove one of them: `sts-endpoint` names the endpoint exactly.');
  if (value === '') {
    if (!region) return { host: 'sts.aliyuncs.com', protocol: 'https' };
    return { host: useVpcEndpoint ? `sts-vpc.${region}.aliyuncs.com` : `sts.${region}.aliyuncs.com`, protocol: 'https' };
  }
  return parseEndpoint('sts-endpoint', value, 'sts.cn-shanghai.aliyuncs.com');
}

/**
 * An endpoint input: a host, or a URL with no path, query or user information; `example` is the product's host. Plain
 * http only to a loopback address, since the requests carry signed credentials. Messages name the scheme and host at
 * most: a value written with a password (never sent anywhere) may still be a secret.
 */
export function parseEndpoint(name: string, value: string, example: string): Endpoint {
  const hint = `Write a host such as ${example}, or a URL with no path such as https://${example}.`;
  const url = parseUrl(value, 'https');
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    const what = url && hasScheme(value) ? `is not an http(s) URL: its scheme is ${url.protocol.slice(0, -1)}.` : 'is not a host or URL.';
    throw new InputError(name, what, hint);
  }
  if (url.username || url.password) throw new InputError(name, `names a user or password (${url.protocol}//${url.host}); an endpoint takes neither.`, hint);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search)
    throw new InputError(name, `has a path or query (${url.protocol}//${url.host}/…); an endpoint is a host alone.`, hint);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      name,
      `plain http to ${url.hostname} would send credentials in the clear.`,
      'Use https; plain http is accepted only for a loopback address (127.0.0.1, ::1, localhost).',
    );
  }
  return { host: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}
