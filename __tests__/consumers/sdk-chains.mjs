// @ts-check
// Which credentials the default chains of Alibaba's Python and Go credentials SDKs would hand code that builds its
// client without configuration, decided without a network call (the steps that need one are named, not run). The
// Node SDK is not modelled: the tests run the real package (consumer.mjs). Models of
//   aliyun/credentials-python@4429d82931ee1da80195fecbb2a56240ff5be8b1:alibabacloud_credentials/provider/default.py and env.py
//     (environment, OIDC, CLI profile, credentials file ~/.alibabacloud/credentials.ini, ECS, URI)
//   aliyun/credentials-go@115dc39fcb0ad38cbcd4325f6e9b2c7862338ff9:credentials/providers/default.go
//     (the same order; credentials file ~/.alibabacloud/credentials)
// Both take the environment's keys first whenever ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET are non-empty.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {Record<string, string | undefined>} env
 * @param {'python' | 'go'} sdk
 * @returns {{ provider: string, accessKeyId?: string, securityToken?: string }}
 */
export function sdkChainCredentials(env, sdk) {
  const value = (/** @type {string} */ name) => env[name] || '';
  if (value('ALIBABA_CLOUD_ACCESS_KEY_ID') && value('ALIBABA_CLOUD_ACCESS_KEY_SECRET')) {
    return { provider: 'env', accessKeyId: value('ALIBABA_CLOUD_ACCESS_KEY_ID'), securityToken: value('ALIBABA_CLOUD_SECURITY_TOKEN') || undefined };
  }
  if (value('ALIBABA_CLOUD_OIDC_TOKEN_FILE') && value('ALIBABA_CLOUD_ROLE_ARN') && value('ALIBABA_CLOUD_OIDC_PROVIDER_ARN'))
    return { provider: 'oidc_role_arn' };
  if (value('ALIBABA_CLOUD_CLI_PROFILE_DISABLED').toLowerCase() !== 'true') {
    const path = join(value('HOME'), '.aliyun', 'config.json');
    if (existsSync(path)) {
      const config = JSON.parse(readFileSync(path, 'utf8'));
      const name = value('ALIBABA_CLOUD_PROFILE') || config.current;
      const profile = (config.profiles ?? []).find((/** @type {{ name?: string }} */ p) => p.name === name);
      if (profile?.mode === 'AK') return { provider: 'cli_profile', accessKeyId: profile.access_key_id };
      if (profile?.mode === 'StsToken') return { provider: 'cli_profile', accessKeyId: profile.access_key_id, securityToken: profile.sts_token };
      if (profile) return { provider: `cli_profile/${profile.mode}` };
    }
  }
  const file = value('ALIBABA_CLOUD_CREDENTIALS_FILE') || join(value('HOME'), '.alibabacloud', sdk === 'python' ? 'credentials.ini' : 'credentials');
  if (existsSync(file)) {
    const section = iniSection(readFileSync(file, 'utf8'), value('ALIBABA_CLOUD_PROFILE') || 'default');
    if (section?.type === 'access_key') return { provider: 'profile', accessKeyId: section.access_key_id };
    if (section) return { provider: `profile/${section.type}` };
  }
  return { provider: 'ecs_ram_role or credentials_uri (network)' };
}

/** @param {string} text @param {string} name */
function iniSection(text, name) {
  /** @type {Record<string, string> | undefined} */
  let current;
  /** @type {Record<string, Record<string, string>>} */
  const sections = {};
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) sections[header[1].trim()] = current = {};
    else if (current && /=/.test(line)) {
      const at = line.indexOf('=');
      current[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return sections[name];
}
