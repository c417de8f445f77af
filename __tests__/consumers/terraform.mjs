// @ts-check
// MODELS, not Terraform: the alicloud provider is not installable here in CI's time. Terraform downloads providers
// from its registry, which this machine cannot reach, and building aliyun/terraform-provider-alicloud from the Go
// module proxy compiles one of the largest Go modules there is (every Alibaba Cloud product's SDK), far past what a
// test run may take; Terraform itself would have to be built the same way. The real consumers (Node, Python, Go
// SDKs, Prowler) run in __tests__/consumers/consumers.ts.
//
// Which credentials Terraform's alicloud provider and its OSS state backend would use in a later step, from that
// step's environment and ~/.aliyun/config.json: models of
//   aliyun/terraform-provider-alicloud@0001bd25122b4dbaa79b8fab488cfac79c85ec62:alicloud/provider.go — providerConfigure:
//     access_key  MultiEnvDefaultFunc("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID")
//     secret_key  ("ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET")
//     security_token ("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN")
//     region      ("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"), else the profile's region_id, else "cn-beijing"
//     profile     ("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"): getConfigFromProfile fills only empty arguments
//                 (sts_token only of a StsToken profile; a RamRoleArn profile sets the role to assume)
//     assume_role { role_arn ("ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN") }: assumed on top of the keys when
//                 the configuration has the block (RefreshAuthCredential: AccessKey != "" && RamRoleArn != "")
//     credentials_uri / ECS role / OIDC: only without keys.
//   hashicorp/terraform@0558a390c9dac17425a3a2c2babe6af16e5a6521:internal/backend/remote-state/oss/backend.go — configure:
//     access_key EnvDefaultFunc("ALICLOUD_ACCESS_KEY", os.Getenv("ALICLOUD_ACCESS_KEY_ID")), secret_key
//     ("ALICLOUD_SECRET_KEY", "ALICLOUD_ACCESS_KEY_SECRET"), security_token "ALICLOUD_SECURITY_TOKEN", region
//     ("ALICLOUD_REGION", "ALICLOUD_DEFAULT_REGION"), profile "ALICLOUD_PROFILE", and assume_role_role_arn
//     "ALICLOUD_ASSUME_ROLE_ARN" (top level: assumed with the keys whenever set).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {Record<string, string | undefined>} env @param {...string} names */
const fromEnv = (env, ...names) => names.map((name) => env[name] ?? '').find((value) => value !== '') ?? '';

/** @param {Record<string, string | undefined>} env @param {string} name */
function profileOf(env, name) {
  if (!name) return undefined;
  const path = join(env.HOME ?? '', '.aliyun', 'config.json');
  if (!existsSync(path)) return undefined;
  const config = JSON.parse(readFileSync(path, 'utf8'));
  return (config.profiles ?? []).find((/** @type {{ name?: string }} */ p) => p.name === name);
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {{ assumeRoleBlock?: boolean }} [configuration] whether the provider block has an `assume_role {}` block
 */
export function terraformProviderCredentials(env, configuration = {}) {
  const profile = profileOf(env, fromEnv(env, 'ALICLOUD_PROFILE', 'ALIBABA_CLOUD_PROFILE'));
  const fromProfile = (/** @type {string} */ field) => {
    if (!profile?.mode) return '';
    if (field === 'sts_token' && profile.mode !== 'StsToken') return '';
    if ((field === 'access_key_id' || field === 'access_key_secret') && profile.mode === 'EcsRamRole') return '';
    return profile[field] ?? '';
  };
  const accessKeyId = fromEnv(env, 'ALICLOUD_ACCESS_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID') || fromProfile('access_key_id');
  const secret = fromEnv(env, 'ALICLOUD_SECRET_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET') || fromProfile('access_key_secret');
  const securityToken = fromEnv(env, 'ALICLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN') || fromProfile('sts_token');
  const region = fromEnv(env, 'ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION') || fromProfile('region_id') || 'cn-beijing';
  if (!accessKeyId || !secret) return { ok: false, error: 'no keys: it would try a credentials URI, an ECS role or OIDC' };
  const assumes =
    (configuration.assumeRoleBlock ? fromEnv(env, 'ALICLOUD_ASSUME_ROLE_ARN', 'ALIBABA_CLOUD_ROLE_ARN') : '') ||
    (profile?.mode === 'RamRoleArn' ? profile.ram_role_arn : '');
  if (assumes) return { ok: false, accessKeyId, error: `it assumes ${assumes} with these keys` };
  return { ok: true, accessKeyId, securityToken: securityToken || undefined, region };
}

/** @param {Record<string, string | undefined>} env */
export function ossBackendCredentials(env) {
  const profile = profileOf(env, fromEnv(env, 'ALICLOUD_PROFILE'));
  const fromProfile = (/** @type {string} */ field) => (profile?.mode && !(field === 'sts_token' && profile.mode !== 'StsToken') ? (profile[field] ?? '') : '');
  const accessKeyId = fromEnv(env, 'ALICLOUD_ACCESS_KEY', 'ALICLOUD_ACCESS_KEY_ID') || fromProfile('access_key_id');
  const secret = fromEnv(env, 'ALICLOUD_SECRET_KEY', 'ALICLOUD_ACCESS_KEY_SECRET') || fromProfile('access_key_secret');
  const securityToken = fromEnv(env, 'ALICLOUD_SECURITY_TOKEN') || fromProfile('sts_token');
  const region = fromEnv(env, 'ALICLOUD_REGION', 'ALICLOUD_DEFAULT_REGION') || fromProfile('region_id');
  if (!accessKeyId || !secret) return { ok: false, error: 'no keys: it would try the ECS role' };
  const assumes = fromEnv(env, 'ALICLOUD_ASSUME_ROLE_ARN') || (profile?.mode === 'RamRoleArn' ? profile.ram_role_arn : '');
  if (assumes) return { ok: false, accessKeyId, error: `it assumes ${assumes} with these keys` };
  return { ok: true, accessKeyId, securityToken: securityToken || undefined, region };
}
