// @ts-check
// A MODEL, not the aliyun CLI: the CLI cannot be installed here. Its Go module imports a package that lives in a git
// submodule (aliyun-openapi-meta, .gitmodules of aliyun/aliyun-cli@363bc330f81e4d364d3cd4acbc05fa8e617201c6), which
// the Go module proxy's downloads do not contain, so `go install` cannot build it; its release binaries come from
// download sites this machine cannot reach. The real consumers (Node, Python, Go SDKs, Prowler) run in
// __tests__/consumers/consumers.ts.
//
// Which credentials the aliyun CLI would use in a later step, from that step's environment and the
// ~/.aliyun/config.json of its HOME: a model of aliyun/aliyun-cli@007c60703c9befeda6207f5b242ee9ff5b9dded0. Kept to
// these lines:
//   config/configuration.go  LoadProfileWithContext: ALIBABA_CLOUD_IGNORE_PROFILE / ALIBABACLOUD_IGNORE_PROFILE ==
//       "TRUE" -> NewProfile("default") with RegionId "cn-hangzhou"; else ALIBABA_CLOUD_PROFILE_MODE "Anonymous";
//       else LoadProfile(config path, getProfileName()) where getProfileName is --profile, else the first non-empty
//       of ALIBABACLOUD_PROFILE, ALIBABA_CLOUD_PROFILE, ALICLOUD_PROFILE, else the file's `current`; a missing file
//       is NewConfiguration() (one empty profile "default"); an unknown name is "unknown profile %s".
//   config/profile.go  OverwriteWithFlags: empty fields only, from util.GetFromEnv (first non-empty) of
//       ALIBABA_CLOUD_ACCESS_KEY_ID > ALIBABACLOUD_ACCESS_KEY_ID > ALICLOUD_ACCESS_KEY_ID > ACCESS_KEY_ID (secret and
//       SECURITY_TOKEN alike), ALIBABA_CLOUD_REGION_ID > ALIBABACLOUD_REGION_ID > ALICLOUD_REGION_ID > REGION_ID >
//       REGION, ALIBABA_CLOUD_CREDENTIALS_URI, ALIBABACLOUD_OIDC_* > ALIBABA_CLOUD_OIDC_*, ALIBABACLOUD_ROLE_ARN >
//       ALIBABA_CLOUD_ROLE_ARN; then AutoModeRecognition (a profile without a mode only); Validate (region first);
//       GetCredential: AK, StsToken, and CredentialsURI (http.Get, status 200, Code == "Success").
// A later step runs no command flags here (no --profile, --mode, --region).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {Record<string, string | undefined>} env @param {...string} names */
const fromEnv = (env, ...names) => names.map((name) => env[name] ?? '').find((value) => value !== '') ?? '';

/**
 * @param {Record<string, string | undefined>} env the later step's environment (HOME included)
 * @returns {Promise<{ ok: true, profile: string, mode: string, region: string, accessKeyId: string, securityToken?: string }
 *   | { ok: false, profile?: string, mode?: string, error: string, wouldFetch?: boolean }>}
 */
export async function aliyunCliCredentials(env) {
  /** @type {Record<string, any>} */
  let profile;
  if (fromEnv(env, 'ALIBABA_CLOUD_IGNORE_PROFILE', 'ALIBABACLOUD_IGNORE_PROFILE') === 'TRUE') {
    profile = { name: 'default', mode: '', region_id: 'cn-hangzhou' };
  } else if (fromEnv(env, 'ALIBABA_CLOUD_PROFILE_MODE').toLowerCase() === 'anonymous') {
    return { ok: false, profile: 'default', mode: 'Anonymous', error: 'Anonymous: no credentials are sent' };
  } else {
    const path = join(env.HOME ?? '', '.aliyun', 'config.json');
    const config = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { current: 'default', profiles: [{ name: 'default', mode: '' }] };
    const name = fromEnv(env, 'ALIBABACLOUD_PROFILE', 'ALIBABA_CLOUD_PROFILE', 'ALICLOUD_PROFILE') || config.current || 'default';
    const found = (config.profiles ?? []).find((/** @type {{ name?: string }} */ p) => p.name === name);
    if (!found) return { ok: false, profile: name, error: `unknown profile ${name}, run configure to check` };
    profile = { ...found };
  }
  const fill = (/** @type {string} */ field, /** @type {string[]} */ ...names) => {
    if (!profile[field]) profile[field] = fromEnv(env, ...names);
  };
  fill('access_key_id', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY_ID', 'ACCESS_KEY_ID');
  fill('access_key_secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_ACCESS_KEY_SECRET', 'ACCESS_KEY_SECRET');
  fill('sts_token', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN', 'SECURITY_TOKEN');
  fill('region_id', 'ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'REGION_ID', 'REGION');
  fill('credentials_uri', 'ALIBABA_CLOUD_CREDENTIALS_URI');
  fill('oidc_provider_arn', 'ALIBABACLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
  fill('oidc_token_file', 'ALIBABACLOUD_OIDC_TOKEN_FILE', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  fill('ram_role_arn', 'ALIBABACLOUD_ROLE_ARN', 'ALIBABA_CLOUD_ROLE_ARN');
  // OverwriteWithFlags: ALIBABA_CLOUD_PROFILE_MODE=Anonymous takes precedence over any mode.
  if (fromEnv(env, 'ALIBABA_CLOUD_PROFILE_MODE').toLowerCase() === 'anonymous')
    return { ok: false, profile: profile.name, mode: 'Anonymous', error: 'Anonymous' };
  if (!profile.mode) {
    if (profile.access_key_id && profile.access_key_secret) profile.mode = profile.sts_token ? 'StsToken' : profile.ram_role_arn ? 'RamRoleArn' : 'AK';
    else if (profile.ram_role_name) profile.mode = 'EcsRamRole';
    else if (profile.oidc_provider_arn && profile.oidc_token_file && profile.ram_role_arn) profile.mode = 'OIDC';
  }
  const { name, mode } = profile;
  if (!profile.region_id) return { ok: false, profile: name, mode, error: "region can't be empty" };
  switch (mode) {
    case 'AK':
    case 'StsToken':
      if (!profile.access_key_id || !profile.access_key_secret || (mode === 'StsToken' && !profile.sts_token)) {
        return { ok: false, profile: name, mode, error: `profile ${name} lacks keys` };
      }
      return {
        ok: true,
        profile: name,
        mode,
        region: profile.region_id,
        accessKeyId: profile.access_key_id,
        ...(mode === 'StsToken' ? { securityToken: profile.sts_token } : {}),
      };
    case 'CredentialsURI': {
      if (!profile.credentials_uri) return { ok: false, profile: name, mode, error: 'credentials_uri is not configured' };
      const res = await fetch(profile.credentials_uri);
      if (res.status !== 200) return { ok: false, profile: name, mode, error: `get credentials failed, status code ${res.status}` };
      const body = await res.json();
      if (body.Code !== 'Success') return { ok: false, profile: name, mode, error: 'get sts token err, Code is not Success' };
      return { ok: true, profile: name, mode, region: profile.region_id, accessKeyId: body.AccessKeyId, securityToken: body.SecurityToken };
    }
    case 'RamRoleArn':
    case 'OIDC':
      if (!profile.ram_session_name) return { ok: false, profile: name, mode, error: 'role_session_name is not configured' };
      return { ok: false, profile: name, mode, error: `${mode}: the CLI would assume ${profile.ram_role_arn} itself`, wouldFetch: true };
    default:
      return { ok: false, profile: name, mode, error: mode ? `mode ${mode} fetches or assumes credentials itself` : `profile ${name} is not configured yet` };
  }
}
