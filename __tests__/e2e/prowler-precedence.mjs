// Which credentials `prowler alibabacloud` would use in a later step, decided from that step's environment the
// way Prowler's Alibaba Cloud provider decides (AlibabacloudProvider.setup_session), and, when Prowler falls
// through to the default chain, the way alibabacloud_credentials' DefaultCredentialsProvider continues (only as far
// as can be decided without a network call). Python is not needed: this is a model of that code, kept to its rules:
//   - a value is looked up with `NAME in os.environ` (so an exported empty string is "present"),
//   - but every decision tests truthiness, so an empty value counts as unset;
//   - order: credentials URI, OIDC role (only with --oidc-role-arn), ECS RAM role, RAM role assumption
//     (keys + ALIBABA_CLOUD_ROLE_ARN), STS credentials (keys + token), permanent AccessKey, default chain.
// Usage: node prowler-precedence.mjs [--credentials-uri U] [--oidc-role-arn A] [--ecs-ram-role R] [--role-arn A]
//   (Prowler's own command-line options; the environment is this process's.)
// Prints one JSON line: {method, accessKeyId, hasSecurityToken, provider?, detail}. accessKeyId is the AccessKey ID
// Prowler ends up signing with, or null when it would first fetch or assume other credentials.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

/**
 * @param {Record<string, string | undefined>} env the environment of the step that runs Prowler
 * @param {{credentialsUri?: string, oidcRoleArn?: string, ecsRamRole?: string, roleArn?: string}} [cli] Prowler's options
 */
export function prowlerCredentials(env, cli = {}) {
  const present = (name) => Object.hasOwn(env, name) && env[name] !== undefined;
  const read = (name) => (present(name) ? String(env[name]) : undefined);

  let { credentialsUri, oidcRoleArn, ecsRamRole, roleArn } = cli;
  let oidcProviderArn;
  if (oidcRoleArn && present('ALIBABA_CLOUD_OIDC_PROVIDER_ARN')) oidcProviderArn = read('ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
  const oidcTokenFile = read('ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  if (!credentialsUri && present('ALIBABA_CLOUD_CREDENTIALS_URI')) credentialsUri = read('ALIBABA_CLOUD_CREDENTIALS_URI');
  if (!ecsRamRole && present('ALIBABA_CLOUD_ECS_METADATA')) ecsRamRole = read('ALIBABA_CLOUD_ECS_METADATA');
  // ALIBABA_CLOUD_* first, ALIYUN_* for compatibility: the first name that is present wins, even when empty.
  const accessKeyId = present('ALIBABA_CLOUD_ACCESS_KEY_ID') ? read('ALIBABA_CLOUD_ACCESS_KEY_ID') : read('ALIYUN_ACCESS_KEY_ID');
  const accessKeySecret = present('ALIBABA_CLOUD_ACCESS_KEY_SECRET') ? read('ALIBABA_CLOUD_ACCESS_KEY_SECRET') : read('ALIYUN_ACCESS_KEY_SECRET');
  const securityToken = read('ALIBABA_CLOUD_SECURITY_TOKEN');
  if (!roleArn && present('ALIBABA_CLOUD_ROLE_ARN') && !oidcProviderArn) roleArn = read('ALIBABA_CLOUD_ROLE_ARN');

  if (credentialsUri) return { method: 'credentials-uri', accessKeyId: null, hasSecurityToken: true, detail: `fetches ${credentialsUri}` };
  if (oidcRoleArn && oidcProviderArn && oidcTokenFile) {
    return { method: 'oidc-role-arn', accessKeyId: null, hasSecurityToken: true, detail: `AssumeRoleWithOIDC ${oidcRoleArn} with ${oidcTokenFile}` };
  }
  if (ecsRamRole) return { method: 'ecs-ram-role', accessKeyId: null, hasSecurityToken: true, detail: `metadata service role ${ecsRamRole}` };
  if (accessKeyId && accessKeySecret) {
    if (roleArn) return { method: 'ram-role-arn', accessKeyId: null, hasSecurityToken: true, detail: `AssumeRole ${roleArn} signed by ${accessKeyId}` };
    if (securityToken) return { method: 'sts', accessKeyId, hasSecurityToken: true, detail: 'STS credentials from the environment' };
    return { method: 'access-key', accessKeyId, hasSecurityToken: false, detail: 'AccessKey from the environment' };
  }
  return { method: 'default-chain', ...defaultChain(env) };
}

/** alibabacloud_credentials' DefaultCredentialsProvider: env, OIDC, CLI profile, then providers that need the network. */
function defaultChain(env) {
  const value = (name) => env[name] ?? undefined;
  if (value('ALIBABA_CLOUD_ACCESS_KEY_ID') && value('ALIBABA_CLOUD_ACCESS_KEY_SECRET')) {
    return {
      provider: 'env',
      accessKeyId: value('ALIBABA_CLOUD_ACCESS_KEY_ID'),
      hasSecurityToken: Boolean(value('ALIBABA_CLOUD_SECURITY_TOKEN')),
      detail: 'environment',
    };
  }
  if (value('ALIBABA_CLOUD_OIDC_TOKEN_FILE') && value('ALIBABA_CLOUD_ROLE_ARN') && value('ALIBABA_CLOUD_OIDC_PROVIDER_ARN')) {
    return { provider: 'oidc_role_arn', accessKeyId: null, hasSecurityToken: true, detail: `AssumeRoleWithOIDC ${value('ALIBABA_CLOUD_ROLE_ARN')}` };
  }
  if ((value('ALIBABA_CLOUD_CLI_PROFILE_DISABLED') ?? '').toLowerCase() !== 'true') {
    const path = join(value('HOME') || homedir(), '.aliyun', 'config.json');
    if (existsSync(path) && statSync(path).isFile()) {
      let config;
      try {
        config = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        config = undefined;
      }
      const name = value('ALIBABA_CLOUD_PROFILE') || config?.current;
      const profile = Array.isArray(config?.profiles) ? config.profiles.find((p) => p?.name === name) : undefined;
      if (profile?.mode === 'AK')
        return { provider: 'cli_profile/static_ak', accessKeyId: profile.access_key_id ?? null, hasSecurityToken: false, detail: `profile ${name} of ${path}` };
      if (profile?.mode === 'StsToken')
        return {
          provider: 'cli_profile/static_sts',
          accessKeyId: profile.access_key_id ?? null,
          hasSecurityToken: Boolean(profile.sts_token),
          detail: `profile ${name} of ${path}`,
        };
      if (profile) return { provider: `cli_profile/${profile.mode}`, accessKeyId: null, hasSecurityToken: true, detail: `profile ${name} of ${path}` };
    }
  }
  return {
    provider: 'unresolved',
    accessKeyId: null,
    hasSecurityToken: false,
    detail: 'only ~/.alibabacloud/credentials, the metadata service or a credentials URI could still answer',
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      'credentials-uri': { type: 'string' },
      'oidc-role-arn': { type: 'string' },
      'ecs-ram-role': { type: 'string' },
      'role-arn': { type: 'string' },
    },
  });
  const result = prowlerCredentials(process.env, {
    credentialsUri: values['credentials-uri'],
    oidcRoleArn: values['oidc-role-arn'],
    ecsRamRole: values['ecs-ram-role'],
    roleArn: values['role-arn'],
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
