// Which environment variables carry the credentials to each consumer (Prowler, Alibaba's SDKs, the aliyun CLI,
// Terraform and its OSS backend), and which ones would lead a consumer away from them. One table of each, taken
// from the consumers' source code: docs/CONSUMERS.md cites it and a test keeps the two in agreement. Pure: the
// edge (env.ts) applies the result.

import type { Credentials } from '../credentials.js';
import type { Env } from '../inputs.js';

export type Carries = 'AccessKey ID' | 'AccessKey secret' | 'security token' | 'region' | 'profile name';

/** Variables the action sets for later steps, and who reads each (first name first). */
export const EXPORTED: ReadonlyArray<{ readonly name: string; readonly carries: Carries; readonly readBy: string }> = [
  { name: 'ALIBABA_CLOUD_ACCESS_KEY_ID', carries: 'AccessKey ID', readBy: 'Prowler, the SDKs, the aliyun CLI, Terraform' },
  { name: 'ALIBABACLOUD_ACCESS_KEY_ID', carries: 'AccessKey ID', readBy: 'the aliyun CLI, Terraform' },
  { name: 'ALICLOUD_ACCESS_KEY', carries: 'AccessKey ID', readBy: 'Terraform, its OSS backend' },
  { name: 'ALIYUN_ACCESS_KEY_ID', carries: 'AccessKey ID', readBy: 'Prowler' },
  { name: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', carries: 'AccessKey secret', readBy: 'Prowler, the SDKs, the aliyun CLI, Terraform' },
  { name: 'ALIBABACLOUD_ACCESS_KEY_SECRET', carries: 'AccessKey secret', readBy: 'the aliyun CLI, Terraform' },
  { name: 'ALICLOUD_SECRET_KEY', carries: 'AccessKey secret', readBy: 'Terraform, its OSS backend' },
  { name: 'ALIYUN_ACCESS_KEY_SECRET', carries: 'AccessKey secret', readBy: 'Prowler' },
  { name: 'ALIBABA_CLOUD_SECURITY_TOKEN', carries: 'security token', readBy: 'Prowler, the SDKs, the aliyun CLI, Terraform' },
  { name: 'ALIBABACLOUD_SECURITY_TOKEN', carries: 'security token', readBy: 'the aliyun CLI, Terraform' },
  { name: 'ALICLOUD_SECURITY_TOKEN', carries: 'security token', readBy: 'Terraform, its OSS backend, the aliyun CLI' },
  { name: 'ALIBABA_CLOUD_REGION_ID', carries: 'region', readBy: 'the aliyun CLI' },
  { name: 'ALIBABACLOUD_REGION_ID', carries: 'region', readBy: 'the aliyun CLI' },
  { name: 'ALICLOUD_REGION_ID', carries: 'region', readBy: 'the aliyun CLI' },
  { name: 'ALICLOUD_REGION', carries: 'region', readBy: 'Terraform, its OSS backend' },
  { name: 'ALIBABA_CLOUD_REGION', carries: 'region', readBy: 'Terraform' },
  { name: 'ALIBABACLOUD_PROFILE', carries: 'profile name', readBy: 'the aliyun CLI' },
  { name: 'ALIBABA_CLOUD_PROFILE', carries: 'profile name', readBy: 'the aliyun CLI, Terraform, the SDKs' },
  { name: 'ALICLOUD_PROFILE', carries: 'profile name', readBy: 'the aliyun CLI, Terraform, its OSS backend' },
];

/**
 * Variables that make a consumer take another path than the exported keys: set in the job's environment before the
 * action ran (and not set by the action itself), they are exported empty, which every consumer treats as unset.
 * A security token is stale only beside permanent keys (`withoutToken`).
 */
export const DIVERTING: ReadonlyArray<{ readonly name: string; readonly diverts: string; readonly withoutToken?: true }> = [
  { name: 'ALIBABA_CLOUD_CREDENTIALS_URI', diverts: 'Prowler fetches credentials from it first' },
  { name: 'ALIBABA_CLOUD_ECS_METADATA', diverts: 'Prowler asks the ECS metadata service before it reads keys' },
  { name: 'ALIBABA_CLOUD_ROLE_ARN', diverts: 'Prowler assumes it with the keys but without the token; Terraform assumes it in an assume_role block' },
  { name: 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', diverts: 'Prowler (with --oidc-role-arn) takes the OIDC flow' },
  { name: 'ALIBABA_CLOUD_OIDC_TOKEN_FILE', diverts: 'Prowler (with --oidc-role-arn) takes the OIDC flow' },
  { name: 'ALIBABACLOUD_ROLE_ARN', diverts: 'the aliyun CLI switches a profile without a mode to RamRoleArn' },
  { name: 'ALIBABACLOUD_OIDC_PROVIDER_ARN', diverts: 'the aliyun CLI switches a profile without keys to OIDC' },
  { name: 'ALIBABACLOUD_OIDC_TOKEN_FILE', diverts: 'the aliyun CLI switches a profile without keys to OIDC' },
  { name: 'ALIBABA_CLOUD_PROFILE_MODE', diverts: 'the aliyun CLI sends no credentials at all (Anonymous)' },
  { name: 'ALICLOUD_ASSUME_ROLE_ARN', diverts: "Terraform's OSS backend (and the provider's assume_role block) assumes it with the keys" },
  { name: 'ALIBABACLOUD_PROFILE', diverts: 'the aliyun CLI uses that profile of ~/.aliyun/config.json' },
  { name: 'ALIBABA_CLOUD_PROFILE', diverts: 'the aliyun CLI and Terraform use that profile of ~/.aliyun/config.json' },
  { name: 'ALICLOUD_PROFILE', diverts: 'the aliyun CLI, Terraform and its OSS backend use that profile of ~/.aliyun/config.json' },
  { name: 'ALIBABA_CLOUD_IGNORE_PROFILE', diverts: 'the aliyun CLI would skip the profile that `aliyun-profile` wrote' },
  { name: 'ALIBABACLOUD_IGNORE_PROFILE', diverts: 'the aliyun CLI would skip the profile that `aliyun-profile` wrote' },
  { name: 'ALIBABA_CLOUD_SECURITY_TOKEN', diverts: 'a stale token beside permanent keys: every consumer sends it', withoutToken: true },
  { name: 'ALIBABACLOUD_SECURITY_TOKEN', diverts: 'a stale token beside permanent keys: the aliyun CLI and Terraform send it', withoutToken: true },
  { name: 'ALICLOUD_SECURITY_TOKEN', diverts: 'a stale token beside permanent keys: Terraform and its OSS backend send it', withoutToken: true },
  { name: 'SECURITY_TOKEN', diverts: 'a stale token beside permanent keys: the aliyun CLI falls back to it', withoutToken: true },
];

/** Makes a configured aliyun CLI on the runner use the exported variables instead of its current profile. */
export const IGNORE_PROFILE = { name: 'ALIBABA_CLOUD_IGNORE_PROFILE', value: 'TRUE' } as const;
export const CREDENTIALS_URI_VAR = 'ALIBABA_CLOUD_CREDENTIALS_URI';
export const PROFILE_VARS = EXPORTED.filter((row) => row.carries === 'profile name').map((row) => row.name);

export interface VariablePlan {
  /** Name -> value to export. Values are secrets except the region, the profile name and IGNORE_PROFILE. */
  readonly set: ReadonlyMap<string, string>;
  /** Set in the environment now, and exported empty so later steps do not follow them; with the reason. */
  readonly blank: ReadonlyArray<{ readonly name: string; readonly diverts: string }>;
}

export interface Delivery {
  readonly credentials: Credentials;
  readonly region?: string;
  /** The refresh helper's URI (`refresh-credentials`). */
  readonly credentialsUri?: string;
  /** The name of the profile `aliyun-profile` wrote. */
  readonly profile?: string;
  /** `~/.aliyun/config.json` exists: a configured CLI would use its profile rather than the variables. */
  readonly cliConfigured: boolean;
}

export function planVariables(delivery: Delivery, env: Env): VariablePlan {
  const { credentials, region, credentialsUri, profile } = delivery;
  const set = new Map<string, string>();
  const value: Record<Carries, string | undefined> = {
    'AccessKey ID': credentials.accessKeyId,
    'AccessKey secret': credentials.accessKeySecret,
    'security token': credentials.securityToken,
    region,
    'profile name': profile,
  };
  for (const row of EXPORTED) {
    const v = value[row.carries];
    if (v) set.set(row.name, v);
  }
  if (credentialsUri) set.set(CREDENTIALS_URI_VAR, credentialsUri);
  // Without a profile of its own, a configured CLI is told to ignore its files; with one, the profile is selected.
  if (!profile && delivery.cliConfigured) set.set(IGNORE_PROFILE.name, IGNORE_PROFILE.value);

  const blank = DIVERTING.filter(({ name, withoutToken }) => env[name] && !set.has(name) && !(withoutToken && credentials.securityToken)).map(
    ({ name, diverts }) => ({ name, diverts }),
  );
  return { set, blank };
}
