// Which environment variables carry the credentials to each consumer, and which ones would lead a consumer
// away from them. Pure: the edge (env.ts) applies the result.

import type { Env } from '../inputs.js';
import type { Credentials } from '../credentials.js';

export const ACCESS_KEY_ID_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY', 'ALIYUN_ACCESS_KEY_ID'];
export const ACCESS_KEY_SECRET_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY', 'ALIYUN_ACCESS_KEY_SECRET'];
export const SECURITY_TOKEN_VARS = ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'];
export const REGION_VARS = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION'];
// With `aliyun-profile`: the aliyun CLI, the SDKs and Terraform pick the profile by these.
export const PROFILE_VARS = ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE'];
export const CREDENTIALS_URI_VAR = 'ALIBABA_CLOUD_CREDENTIALS_URI';

// Prowler and the SDK default chains try a credentials URI, then OIDC, then an ECS role, then a role ARN with
// the keys (but without the token) before they look at the keys alone: any of these left set wins over us.
export const DIVERTING_VARS = [
  CREDENTIALS_URI_VAR,
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_ECS_METADATA',
];

export interface VariablePlan {
  /** Name -> value to export. Values are secrets except the region. */
  readonly set: ReadonlyMap<string, string>;
  /** Set in the environment now, and exported empty so later steps do not follow them. */
  readonly blank: readonly string[];
}

export function planVariables(credentials: Credentials, region: string | undefined, env: Env, credentialsUri?: string): VariablePlan {
  const set = new Map<string, string>();
  for (const name of ACCESS_KEY_ID_VARS) set.set(name, credentials.accessKeyId);
  for (const name of ACCESS_KEY_SECRET_VARS) set.set(name, credentials.accessKeySecret);
  if (credentials.securityToken) for (const name of SECURITY_TOKEN_VARS) set.set(name, credentials.securityToken);
  if (region) for (const name of REGION_VARS) set.set(name, region);
  if (credentialsUri) set.set(CREDENTIALS_URI_VAR, credentialsUri);

  const stale = credentials.securityToken ? [] : SECURITY_TOKEN_VARS;
  const blank = [...DIVERTING_VARS, ...stale].filter((name) => !set.has(name) && env[name]);
  return { set, blank };
}
