// Reads and validates every input into one immutable Config. Pure: inputs and environment come in as values,
// and every problem is an InputError that names the input and what to write instead.

import { parseOidcProviderArn, parseRoleArn, type RoleArn } from './arn.js';
import { InputError } from './errors.js';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface Endpoint {
  readonly host: string; // host[:port], what the STS SDK takes
  readonly protocol: 'https' | 'http';
}

export interface Config {
  readonly role?: RoleArn;
  readonly oidcProviderArn?: string;
  readonly audience: string;
  readonly oidcTokenFile?: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly sessionPolicy?: string;
  readonly roleChaining: boolean;
  readonly accessKey?: AccessKey;
  readonly ecsRamRole?: string;
  readonly credentialsUri?: string;
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

/** Reads one input: the trimmed value, or '' when it is not set. */
export type InputReader = (name: string) => string;
export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
export const DEFAULT_DURATION_SECONDS = 3600;
export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
const MIN_DURATION = 900;
const MAX_DURATION = 43200;
const MAX_RETRY_ATTEMPTS = 10;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const ACCOUNT_ID = /^\d{1,20}$/;
// The aliyun CLI keeps profile names as JSON keys and shows them in `aliyun configure list`.
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const ECS_ROLE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function readConfig(input: InputReader, env: Env): Config {
  const role = optional(input('role-to-assume'), (value) => {
    const parsed = parseRoleArn(value);
    if (!parsed) {
      throw new InputError(
        'role-to-assume',
        `"${value}" is not a RAM role ARN.`,
        'Write it as acs:ram::<account-id>:role/<role-name>, e.g. acs:ram::123456789012:role/ProwlerAuditRole.',
      );
    }
    return parsed;
  });
  const oidcProviderArn = optional(input('oidc-provider-arn'), (value) => {
    if (!parseOidcProviderArn(value)) {
      throw new InputError(
        'oidc-provider-arn',
        `"${value}" is not a RAM OIDC provider ARN.`,
        'Write it as acs:ram::<account-id>:oidc-provider/<name>, e.g. acs:ram::123456789012:oidc-provider/github.',
      );
    }
    return value;
  });
  const audience = input('audience') || DEFAULT_AUDIENCE;
  if (/\s/.test(audience))
    throw new InputError('audience', 'must not contain white space.', 'Use one Client ID of the RAM OIDC identity provider, e.g. sts.aliyuncs.com.');

  const accessKey = readAccessKey(input);
  const region = optional(input('region'), (value) => {
    if (!REGION.test(value)) throw new InputError('region', `"${value}" is not a region ID.`, 'Use a region ID such as cn-hangzhou or ap-southeast-1.');
    return value;
  });
  const useVpcEndpoint = readBoolean(input, 'use-vpc-endpoint', false);
  const stsEndpoint = input('sts-endpoint');
  if (useVpcEndpoint && !region)
    throw new InputError('use-vpc-endpoint', 'needs `region`.', 'Set `region` (e.g. cn-hangzhou) so the action can use sts-vpc.<region>.aliyuncs.com.');
  if (useVpcEndpoint && stsEndpoint)
    throw new InputError('use-vpc-endpoint', 'cannot be combined with `sts-endpoint`.', 'Remove one of them: `sts-endpoint` names the endpoint exactly.');

  const config: Config = {
    role,
    oidcProviderArn,
    audience,
    oidcTokenFile: input('oidc-token-file') || undefined,
    roleSessionName: readSessionName(input, env),
    durationSeconds: readInteger(input, 'role-session-expiration', DEFAULT_DURATION_SECONDS, MIN_DURATION, MAX_DURATION, 'seconds'),
    externalId: optional(input('role-external-id'), (value) => {
      if (!/^[A-Za-z0-9=,.@:/_-]{2,1224}$/.test(value)) {
        throw new InputError('role-external-id', 'has characters STS does not accept.', 'Use 2-1224 characters of letters, digits and = , . @ : / - _.');
      }
      return value;
    }),
    sessionPolicy: optional(input('inline-session-policy'), readPolicy),
    roleChaining: readBoolean(input, 'role-chaining', false),
    accessKey,
    ecsRamRole: optional(input('ecs-ram-role'), (value) => {
      if (!ECS_ROLE_NAME.test(value))
        throw new InputError(
          'ecs-ram-role',
          `"${value}" is not a RAM role name.`,
          'Give the name of the instance RAM role (not its ARN), e.g. ProwlerEcsRole.',
        );
      return value;
    }),
    credentialsUri: optional(input('credentials-uri'), readCredentialsUri),
    region,
    endpoint: readEndpoint(stsEndpoint, region, useVpcEndpoint),
    exportEnv: readBoolean(input, 'export-env', true),
    outputCredentials: readBoolean(input, 'output-credentials', false),
    aliyunProfile: optional(input('aliyun-profile'), (value) => {
      if (!PROFILE_NAME.test(value))
        throw new InputError('aliyun-profile', `"${value}" is not a usable profile name.`, 'Use 1-64 letters, digits, ".", "-" or "_", e.g. prowler.');
      return value;
    }),
    allowedAccountIds: readAccountIds(input('allowed-account-ids')),
    maskAccountId: readBoolean(input, 'mask-account-id', false),
    retryMaxAttempts: readInteger(input, 'retry-max-attempts', DEFAULT_RETRY_MAX_ATTEMPTS, 1, MAX_RETRY_ATTEMPTS, 'attempts'),
    refreshCredentials: readBoolean(input, 'refresh-credentials', false),
  };
  checkCombinations(config);
  return config;
}

function optional<T>(value: string, parse: (value: string) => T): T | undefined {
  return value === '' ? undefined : parse(value);
}

function readAccessKey(input: InputReader): AccessKey | undefined {
  const accessKeyId = input('access-key-id');
  const accessKeySecret = input('access-key-secret');
  const securityToken = input('security-token');
  if (!accessKeyId && !accessKeySecret) {
    if (securityToken)
      throw new InputError(
        'security-token',
        'needs `access-key-id` and `access-key-secret`.',
        'Pass all three values of the STS session, or remove `security-token`.',
      );
    return undefined;
  }
  if (!accessKeyId)
    throw new InputError(
      'access-key-id',
      'is missing while `access-key-secret` is set.',
      'Pass both, e.g. access-key-id: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}.',
    );
  if (!accessKeySecret)
    throw new InputError(
      'access-key-secret',
      'is missing while `access-key-id` is set.',
      'Pass both, e.g. access-key-secret: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET }}.',
    );
  if (!/^[A-Za-z0-9.]{8,128}$/.test(accessKeyId)) {
    throw new InputError(
      'access-key-id',
      'does not look like an AccessKey ID.',
      'Pass the AccessKey ID (LTAI… or STS.…), not the secret or an ARN; check the secret you reference.',
    );
  }
  if (/\s/.test(accessKeySecret))
    throw new InputError('access-key-secret', 'contains white space.', 'Check the secret you reference: paste the AccessKey secret alone.');
  if (accessKeyId.startsWith('STS.') && !securityToken) {
    throw new InputError('security-token', 'is required with STS AccessKeys (STS.…).', 'Pass the security token of the same STS session as `security-token`.');
  }
  return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined };
}

function readBoolean(input: InputReader, name: string, fallback: boolean): boolean {
  const value = input(name);
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(name, `"${value}" is not a boolean.`, 'Write true or false.');
}

function readInteger(input: InputReader, name: string, fallback: number, min: number, max: number, unit: string): number {
  const value = input(name);
  if (value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new InputError(name, `"${value}" is not a whole number.`, `Write a number of ${unit} from ${min} to ${max}.`);
  const number = Number(value);
  if (number < min || number > max) throw new InputError(name, `${value} is out of range.`, `Write a number of ${unit} from ${min} to ${max}.`);
  return number;
}

function readSessionName(input: InputReader, env: Env): string {
  const value = input('role-session-name');
  if (value === '') return defaultSessionName(env);
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

function readAccountIds(value: string): string[] {
  if (value === '') return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined || ids.length === 0) {
    throw new InputError(
      'allowed-account-ids',
      `"${bad ?? value}" is not an account ID.`,
      'Write account IDs (digits only), separated by commas, e.g. 123456789012,210987654321.',
    );
  }
  return ids;
}

/** Plain http sends the credentials in the clear: only to this machine, or to a private address named as an IP. */
function readCredentialsUri(value: string): string {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError('credentials-uri', `"${value}" is not an http(s) URL.`, 'Write a full URL, e.g. https://broker.internal.example.com/credentials.');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !isPrivateIp(url.hostname)) {
    throw new InputError(
      'credentials-uri',
      `plain http to ${url.hostname} would send credentials in the clear.`,
      'Use https, or a loopback address, or name a private address by its IP (10.x, 172.16-31.x, 192.168.x).',
    );
  }
  return url.href;
}

function readEndpoint(value: string, region: string | undefined, useVpcEndpoint: boolean): Endpoint {
  if (value === '') {
    if (!region) return { host: 'sts.aliyuncs.com', protocol: 'https' };
    return { host: useVpcEndpoint ? `sts-vpc.${region}.aliyuncs.com` : `sts.${region}.aliyuncs.com`, protocol: 'https' };
  }
  const url = parseUrl(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw new InputError(
      'sts-endpoint',
      `"${value}" is not an endpoint.`,
      'Write a host such as sts.cn-shanghai.aliyuncs.com, or a URL with no path such as https://sts.cn-shanghai.aliyuncs.com.',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      'sts-endpoint',
      `plain http to ${url.hostname} would send credentials in the clear.`,
      'Use https; plain http is accepted only for a loopback address (127.0.0.1, ::1, localhost).',
    );
  }
  return { host: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function isPrivateIp(hostname: string): boolean {
  const octets = hostname.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
    return /^\[f[cd][0-9a-f]{2}:/i.test(hostname); // IPv6 unique local addresses
  }
  const [a, b] = octets;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Which inputs go together; the source conflicts themselves are the plan's. */
function checkCombinations(config: Config): void {
  if (config.oidcTokenFile && !config.oidcProviderArn) {
    throw new InputError(
      'oidc-token-file',
      'needs `oidc-provider-arn` and `role-to-assume`.',
      'Add the ARN of the RAM OIDC identity provider that issued the token, and the role to assume.',
    );
  }
  if (config.oidcProviderArn && !config.role) {
    throw new InputError(
      'oidc-provider-arn',
      'needs `role-to-assume`.',
      'Add the ARN of the RAM role that trusts this identity provider: role-to-assume: acs:ram::<account-id>:role/<name>.',
    );
  }
  if (config.externalId && !config.role) {
    throw new InputError(
      'role-external-id',
      'needs `role-to-assume`.',
      'Add the role whose trust policy asks for this ExternalId, or remove `role-external-id`.',
    );
  }
  if (config.externalId && config.oidcProviderArn) {
    throw new InputError(
      'role-external-id',
      'does not apply to the OIDC flow (AssumeRoleWithOIDC has no ExternalId).',
      'Remove `role-external-id`, or use a key-based source with AssumeRole.',
    );
  }
  if (config.sessionPolicy && !config.role) {
    throw new InputError(
      'inline-session-policy',
      'needs `role-to-assume`: only an assumed session can be narrowed.',
      'Add `role-to-assume`, or remove `inline-session-policy`.',
    );
  }
  if (config.role && config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(config.role.accountId)) {
    throw new InputError(
      'allowed-account-ids',
      `does not include ${config.role.accountId}, the account of \`role-to-assume\`.`,
      'Add that account ID, or assume a role in one of the allowed accounts.',
    );
  }
  if (config.refreshCredentials && !config.exportEnv) {
    throw new InputError(
      'refresh-credentials',
      'needs `export-env: true`: later steps find the refreshing credentials URI through ALIBABA_CLOUD_CREDENTIALS_URI.',
      'Remove `export-env: false`, or turn off `refresh-credentials`.',
    );
  }
  if (!config.exportEnv && !config.outputCredentials && !config.aliyunProfile) {
    throw new InputError(
      'export-env',
      'is false and nothing else delivers the credentials.',
      'Keep export-env: true, or set output-credentials: true or aliyun-profile.',
    );
  }
}
